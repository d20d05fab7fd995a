"""Federated saved queries, really executed: a local ``oxigraph serve`` stands in for Wikidata.

The SERVICE endpoint of the saved queries is the ``?endpoint`` parameter, bound here to the local
server, so the join between our links and the remote facts runs exactly as it would against
https://query.wikidata.org/sparql.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import free_port, oxigraph_server  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from kg.link import link_store
from kg.terms import ID, KG, RDF, RDFS, entity_iri, graph_iri, slugify

QUERIES = Path(__file__).resolve().parent.parent / "queries"

# Wikidata-shaped test data (truthy wdt: triples, labels in several languages). QIDs of items
# also in data/wikidata/verified-qids.tsv are real; the figures and the Q9876… items are made up.
WIKIDATA_SAMPLE = """\
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .

wd:Q232 wdt:P31 wd:Q6256 , wd:Q3624078 ;
    wdt:P1082 "19000000"^^xsd:decimal ;
    wdt:P35 wd:Q200881 ;
    wdt:P6 wd:Q987650401 ;
    wdt:P571 "1991-12-16T00:00:00Z"^^xsd:dateTime ;
    wdt:P625 "Point(67.0 48.0)"^^geo:wktLiteral .
wd:Q200881 rdfs:label "Kassym-Jomart Tokayev"@en , "Касым-Жомарт Токаев"@ru .
wd:Q987650401 rdfs:label "Test Prime Minister"@en .
wd:Q833 wdt:P31 wd:Q6256 ; wdt:P1082 "33000000"^^xsd:decimal .
wd:Q1520 wdt:P31 wd:Q5119 ; wdt:P625 "Point(71.4 51.2)"^^geo:wktLiteral ; wdt:P1082 "1000000"^^xsd:decimal .
wd:Q71 wdt:P31 wd:Q987650500 ; wdt:P625 "Point(6.1 46.2)"^^geo:wktLiteral .
"""


@pytest.fixture(scope="module")
def wikidata_endpoint(tmp_path_factory):
    """A real ``oxigraph serve`` loaded with WIKIDATA_SAMPLE; yields its SPARQL query IRI."""
    tmp = tmp_path_factory.mktemp("wikidata")
    data = tmp / "sample.ttl"
    data.write_text(WIKIDATA_SAMPLE, encoding="utf-8")
    with oxigraph_server(tmp / "store", union=False, data=data) as base:
        yield NamedNode(f"{base}/query")


def our_store() -> Store:
    """Entities as ingest writes them, linked by the offline table."""
    store = Store()
    graph, doc = graph_iri("doc"), entity_iri("document", "doc")
    for cls, label in [("Country", "Kazakhstan"), ("Place", "Astana"), ("Place", "Geneva"),
                       ("Country", "Atlantis"), ("Person", "Kassym-Jomart Tokayev")]:
        entity = entity_iri(cls.lower(), slugify(label))
        mention = NamedNode(f"{ID}mention/doc-{slugify(label)}")
        store.extend([Quad(entity, RDF.type, KG[cls], graph), Quad(entity, RDFS.label, Literal(label), graph),
                      Quad(mention, RDF.type, KG.Mention, graph), Quad(mention, KG.denotes, entity, graph),
                      Quad(mention, KG.source, doc, graph)])
    # A Country is a Place: ingest may state both; it must still give one row per place.
    store.add(Quad(entity_iri("country", "kazakhstan"), RDF.type, KG.Place, graph))
    link_store(store)
    return store


def run(name: str, store: Store, endpoint: NamedNode) -> list[dict[str, str]]:
    query = (QUERIES / name).read_text(encoding="utf-8")
    solutions = store.query(query, use_default_graph_as_union=True, substitutions={Variable("endpoint"): endpoint})
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def test_country_facts_join_our_links_with_the_endpoint(wikidata_endpoint):
    rows = run("wikidata-country-facts.rq", our_store(), wikidata_endpoint)
    assert rows == [{
        "country": entity_iri("country", "kazakhstan").value,
        "label": "Kazakhstan",
        "item": "http://www.wikidata.org/entity/Q232",
        "population": "19000000",
        "headOfState": "http://www.wikidata.org/entity/Q200881",
        "headOfStateLabel": "Kassym-Jomart Tokayev",
        "headOfGovernment": "http://www.wikidata.org/entity/Q987650401",
        "headOfGovernmentLabel": "Test Prime Minister",
        "inception": "1991-12-16T00:00:00Z",
        "endpoint": wikidata_endpoint.value,
    }]  # Malaysia is in the endpoint but not in our graph; Atlantis is ours but unlinked


def test_place_coordinates(wikidata_endpoint):
    rows = run("wikidata-place-coordinates.rq", our_store(), wikidata_endpoint)
    assert [(r["label"], r["coordinates"]) for r in rows] == [
        ("Astana", "Point(71.4 51.2)"),
        ("Kazakhstan", "Point(67.0 48.0)"),
    ]  # Geneva's item has a class the query does not fetch (see the query's comment)


def test_the_endpoint_must_be_bound():
    # Oxigraph cannot evaluate SERVICE ?endpoint with ?endpoint unbound: callers apply the default.
    query = (QUERIES / "wikidata-country-facts.rq").read_text(encoding="utf-8")
    store = our_store()
    with pytest.raises(RuntimeError, match="service name is unbound"):
        list(store.query(query, use_default_graph_as_union=True))


def test_an_unreachable_endpoint_is_an_error_not_an_empty_answer():
    store = our_store()
    dead = NamedNode(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(OSError):
        run("wikidata-country-facts.rq", store, dead)
