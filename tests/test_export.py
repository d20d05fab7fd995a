"""Export: every format describes the same triples; graphs, JSON-LD context, errors."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.errors import UsageError
from kg.export import (
    EXPORT_PREFIXES,
    export,
    format_for_path,
    jsonld_context,
    serialize_quads,
    store_stats,
)
from kg.validate import ontology_dir

GRAPH = "https://w3id.org/newskg/graph/"
KG = "https://w3id.org/newskg/ontology#"
RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}

SMALL_TRIG = Path(__file__).resolve().parent / "fixtures" / "small.trig"


def union_graph(data: bytes, fmt: str) -> rdflib.Graph:
    """Parse an export with rdflib and merge all its graphs into one."""
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode("utf-8"), format=RDFLIB_FORMATS[fmt])
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def graph_names(data: bytes, fmt: str) -> set[str]:
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode("utf-8"), format=RDFLIB_FORMATS[fmt])
    return {str(g) for _, _, _, g in dataset.quads((None, None, None, None)) if g is not None}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("export tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# ---------------------------------------------------------------- every format, same triples


def test_all_formats_describe_the_same_triples(small_store, no_network):
    reference = union_graph(export(small_store, "nquads"), "nquads")
    assert len(reference) > 300
    for fmt in ("turtle", "trig", "ntriples", "jsonld"):
        graph = union_graph(export(small_store, fmt), fmt)
        assert len(graph) == len(reference), fmt
        assert isomorphic(graph, reference), fmt


def test_union_formats_write_a_shared_triple_once(small_store):
    # small.trig states some entities in both documents' graphs (the store keeps them once, but a
    # union format must write each triple once whatever the layout).
    fixture = Store()
    fixture.load(path=str(SMALL_TRIG), format=RdfFormat.TRIG)
    assert len({q.triple for q in fixture}) < len(fixture)
    distinct = {(q.subject, q.predicate, q.object) for q in small_store.store}
    assert export(small_store, "ntriples").decode().count("\n") == len(distinct)


def test_trig_and_nquads_keep_the_named_graphs(small_store):
    expected = {g.value for g in small_store.store.named_graphs()}
    assert len(expected) >= 2
    for fmt in ("trig", "nquads"):
        data = export(small_store, fmt)
        assert graph_names(data, fmt) == expected
    reloaded = Store()
    reloaded.load(export(small_store, "trig"), format=__import__("pyoxigraph").RdfFormat.TRIG)
    assert set(reloaded) == set(small_store.store)


def test_turtle_is_readable(small_store):
    text = export(small_store, "turtle").decode("utf-8")
    assert "@prefix kg: <https://w3id.org/newskg/ontology#> ." in text
    assert "organisation:danube-basin-water-council" in text
    assert "\\/" not in text  # no escaped slashes in prefixed names


def test_export_prefixes_do_not_clash():
    assert len(set(EXPORT_PREFIXES.values())) == len(EXPORT_PREFIXES)


# ---------------------------------------------------------------- one graph


def test_export_one_graph_by_iri_and_by_document_id(small_store):
    graph = small_store.document_graphs()[0].value
    doc_id = graph[len(GRAPH):]
    # the document whole, as `kg extract` gives it: its entity triples come back from the shared graph
    in_graph = {q.triple for q in small_store.document_quads(NamedNode(graph))}

    trig = export(small_store, "trig", graph=graph)
    assert graph_names(trig, "trig") == {graph}
    assert len(union_graph(trig, "trig")) == len(in_graph)

    for fmt in ("turtle", "ntriples", "jsonld"):
        by_iri = union_graph(export(small_store, fmt, graph=graph), fmt)
        by_id = union_graph(export(small_store, fmt, graph=doc_id), fmt)
        assert len(by_iri) == len(in_graph), fmt
        assert isomorphic(by_iri, by_id), fmt


@pytest.mark.parametrize("graph", ["https://example.org/nope", "nope", "not an iri <>", ""])
def test_unknown_graph_is_a_usage_error(small_store, graph):
    with pytest.raises(UsageError, match="no graph"):
        export(small_store, "turtle", graph=graph)


@pytest.mark.parametrize("fmt", ["xml", "", "rdf/xml", "n3"])
def test_unknown_format_is_a_usage_error(small_store, fmt):
    with pytest.raises(UsageError, match="unknown export format"):
        export(small_store, fmt)
    with pytest.raises(UsageError):
        serialize_quads([], fmt)


def test_unknown_format_writes_nothing(small_store, tmp_path):
    out = tmp_path / "out.xml"
    with pytest.raises(UsageError):
        export(small_store, "xml", out)
    assert not out.exists()


# ---------------------------------------------------------------- JSON-LD


def test_jsonld_embeds_the_context(small_store, no_network):
    document = json.loads(export(small_store, "jsonld"))
    context_file = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context_file["@context"] == jsonld_context()
    nodes = {node["@id"]: node for node in document["@graph"]}
    council = nodes["id:organisation/danube-basin-water-council"]
    assert council["@type"] == "Organisation"
    assert council["label"] == "Danube Basin Water Council"


def test_jsonld_keeps_datatypes(small_store):
    graph = union_graph(export(small_store, "jsonld"), "jsonld")
    begin = rdflib.URIRef(KG + "beginIndex")
    values = list(graph.objects(None, begin))
    assert values and all(v.datatype == rdflib.XSD.integer for v in values)
    dates = list(graph.objects(None, rdflib.URIRef(KG + "datePublished")))
    assert dates and all(d.datatype == rdflib.XSD.date for d in dates)


def test_jsonld_of_an_empty_store():
    document = json.loads(export(Store(), "jsonld"))
    assert document["@graph"] == [] and "@context" in document


def test_jsonld_of_a_single_node():
    quad = Quad(NamedNode("https://w3id.org/newskg/id/person/jane-roe"),
                NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Jane Roe"))
    document = json.loads(serialize_quads([quad], "jsonld"))
    assert document["@graph"] == [{"@id": "id:person/jane-roe", "label": "Jane Roe"}]


# ---------------------------------------------------------------- outputs and helpers


def test_output_to_path_stream_and_bytes(small_store, tmp_path):
    data = export(small_store, "nquads")
    path = tmp_path / "out.nq"
    assert export(small_store, "nquads", path) is None
    assert path.read_bytes() == data
    stream = io.BytesIO()
    assert export(small_store, "nquads", stream) is None
    assert stream.getvalue() == data
    assert export(small_store.store, "nquads") == data  # a bare pyoxigraph Store works too


def test_serialize_quads_formats():
    graph = NamedNode(GRAPH + "doc")
    person = NamedNode("https://w3id.org/newskg/id/person/jane-roe")
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    quads = [Quad(person, label, Literal("Jane Roe"), graph), Quad(person, label, Literal("Jane Roe"), graph)]
    assert serialize_quads(quads, "nquads").decode().count("\n") == 1
    assert b"graph:doc {" in serialize_quads(quads, "trig")
    assert serialize_quads(quads, "turtle").decode().strip().endswith('person:jane-roe rdfs:label "Jane Roe" .')


@pytest.mark.parametrize("name, fmt", [("a.ttl", "turtle"), ("a.TRIG", "trig"), ("a.nq", "nquads"),
                                       ("a.nt", "ntriples"), ("a.jsonld", "jsonld"), ("a.json", "jsonld"),
                                       ("a.rdf", None), (None, None)])
def test_format_for_path(name, fmt):
    assert format_for_path(name) == fmt


def test_store_stats_small_store(small_store):
    stats = store_stats(small_store)
    assert stats.quads == len(small_store)
    assert stats.documents == 2
    assert stats.entities["Person"] >= 1 and stats.entities["Country"] == 2
    assert stats.entity_total == sum(stats.entities.values())
    assert stats.statements >= 1 and stats.facts >= 1 and stats.mentions >= 1 and stats.links >= 1


# ---------------------------------------------------------------- through the CLI, on the built store


@pytest.mark.slow
def test_cli_exports_of_built_store_agree(runner, built_store, tmp_path, no_network):
    graphs = {}
    for fmt in ("turtle", "nquads", "jsonld", "trig"):
        out = tmp_path / f"kg.{fmt}"
        result = runner.invoke(cli, ["export", "--format", fmt, "-o", str(out), "--store", str(built_store)])
        assert result.exit_code == 0, result.output
        graphs[fmt] = union_graph(out.read_bytes(), fmt)
    assert len(graphs["nquads"]) > 500
    for fmt in ("turtle", "jsonld", "trig"):
        assert isomorphic(graphs[fmt], graphs["nquads"]), fmt
    document = json.loads((tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict) and document["@context"]["kg"] == KG


@pytest.mark.slow
def test_cli_export_format_from_suffix_and_graph(runner, built_store, tmp_path):
    out = tmp_path / "doc.trig"
    result = runner.invoke(cli, ["export", "-o", str(out), "--graph", "kazakhstan-peace-security",
                                 "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert graph_names(out.read_bytes(), "trig") == {GRAPH + "kazakhstan-peace-security"}


@pytest.mark.slow
def test_cli_export_unknown_format_exits_2(runner, built_store):
    result = runner.invoke(cli, ["export", "--format", "yaml", "--store", str(built_store)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_pyld_never_fetches_a_remote_context():
    from pyld.jsonld import JsonLdError

    from kg.export import _no_remote_documents

    with pytest.raises(JsonLdError):
        _no_remote_documents("https://w3id.org/newskg/context.jsonld")
