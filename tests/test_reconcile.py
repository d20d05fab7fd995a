"""kg reconcile against a real SPARQL endpoint: a local ``oxigraph serve`` holding a small
Wikidata-shaped graph (tests/fixtures/wikidata-reconcile.ttl, truthy wdt: and full p:/ps:/pq:
statements) stands in for https://query.wikidata.org/sparql.

Our side is a small newskg store built here: entities as ingest writes them (types, labels,
evidence with sentence and document, the document's date), links in the links graph.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import free_port, oxigraph_server  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import Literal, NamedNode, Quad

from kg.cli import cli
from kg.reconcile import (
    CONFIRMED,
    CONTRADICTED,
    NEW,
    RECONCILIATION_GRAPH,
    STALE,
    SparqlClient,
    format_report,
    reconcile,
)
from kg.store import KGStore
from kg.terms import GRAPH, ID, KG, LINKS_GRAPH, OWL, RDF, RDFS, SKOS, XSD, entity_iri, wikidata_iri

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wikidata-reconcile.ttl"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A real ``oxigraph serve`` loaded with the fixture; yields its SPARQL query URL."""
    location = tmp_path_factory.mktemp("wikidata-reconcile") / "store"
    with oxigraph_server(location, union=False, data=FIXTURE) as base:
        yield f"{base}/query"


# --------------------------------------------------------------------------- our side

DOCS = {"doc-a": "2023-07-16", "doc-b": "2019-06-30"}


def node(cls: str, slug: str) -> NamedNode:
    return entity_iri(cls, slug)


class Builder:
    """Quads of a small newskg store: entities, facts with evidence, links."""

    def __init__(self):
        self.quads: list[Quad] = []
        self.count = 0
        for doc, day in DOCS.items():
            d = node("document", doc)
            self.quads += [Quad(d, RDF.type, KG.Document, GRAPH_OF(doc)),
                           Quad(d, KG.datePublished, Literal(day, datatype=XSD.date), GRAPH_OF(doc))]

    def entity(self, cls: str, slug: str, label: str, qid: str | None = None, alt: str | None = None,
               doc: str = "doc-a") -> NamedNode:
        iri = node(cls.lower(), slug)
        g = GRAPH_OF(doc)
        self.quads += [Quad(iri, RDF.type, KG[cls], g), Quad(iri, RDFS.label, Literal(label), g)]
        if alt:
            self.quads.append(Quad(iri, SKOS.altLabel, Literal(alt), g))
        if qid:
            self.quads.append(Quad(iri, OWL.sameAs, wikidata_iri(qid), LINKS_GRAPH))
        return iri

    def fact(self, subject, prop: str, value, sentence: str, doc: str = "doc-a") -> None:
        g = GRAPH_OF(doc)
        self.count += 1
        evidence = NamedNode(f"{ID}evidence/{doc}-{self.count}")
        self.quads += [Quad(subject, KG[prop], value, g), Quad(evidence, RDF.type, KG.Evidence, g),
                       Quad(evidence, RDF.subject, subject, g), Quad(evidence, RDF.predicate, KG[prop], g),
                       Quad(evidence, RDF.object, value, g), Quad(evidence, KG.source, node("document", doc), g),
                       Quad(evidence, KG.sentence, Literal(sentence), g)]


def GRAPH_OF(doc: str) -> NamedNode:  # noqa: N802 - reads like the IRI it builds
    return NamedNode(GRAPH + doc)


def date(value: str, kind=None) -> Literal:
    return Literal(value, datatype=kind or XSD.date)


