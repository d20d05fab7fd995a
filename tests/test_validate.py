"""SHACL validation: shapes and ontology loading, per-document checks, whole-store checks."""

from __future__ import annotations

import re

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad

from kg.cli import cli
from kg.errors import ValidationError
from kg.store import KGStore
from kg.validate import (
    check_quads,
    ontology_dir,
    ontology_graph,
    shapes_graph,
    store_graph,
    store_violations,
    validate_dataset,
    validate_store,
)

KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GRAPH = NamedNode("https://w3id.org/newskg/graph/doc")
DOC = NamedNode(ID + "document/doc")


def kg(name: str) -> NamedNode:
    return NamedNode(KG + name)


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def q(s, p, o) -> Quad:
    return Quad(s, p, o, GRAPH)


def document() -> list[Quad]:
    return [q(DOC, RDF_TYPE, kg("Document")), q(DOC, LABEL, Literal("A document"))]


def statement(speaker: NamedNode | None, *extra: Quad) -> list[Quad]:
    node = NamedNode(ID + "statement/doc-1")
    quads = [q(node, RDF_TYPE, kg("Statement")), q(node, kg("text"), Literal("Peace matters.")),
             q(node, kg("isDirectQuote"), Literal("false", datatype=NamedNode(XSD + "boolean"))),
             q(node, kg("source"), DOC), q(node, kg("beginIndex"), integer(3)), q(node, kg("endIndex"), integer(17))]
    if speaker is not None:
        quads.append(q(node, kg("speaker"), speaker))
    return document() + quads + list(extra)


def country(slug: str = "freedonia") -> tuple[NamedNode, list[Quad]]:
    node = NamedNode(ID + f"country/{slug}")
    return node, [q(node, RDF_TYPE, kg("Country")), q(node, LABEL, Literal(slug.title()))]


# ---------------------------------------------------------------- loading


def test_ontology_files_are_found():
    folder = ontology_dir()
    for name in ("newskg.ttl", "shapes.ttl", "context.jsonld"):
        assert (folder / name).is_file(), name


def test_graphs_are_parsed_once():
    assert shapes_graph() is shapes_graph()
    assert ontology_graph() is ontology_graph()
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(shapes_graph().subjects(rdflib.RDF.type, sh.NodeShape))) >= 5
    assert (rdflib.URIRef(KG + "Country"), rdflib.RDFS.subClassOf, rdflib.URIRef(KG + "Agent")) in ontology_graph()


# ---------------------------------------------------------------- per document


def test_a_conforming_statement_passes():
    speaker, speaker_quads = country()
    check_quads(statement(speaker, *speaker_quads), where="doc.txt")  # a Country is an Agent by inference


def test_statement_without_speaker_is_rejected():
    with pytest.raises(ValidationError) as info:
        check_quads(statement(None), where="doc.txt")
    assert re.fullmatch(r"doc\.txt: graph does not conform to the SHACL shapes \(1 violation\)", str(info.value))
    assert "speaker" in info.value.report
    assert "statement/doc-1" in info.value.report


def test_speaker_must_be_an_agent_or_document():
    place = NamedNode(ID + "place/vienna")
    extra = [q(place, RDF_TYPE, kg("Place")), q(place, LABEL, Literal("Vienna"))]
    with pytest.raises(ValidationError, match="violation"):
        check_quads(statement(place, *extra), where="doc.txt")


def test_free_text_date_is_rejected():
    event = NamedNode(ID + "event/summit")
    quads = document() + [q(event, RDF_TYPE, kg("Event")), q(event, LABEL, Literal("Summit")),
                          q(event, kg("date"), Literal("last year"))]
    with pytest.raises(ValidationError) as info:
        check_quads(quads, where="news.txt")
    assert "kg:date" in info.value.report or "date" in info.value.report