def our_quads() -> list[Quad]:
    b = Builder()
    kazakhstan = b.entity("Country", "kazakhstan", "Kazakhstan", "Q232")
    astana = b.entity("Place", "astana", "Astana", "Q1520")
    geneva = b.entity("Place", "geneva", "Geneva", "Q71")
    malaysia = b.entity("Country", "malaysia", "Malaysia", "Q833")
    kuala_lumpur = b.entity("Place", "kuala-lumpur", "Kuala Lumpur", "Q1865")
    jeddah = b.entity("Place", "jeddah", "Jeddah")  # unlinked: compared by name
    # posts
    tokayev = b.entity("Person", "kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "Q200881")
    president = b.entity("Position", "president-of-kazakhstan", "President of Kazakhstan")
    chairman = b.entity("Position", "senate-chairman", "Senate Chairman")
    secretary = b.entity("Position", "secretary-general-of-the-test-committee", "Secretary-General of the Test Committee")
    b.fact(tokayev, "holdsPosition", president, "President Kassym-Jomart Tokayev opened the forum.")
    b.fact(tokayev, "holdsPosition", chairman, "Senate Chairman Kassym-Jomart Tokayev greeted the guests.")
    b.fact(tokayev, "holdsPosition", secretary, "Tokayev, Secretary-General of the Test Committee, spoke.")
    testova = b.entity("Person", "aigerim-testova", "Aigerim Testova", "Q987650010")
    minister = b.entity("Position", "minister-of-testing-of-kazakhstan", "Minister of Testing of Kazakhstan")
    governor = b.entity("Position", "governor-of-testland", "Governor of Testland", doc="doc-b")
    b.fact(testova, "holdsPosition", minister, "Minister of Testing Aigerim Testova signed the plan.")
    b.fact(testova, "holdsPosition", governor, "Governor of Testland Aigerim Testova met farmers.", doc="doc-b")
    # organisations
    oic = b.entity("Organisation", "organisation-of-islamic-cooperation", "Organisation of Islamic Cooperation",
                   "Q47543", alt="OIC")
    b.fact(oic, "headquarters", jeddah, "The OIC, based in Jeddah, met.")
    b.fact(oic, "memberCount", Literal("56", datatype=XSD.integer), "The OIC's 56 members agreed.")
    b.fact(oic, "initiatedBy", malaysia, "Malaysia proposed the OIC.")
    un = b.entity("Organisation", "united-nations", "United Nations", "Q1065")
    b.fact(un, "headquarters", geneva, "The United Nations, headquartered in Geneva, said so.")
    b.fact(un, "initiatedBy", kazakhstan, "Kazakhstan founded the United Nations.")
    # events
    forum = b.entity("Event", "test-security-forum", "Test Security Forum", "Q987650030")
    b.fact(forum, "location", astana, "The Test Security Forum took place in Astana.")
    b.fact(forum, "startDate", date("2023-07-13"), "The forum opened on 13 July.")
    b.fact(forum, "endDate", date("2023-07-14"), "The forum closed on 14 July.")
    b.fact(forum, "initiatedBy", kazakhstan, "Kazakhstan initiated the forum.")
    economic = b.entity("Event", "test-economic-forum", "Test Economic Forum", "Q987650031")
    b.fact(economic, "date", date("2011-06", XSD.gYearMonth), "The Test Economic Forum met in June 2011.")
    b.fact(economic, "location", kuala_lumpur, "The Test Economic Forum met in Kuala Lumpur.")
    other = b.entity("Event", "test-forum", "Test Forum", "Q987650032")
    b.fact(other, "date", date("2023-06-08"), "The Test Forum was held on 8 June.")
    pandemic = b.entity("Event", "covid-19-pandemic", "COVID-19 pandemic", "Q81068910")
    b.fact(pandemic, "startDate", date("2019-12", XSD.gYearMonth), "The pandemic began in December 2019.")
    # an unlinked entity's facts are not reconciled
    atlantis = b.entity("Organisation", "atlantis-council", "Atlantis Council")
    b.fact(atlantis, "headquarters", astana, "The Atlantis Council sits in Astana.")
    return b.quads


EXPECTED = {
    ("Kassym-Jomart Tokayev", "holdsPosition", "President of Kazakhstan"): CONFIRMED,
    ("Kassym-Jomart Tokayev", "holdsPosition", "Senate Chairman"): STALE,
    ("Kassym-Jomart Tokayev", "holdsPosition", "Secretary-General of the Test Committee"): NEW,  # deprecated
    ("Aigerim Testova", "holdsPosition", "Minister of Testing of Kazakhstan"): CONTRADICTED,  # begins later
    ("Aigerim Testova", "holdsPosition", "Governor of Testland"): CONFIRMED,  # ended "2019": not before June 2019
    ("Organisation of Islamic Cooperation", "headquarters", "Jeddah"): CONFIRMED,  # by name
    ("Organisation of Islamic Cooperation", "memberCount", "56"): CONTRADICTED,
    ("Organisation of Islamic Cooperation", "initiatedBy", "Malaysia"): NEW,
    ("United Nations", "headquarters", "Geneva"): CONTRADICTED,
    ("United Nations", "initiatedBy", "Kazakhstan"): CONTRADICTED,
    ("Test Security Forum", "location", "Astana"): CONFIRMED,
    ("Test Security Forum", "startDate", "2023-07-13"): CONFIRMED,
    ("Test Security Forum", "endDate", "2023-07-14"): CONTRADICTED,
    ("Test Security Forum", "initiatedBy", "Kazakhstan"): CONFIRMED,
    ("Test Economic Forum", "date", "2011-06"): CONFIRMED,  # Wikidata knows the year only
    ("Test Economic Forum", "location", "Kuala Lumpur"): NEW,
    ("Test Forum", "date", "2023-06-08"): CONTRADICTED,
    ("COVID-19 pandemic", "startDate", "2019-12"): NEW,  # the item is not in the endpoint at all
}


@pytest.fixture
def ours(tmp_path):
    path = tmp_path / "store"
    with KGStore(path) as store:
        store.store.extend(our_quads())
    return path


def verdicts_of(report) -> dict:
    return {(v.fact.entity_label, v.fact.prop, v.fact.shown_value): v.verdict for v in report.verdicts}


def test_every_fact_of_a_linked_entity_gets_its_verdict(ours, endpoint):
    with KGStore(ours) as store:
        report = reconcile(store, SparqlClient(endpoint, retries=0))
    assert verdicts_of(report) == EXPECTED
    assert report.counts() == {CONFIRMED: 7, CONTRADICTED: 6, NEW: 4, STALE: 1}
    assert report.linked_entities == 13 and report.requests == 1


def test_verdicts_carry_wikidatas_value_and_our_evidence(ours, endpoint):
    with KGStore(ours) as store:
        report = reconcile(store, SparqlClient(endpoint, retries=0), write=False)
    by_key = {(v.fact.entity_label, v.fact.prop, v.fact.shown_value): v for v in report.verdicts}
    stale = by_key[("Kassym-Jomart Tokayev", "holdsPosition", "Senate Chairman")]
    assert [w.qid for w in stale.wikidata] == ["Q987650002"]
    assert stale.wikidata[0].end[0].startswith("2019-03-19")
    assert "ended 2019-03-19, before the article (2023-07-16)" in stale.note
    headquarters = by_key[("United Nations", "headquarters", "Geneva")]
    assert [w.shown() for w in headquarters.wikidata] == ["Q987650021 (New York City)"]
    members = by_key[("Organisation of Islamic Cooperation", "memberCount", "56")]
    assert [w.value.value for w in members.wikidata] == ["57"]
    new = by_key[("Organisation of Islamic Cooperation", "initiatedBy", "Malaysia")]
    assert new.fact.sentence == "Malaysia proposed the OIC." and new.fact.article_date.value == "2023-07-16"


def test_the_verdicts_are_written_as_a_queryable_graph_replaced_as_a_whole(ours, endpoint):
    with KGStore(ours) as store:
        reconcile(store, SparqlClient(endpoint, retries=0))
        reconcile(store, SparqlClient(endpoint, retries=0))  # again: replaced, not doubled
        assert RECONCILIATION_GRAPH in store.graphs()
        assert RECONCILIATION_GRAPH not in store.document_graphs()
        rows = list(store.query("""
            SELECT ?label ?sentence ?item WHERE {
              GRAPH <https://w3id.org/newskg/graph/_/reconciliation> {
                ?v a kg:ReconciliationVerdict ; kg:verdict kg:NewToWikidata ; rdf:subject ?s ;
                   kg:wikidataItem ?item ; kg:basedOnEvidence ?e }
              ?s rdfs:label ?label . ?e kg:sentence ?sentence .
            } ORDER BY ?label ?sentence"""))
        assert [(r["label"].value, r["item"].value.rsplit("/", 1)[1]) for r in rows] == [
            ("COVID-19 pandemic", "Q81068910"), ("Kassym-Jomart Tokayev", "Q200881"),
            ("Organisation of Islamic Cooperation", "Q47543"), ("Test Economic Forum", "Q987650031")]
        count = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/newskg/graph/_/"
                                 "reconciliation> { ?v a kg:ReconciliationVerdict } }"))[0]["n"].value
        assert count == "18"