def test_mention_offsets_must_be_ordered_integers():
    speaker, speaker_quads = country()
    mention = NamedNode(ID + "mention/doc-9-3")
    quads = document() + speaker_quads + [
        q(mention, RDF_TYPE, kg("Mention")), q(mention, kg("denotes"), speaker), q(mention, kg("source"), DOC),
        q(mention, kg("beginIndex"), integer(9)), q(mention, kg("endIndex"), integer(3)),
    ]
    with pytest.raises(ValidationError):
        check_quads(quads, where="doc.txt")


def test_counting_several_violations():
    quads = statement(None) + [q(NamedNode(ID + "person/nameless"), RDF_TYPE, kg("Person"))]
    with pytest.raises(ValidationError, match=r"\(2 violations\)"):
        check_quads(quads, where="doc.txt")


def test_empty_graph_conforms():
    check_quads([], where="nothing")


def test_validate_dataset_leaves_the_data_alone():
    speaker, speaker_quads = country()
    data = rdflib.Graph()
    for quad in statement(speaker, *speaker_quads):
        data.add((rdflib.URIRef(quad.subject.value), rdflib.URIRef(quad.predicate.value),
                  rdflib.URIRef(quad.object.value) if isinstance(quad.object, NamedNode)
                  else rdflib.Literal(quad.object.value, datatype=rdflib.URIRef(quad.object.datatype.value))))
    size = len(data)
    conforms, report = validate_dataset(data)
    assert conforms, report
    assert len(data) == size  # RDFS inference ran on a copy


# ---------------------------------------------------------------- whole store


def test_small_store_conforms(small_store):
    conforms, report = validate_store(small_store)
    assert conforms, report
    assert len(store_graph(small_store)) <= len(small_store)


def test_store_with_an_injected_violation(small_store):
    small_store.store.extend(statement(None))
    conforms, report = validate_store(small_store)
    assert not conforms
    assert "statement/doc-1" in report
    conforms, count, _ = store_violations(small_store)
    assert (conforms, count) == (False, 1)


@pytest.mark.slow
def test_built_store_conforms(built_store):
    with KGStore(built_store, create=False) as store:
        conforms, report = validate_store(store)
    assert conforms, report


# ---------------------------------------------------------------- during ingest


@pytest.fixture
def violating_extraction(monkeypatch):
    """Make every document's graph carry one statement without a speaker."""
    from kg import pipeline

    real = pipeline.document_quads

    def with_violation(doc, extraction):
        yield from real(doc, extraction)
        graph = NamedNode("https://w3id.org/newskg/graph/" + doc.id)
        node = NamedNode(ID + f"statement/{doc.id}-orphan")
        yield Quad(node, RDF_TYPE, kg("Statement"), graph)
        yield Quad(node, kg("text"), Literal("Nobody said this."), graph)

    monkeypatch.setattr(pipeline, "document_quads", with_violation)


@pytest.mark.slow
def test_ingest_refuses_a_non_conforming_document(runner, article_dir, store_path, violating_extraction):
    result = runner.invoke(cli, ["ingest", str(article_dir), "--store", str(store_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(r"^Error: .*kazakhstan-peace-security\.txt: graph does not conform to the SHACL shapes",
                     result.stderr, re.MULTILINE)
    assert result.stdout.startswith("failed")
    with KGStore(store_path, create=False) as store:
        assert len(store) == 0  # nothing of the document was stored


@pytest.mark.slow
def test_no_validate_stores_it_anyway(runner, article_dir, store_path, violating_extraction):
    result = runner.invoke(cli, ["ingest", "--no-validate", str(article_dir), "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("added")
    check = runner.invoke(cli, ["validate", "--store", str(store_path)])
    assert check.exit_code == 1
    assert "does not conform" in check.stderr and "orphan" in check.stdout


# ---------------------------------------------------------------- the prepared checker agrees with pySHACL


def _pyshacl_conforms(quads) -> bool:
    from kg.validate import _triples_graph, _validate

    return _validate(_triples_graph(q.triple for q in quads))[0]


def _cases():
    speaker, speaker_quads = country()
    place = NamedNode(ID + "place/vienna")
    event = NamedNode(ID + "event/summit")
    mention = NamedNode(ID + "mention/doc-9-3")
    xsd = lambda name: NamedNode(XSD + name)  # noqa: E731
    return {
        "conforming statement": statement(speaker, *speaker_quads),
        "no speaker": statement(None),
        "speaker a place": statement(place, q(place, RDF_TYPE, kg("Place")), q(place, LABEL, Literal("Vienna"))),
        "free-text date": document() + [q(event, RDF_TYPE, kg("Event")), q(event, LABEL, Literal("Summit")),
                                        q(event, kg("date"), Literal("last year"))],
        "impossible date": document() + [q(event, RDF_TYPE, kg("Event")), q(event, LABEL, Literal("Summit")),
                                         q(event, kg("date"), Literal("2023-02-30", datatype=xsd("date")))],
        "good gYearMonth": document() + [q(event, RDF_TYPE, kg("Event")), q(event, LABEL, Literal("Summit")),
                                         q(event, kg("startDate"), Literal("1992-10", datatype=xsd("gYearMonth")))],
        "reversed offsets": document() + speaker_quads + [
            q(mention, RDF_TYPE, kg("Mention")), q(mention, kg("denotes"), speaker), q(mention, kg("source"), DOC),
            q(mention, kg("beginIndex"), integer(9)), q(mention, kg("endIndex"), integer(3))],
        "ordered offsets": document() + speaker_quads + [
            q(mention, RDF_TYPE, kg("Mention")), q(mention, kg("denotes"), speaker), q(mention, kg("source"), DOC),
            q(mention, kg("beginIndex"), integer(3)), q(mention, kg("endIndex"), integer(9))],
        "nameless person": statement(None) + [q(NamedNode(ID + "person/nameless"), RDF_TYPE, kg("Person"))],
        "two labels": [q(speaker, RDF_TYPE, kg("Person")), q(speaker, LABEL, Literal("A")), q(speaker, LABEL, Literal("B"))],
        "bad hash": [q(DOC, RDF_TYPE, kg("Document")), q(DOC, LABEL, Literal("D")), q(DOC, kg("contentHash"), Literal("x"))],
        "negative count": [q(event, kg("memberCount"), integer(-3))],
        "count as text": [q(event, kg("memberCount"), Literal("many"))],
        "empty": [],
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_prepared_checker_agrees_with_pyshacl(name):
    from kg.validate import fast_violations

    quads = _cases()[name]
    assert (fast_violations([x.triple for x in quads]) == 0) == _pyshacl_conforms(quads)


@pytest.mark.slow
def test_prepared_checker_agrees_with_pyshacl_on_mutations_of_the_seed(built_store):
    """Each kind of triple of the seed's graph dropped, or its literal retyped: same verdict as pySHACL."""
    from kg.validate import fast_violations

    with KGStore(built_store, create=False) as store:
        quads = [Quad(x.subject, x.predicate, x.object, GRAPH) for x in store.store]
    assert fast_violations([x.triple for x in quads]) == 0 and _pyshacl_conforms(quads)
    by_predicate = {}
    for x in quads:
        by_predicate.setdefault(x.predicate, x)
    for predicate, victim in sorted(by_predicate.items(), key=lambda kv: kv[0].value):
        variants = [[x for x in quads if x != victim]]
        if isinstance(victim.object, Literal):
            variants.append([x if x != victim else Quad(x.subject, x.predicate, Literal("not a value"), GRAPH)
                             for x in quads])
        for variant in variants:
            fast = fast_violations([x.triple for x in variant]) == 0
            assert fast == _pyshacl_conforms(variant), predicate.value


def test_validate_checks_only_what_changed(small_store):
    from kg.validate import validate_changed

    first = validate_changed(small_store)
    assert first[0] and first[3] >= 1
    assert validate_changed(small_store)[3] == 0                     # marked: nothing changed since
    assert validate_changed(small_store, everything=True)[0]
    small_store.store.extend(statement(None))                        # an unmarked, non-conforming graph
    conforms, count, report, checked = validate_changed(small_store)
    assert (conforms, count, checked) == (False, 1, 1) and "statement/doc-1" in report