def test_cli_table_csv_and_rdf(ours, endpoint, runner, tmp_path):
    result = runner.invoke(cli, ["reconcile", "--store", str(ours), "--endpoint", endpoint])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["verdict", "entity", "property", "ours", "Wikidata", "evidence"]
    assert "stale" in result.output and "Senate Chairman" in result.output
    assert "reconciled 18 facts of 13 linked entities: 7 confirmed, 6 contradicted, 4 new to Wikidata, 1 stale" \
        in result.output  # the summary goes to stderr, which CliRunner mixes in

    out = tmp_path / "report.csv"
    result = runner.invoke(cli, ["reconcile", "--store", str(ours), "--endpoint", endpoint, "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == 18
    row = next(r for r in table if r["verdict"] == STALE)
    assert (row["entity"], row["qid"], row["property"], row["wikidata_property"]) == (
        "Kassym-Jomart Tokayev", "Q200881", "kg:holdsPosition", "P39")
    assert row["evidence_sentence"] == "Senate Chairman Kassym-Jomart Tokayev greeted the guests."

    result = runner.invoke(cli, ["reconcile", "--store", str(ours), "--endpoint", endpoint, "--format", "rdf"])
    assert result.exit_code == 0, result.output
    from pyoxigraph import RdfFormat, parse
    turtle = result.output[:result.output.rindex("reconciled ")]
    triples = list(parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE))
    assert sum(1 for t in triples if t.predicate == KG.verdict) == 18


def test_an_unreachable_endpoint_is_one_error_line_and_nothing_is_written(ours, runner):
    dead = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(cli, ["reconcile", "--store", str(ours), "--endpoint", dead, "--retries", "0"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: SPARQL endpoint") and "cannot be reached" in lines[0]
    assert "Traceback" not in result.output
    with KGStore(ours, read_only=True) as store:
        assert RECONCILIATION_GRAPH not in store.graphs()


def test_an_endpoint_that_is_not_a_url_is_a_usage_error(ours, runner):
    result = runner.invoke(cli, ["reconcile", "--store", str(ours), "--endpoint", "query.wikidata.org"])
    assert result.exit_code == 2 and result.output.startswith("Error: --endpoint must be an http(s) URL")


def test_the_seed_store_against_the_fixture(built_store, endpoint):
    # The seed's only fact about a linked entity that Wikidata models is Tokayev's post.
    with KGStore(built_store, read_only=True) as store:
        report = reconcile(store, SparqlClient(endpoint, retries=0), write=False)
    assert [(v.fact.entity_label, v.fact.prop, v.fact.shown_value, v.verdict) for v in report.verdicts] == [
        ("Kassym-Jomart Tokayev", "holdsPosition", "President of Kazakhstan", CONFIRMED)]


def test_table_format_of_an_empty_report():
    from kg.reconcile import ReconcileReport

    assert format_report(ReconcileReport(), "table").splitlines()[0].split() == [
        "verdict", "entity", "property", "ours", "Wikidata", "evidence"]


def test_a_store_without_links_asks_nothing(tmp_path):
    class NoRequests(SparqlClient):
        def select(self, query):
            raise AssertionError("no query expected")

    with KGStore(tmp_path / "store") as store:
        report = reconcile(store, NoRequests("http://127.0.0.1:9/query"))
        assert (report.verdicts, report.linked_entities) == ([], 0)
        assert RECONCILIATION_GRAPH not in store.graphs()


def test_a_busy_endpoint_is_retried_with_backoff_then_answers():
    import http.server
    import threading

    answers = [(503, b"busy"), (200, b'{"head": {"vars": ["x"]}, "results": {"bindings": '
                                      b'[{"x": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1"}}]}}')]
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            seen.append((self.headers["User-Agent"], self.rfile.read(int(self.headers["Content-Length"]))))
            status, body = answers.pop(0)
            self.send_response(status)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    waits = []
    try:
        client = SparqlClient(f"http://127.0.0.1:{server.server_port}/sparql", retries=2, backoff=1.5,
                              sleep=waits.append)
        assert client.select("SELECT ?x WHERE { ?x ?p ?o }") == [{"x": NamedNode("http://www.wikidata.org/entity/Q1")}]
    finally:
        server.shutdown()
    assert client.requests == 2 and waits == [1.5]
    assert seen[0][0].startswith("newskg/") and seen[0][1].startswith(b"query=SELECT")
