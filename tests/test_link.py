"""Wikidata linking: offline table, cache, the real HTTP client against a local replay server."""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Store
from wikidata_replay.server import ReplayServer, Reply

from kg.errors import LinkError
from kg.link import (
    METHOD_API,
    METHOD_CACHE,
    METHOD_TABLE,
    STAGING_GRAPH,
    TABLE_CLASSES,
    WikidataClient,
    link_store,
    load_table,
    normalise_name,
)
from kg.store import KGStore
from kg.terms import (
    ENTITY_CLASSES,
    ID,
    KG,
    LINKS_GRAPH,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SKOS,
    XSD,
    entity_iri,
    graph_iri,
)

REPO = Path(__file__).resolve().parent.parent
VERIFIED = REPO / "data" / "wikidata" / "verified-qids.tsv"


# --------------------------------------------------------------------------- building stores


def add_entity(store: Store, doc_id: str, cls: str, label: str, *aliases: str, slug: str | None = None) -> NamedNode:
    """An entity as the ingest code writes it: typed, labelled, mentioned in ``doc_id``."""
    graph, doc = graph_iri(doc_id), entity_iri("document", doc_id)
    entity = entity_iri(ENTITY_CLASSES[cls], slug or normalise_name(label).replace(" ", "-"))
    mention = NamedNode(f"{ID}mention/{doc_id}-{len(store)}")
    store.extend([
        Quad(doc, RDF.type, KG.Document, graph),
        Quad(doc, RDFS.label, Literal(f"Article {doc_id}"), graph),
        Quad(entity, RDF.type, KG[cls], graph),
        Quad(entity, RDFS.label, Literal(label), graph),
        *(Quad(entity, SKOS.altLabel, Literal(alias), graph) for alias in aliases),
        Quad(mention, RDF.type, KG.Mention, graph),
        Quad(mention, KG.denotes, entity, graph),
        Quad(mention, KG.source, doc, graph),
    ])
    return entity


def links(store: Store) -> dict[str, str]:
    """entity IRI -> QID, read from the links graph."""
    return {q.subject.value: q.object.value.rsplit("/", 1)[-1]
            for q in store.quads_for_pattern(None, OWL.sameAs, None, LINKS_GRAPH)}


def methods(report) -> dict[str, tuple[str, str]]:
    return {row.label: (row.qid, row.method) for row in report.linked}


def reasons(report) -> dict[str, str]:
    return {f"{row.entity_class} {row.label}": row.reason for row in report.unlinked}


# --------------------------------------------------------------------------- offline


def test_shipped_table_is_the_verified_one():
    shared = REPO.parent / "shared" / "wikidata" / "verified-qids.tsv"  # present in the team's checkout only
    if shared.exists():
        assert VERIFIED.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")
    assert load_table()[("Country", "kazakhstan")] == {"Q232"}


def test_offline_links_exactly_the_table_qids():
    store = Store()
    kz = add_entity(store, "a", "Country", "Kazakhstan")
    # linked through one of its aliases (its label is in no row): a lower score than a label match
    un = add_entity(store, "a", "Organisation", "United Nations Organization", "United Nations")
    kl = add_entity(store, "a", "Place", "kuala lumpur")
    president = add_entity(store, "b", "Person", "Kassym-Jomart Tokáyev")
    wrong_class = add_entity(store, "b", "Person", "Astana")  # the table lists Astana as a Place
    unknown = add_entity(store, "b", "Organisation", "Society of Imaginary Things")

    report = link_store(store)

    assert links(store) == {kz.value: "Q232", un.value: "Q1065", kl.value: "Q1865", president.value: "Q200881"}
    assert {row.entity: row.score for row in report.linked} == {
        kz.value: 1.0, un.value: 0.95, kl.value: 1.0, president.value: 1.0}
    assert {row.method for row in report.linked} == {METHOD_TABLE}
    assert {row.entity for row in report.unlinked} == {wrong_class.value, unknown.value}
    assert "offline table" in reasons(report)["Organisation Society of Imaginary Things"]
    assert report.requests == 0
    # The article itself is a kg:Document with a label, but it is what we read, not something to link.
    assert all("/document/" not in row.entity for row in report.linked + report.unlinked)


table_rows = [(r.split("\t")[0], r.split("\t")[1], r.split("\t")[2])
              for r in VERIFIED.read_text(encoding="utf-8").splitlines()[3:] if r.strip()]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(table_rows), st.sampled_from(sorted(set(ENTITY_CLASSES) - {"Position"})),
                          st.sampled_from(["same", "upper", "lower"])),
                min_size=1, max_size=6, unique_by=lambda t: t[0]))
def test_offline_never_links_across_classes(picks):
    store = Store()
    expected = {}
    for (label, qid, table_class), cls, case in picks:
        shown = {"same": label, "upper": label.upper(), "lower": label.lower()}[case]
        entity = add_entity(store, "doc", cls, shown, slug=f"{cls.lower()}-{qid.lower()}")
        if table_class in TABLE_CLASSES[cls]:  # same class, or a Place named like a country
            expected[entity.value] = qid
    link_store(store)
    assert links(store) == expected


def test_evidence_records_method_score_and_every_source():
    store = Store()
    kz = add_entity(store, "a", "Country", "Kazakhstan")
    add_entity(store, "b", "Country", "Kazakhstan")
    link_store(store)
    rows = list(store.query(
        "SELECT ?ev ?p ?o WHERE { ?ev a kg:Evidence ; ?p ?o }", prefixes=PREFIXES, default_graph=LINKS_GRAPH))
    by_node: dict[str, dict[str, set]] = {}
    for row in rows:
        by_node.setdefault(row["ev"].value, {}).setdefault(row["p"].value, set()).add(row["o"])
    assert len(by_node) == 2  # one per document: the shapes allow one kg:source per Evidence
    assert {next(iter(n[KG.source.value])).value for n in by_node.values()} == {
        entity_iri("document", "a").value, entity_iri("document", "b").value}
    for iri, node in by_node.items():
        assert iri.startswith(ID + "evidence/link-")
        assert node[RDF.subject.value] == {kz}
        assert node[RDF.predicate.value] == {OWL.sameAs}
        assert node[RDF.object.value] == {NamedNode("http://www.wikidata.org/entity/Q232")}
        (confidence,) = node[KG.confidence.value]
        assert confidence.datatype == XSD.decimal and float(confidence.value) == 1.0
        assert node[KG.method.value] == {Literal(METHOD_TABLE)}


def test_each_link_has_one_record_with_its_method_and_confidence():
    store = Store()
    kz = add_entity(store, "a", "Country", "Kazakhstan")
    add_entity(store, "b", "Country", "Kazakhstan")
    add_entity(store, "c", "Country", "Kazakhstan")
    link_store(store)
    records = list(store.query(
        "PREFIX kgx: <https://w3id.org/newskg/internal#> SELECT ?link ?s ?o ?m ?c WHERE { "
        "?link kgx:linkSubject ?s ; kgx:linkObject ?o ; kgx:linkMethod ?m ; kgx:linkConfidence ?c }",
        default_graph=LINKS_GRAPH))
    assert len(records) == 1  # once per link, not once per document
    (record,) = records
    assert record["s"] == kz and record["o"] == NamedNode("http://www.wikidata.org/entity/Q232")
    assert record["m"] == Literal(METHOD_TABLE)
    # the evidence nodes (one per document) carry the same single value
    pairs = {(row["m"], row["c"]) for row in store.query(
        "SELECT ?m ?c WHERE { ?ev a kg:Evidence ; kg:method ?m ; kg:confidence ?c }",
        prefixes=PREFIXES, default_graph=LINKS_GRAPH)}
    assert pairs == {(record["m"], record["c"])}


def test_relinking_replaces_the_links_graph(tmp_path):
    store = Store()
    kz = add_entity(store, "a", "Country", "Kazakhstan")
    extra = add_entity(store, "a", "Place", "Nowhere Town")
    table = tmp_path / "table.tsv"
    table.write_text("label\tqid\tclass\nNowhere Town\tQ424242\tPlace\nKazakhstan\tQ232\tCountry\n", encoding="utf-8")
    link_store(store, table_path=table)
    assert links(store) == {kz.value: "Q232", extra.value: "Q424242"}
    link_store(store)
    assert links(store) == {kz.value: "Q232"}
    assert not any(q.subject == extra for q in store.quads_for_pattern(None, None, None, LINKS_GRAPH))
    assert STAGING_GRAPH not in set(store.named_graphs())
    # Linking again changes nothing: same IRIs, same quads.
    before = set(store.quads_for_pattern(None, None, None, LINKS_GRAPH))
    link_store(store)
    assert set(store.quads_for_pattern(None, None, None, LINKS_GRAPH)) == before


def test_a_name_matching_two_table_rows_stays_unlinked(tmp_path):
    store = Store()
    add_entity(store, "a", "Place", "Springfield")
    table = tmp_path / "table.tsv"
    table.write_text("label\tqid\tclass\nSpringfield\tQ1001\tPlace\nSPRINGFIELD\tQ1002\tPlace\n", encoding="utf-8")
    report = link_store(store, table_path=table)
    assert report.linked == []
    assert "several rows" in reasons(report)["Place Springfield"]


def test_linking_works_on_an_on_disk_store(tmp_path):
    store = Store(str(tmp_path / "store"))
    kz = add_entity(store, "a", "Country", "Kazakhstan")
    link_store(store)
    assert links(store) == {kz.value: "Q232"}


# --------------------------------------------------------------------------- the HTTP client


@pytest.fixture
def sleeps():
    return []


def make_client(server: ReplayServer, sleeps: list, **options) -> WikidataClient:
    options = {"min_interval": 0, "timeout": 2.0, "retries": 2, "backoff": 1.0, **options}
    return WikidataClient(server.url, sleep=sleeps.append, **options)


def test_search_and_get_entities_read_the_api_shape(sleeps):
    with ReplayServer() as server:
        client = make_client(server, sleeps)
        hits = client.search("Georgia")
        entities = client.get_entities(["Q1428", "Q230", "Q999999999"])
    assert [h["id"] for h in hits] == ["Q230", "Q1428", "Q987650101"]
    assert sorted(entities) == ["Q1428", "Q230"]  # the missing item is left out
    assert entities["Q230"]["labels"]["en"]["value"] == "Georgia"
    assert client.requests == 2 and sleeps == []
    assert server.user_agents[0].startswith("newskg/") and "https://w3id.org/newskg" in server.user_agents[0]
    assert server.requests[0]["format"] == "json" and server.requests[0]["maxlag"] == "5"


def test_get_entities_asks_at_most_fifty_ids_per_request(sleeps):
    with ReplayServer() as server:
        make_client(server, sleeps).get_entities([f"Q{n}" for n in range(1, 121)])
    assert [len(p["ids"].split("|")) for p in server.requests] == [50, 50, 20]


def test_http_429_waits_as_long_as_retry_after_says(sleeps):
    script = {("wbsearchentities", "georgia"): [Reply(429, body={"error": "slow down"}, headers={"Retry-After": "3"}),
                                                Reply()]}
    with ReplayServer(script) as server:
        hits = make_client(server, sleeps).search("Georgia")
    assert hits[0]["id"] == "Q230"
    assert sleeps == [3.0] and server.count() == 2


def test_retry_after_as_an_http_date(sleeps):
    later = formatdate(time.time() + 2, usegmt=True)
    script = {("wbsearchentities", "georgia"): [Reply(429, headers={"Retry-After": later}), Reply()]}
    with ReplayServer(script) as server:
        make_client(server, sleeps).search("Georgia")
    assert len(sleeps) == 1 and 0.0 <= sleeps[0] <= 2.0


def test_http_500_is_retried_with_backoff(sleeps):
    script = {("wbsearchentities", "georgia"): [Reply(500, body="<html>oops</html>"), Reply()]}
    with ReplayServer(script) as server:
        assert make_client(server, sleeps).search("Georgia")[0]["id"] == "Q230"
    assert sleeps == [1.0] and server.count() == 2


def test_http_500_forever_gives_a_clear_error_after_the_retries(sleeps):
    script = {("wbsearchentities", "*"): [Reply(503, body="busy")]}
    with ReplayServer(script) as server:
        with pytest.raises(LinkError) as error:
            make_client(server, sleeps, retries=3).search("Georgia")
    assert server.count() == 4 and sleeps == [1.0, 2.0, 4.0]  # exponential backoff
    message = str(error.value)
    assert "\n" not in message and "4 attempts" in message and "HTTP 503" in message and "'Georgia'" in message


def test_backoff_is_capped(sleeps):
    script = {("wbsearchentities", "*"): [Reply(429, headers={"Retry-After": "86400"})]}
    with ReplayServer(script) as server, pytest.raises(LinkError):
        make_client(server, sleeps, retries=1, max_wait=30).search("Georgia")
    assert sleeps == [30]


def test_a_timeout_is_retried(sleeps):
    script = {("wbsearchentities", "georgia"): [Reply(delay=1.0), Reply()]}
    with ReplayServer(script) as server:
        hits = make_client(server, sleeps, timeout=0.2).search("Georgia")
    assert hits[0]["id"] == "Q230" and server.count() == 2 and sleeps == [1.0]


def test_timeouts_forever_give_a_clear_error(sleeps):
    script = {("wbsearchentities", "*"): [Reply(delay=1.0)]}
    with ReplayServer(script) as server, pytest.raises(LinkError, match="timed out"):
        make_client(server, sleeps, timeout=0.2, retries=1).search("Georgia")


def test_malformed_json_is_an_error_not_a_retry(sleeps):
    script = {("wbsearchentities", "*"): [Reply(body='{"search": [{"id": "Q230"')]}
    with ReplayServer(script) as server:
        with pytest.raises(LinkError, match="malformed JSON") as error:
            make_client(server, sleeps).search("Georgia")
    assert server.count() == 1 and "\n" not in str(error.value)


@pytest.mark.parametrize("body", ['[1, 2]', '{"searchinfo": {}}', '{"entities": "none"}'])
def test_json_of_the_wrong_shape_is_an_error(sleeps, body):
    script = {("wbsearchentities", "*"): [Reply(body=body)], ("wbgetentities", "*"): [Reply(body=body)]}
    with ReplayServer(script) as server, pytest.raises(LinkError):
        client = make_client(server, sleeps)
        client.search("Georgia")
        client.get_entities(["Q230"])


def test_api_errors_are_reported_and_maxlag_is_waited_out(sleeps):
    bad = {"error": {"code": "badvalue", "info": "Unrecognized value for parameter \"type\"."}}
    lag = {"error": {"code": "maxlag", "info": "Waiting for a database server: 6 seconds lagged."}}
    script = {("wbsearchentities", "georgia"): [Reply(body=lag, headers={"Retry-After": "5"}), Reply()],
              ("wbsearchentities", "washington"): [Reply(body=bad)]}
    with ReplayServer(script) as server:
        client = make_client(server, sleeps)
        assert client.search("Georgia")[0]["id"] == "Q230"
        with pytest.raises(LinkError, match="badvalue"):
            client.search("Washington")
    assert sleeps == [5.0]


def test_client_errors_other_than_429_are_not_retried(sleeps):
    with ReplayServer({("wbsearchentities", "*"): [Reply(403, body="forbidden")]}) as server:
        with pytest.raises(LinkError, match="HTTP 403"):
            make_client(server, sleeps).search("Georgia")
    assert server.count() == 1


def test_an_unreachable_api_is_a_clear_error(sleeps):
    with ReplayServer() as server:
        url = server.url  # the port is free again once the server has stopped
    client = WikidataClient(url, retries=1, min_interval=0, sleep=sleeps.append, timeout=1)
    with pytest.raises(LinkError, match="after 2 attempts"):
        client.search("Georgia")


def test_requests_are_spaced_by_the_minimum_interval():
    now = [100.0]
    waits = []

    def sleep(seconds):
        waits.append(round(seconds, 3))
        now[0] += seconds

    with ReplayServer() as server:
        client = WikidataClient(server.url, min_interval=0.5, sleep=sleep, clock=lambda: now[0])
        client.search("Georgia")
        now[0] += 0.2
        client.search("Washington")
        now[0] += 5
        client.search("Ali Khan")
    assert waits == [0.3]


# --------------------------------------------------------------------------- online linking


def test_a_person_and_places_sharing_names(sleeps):
    store = Store()
    georgia = add_entity(store, "a", "Country", "Georgia")
    washington_place = add_entity(store, "a", "Place", "Washington")
    george = add_entity(store, "a", "Person", "George Washington", "Washington")
    washington_person = add_entity(store, "b", "Person", "Washington")
    near_miss = add_entity(store, "b", "Person", "Georgia Lan")
    with ReplayServer() as server:
        report = link_store(store, online=True, client=make_client(server, sleeps))

    assert links(store) == {georgia.value: "Q230", george.value: "Q23"}
    assert {row.method for row in report.linked} == {METHOD_API}
    why = reasons(report)
    # Washington, D.C. and the US state are both places called Washington: no guess.
    assert why["Place Washington"].startswith("ambiguous: Q61")
    assert "one-word person name" in why["Person Washington"]
    assert "only at 0.72 < 0.80" in why["Person Georgia Lan"]
    assert {row.entity for row in report.unlinked} == {washington_place.value, washington_person.value, near_miss.value}
    # "Georgia" is searched once although a Country and a Person are called that way.
    assert [p.get("search") for p in server.requests if p["action"] == "wbsearchentities"].count("Georgia") <= 1


def test_disambiguation_pages_and_family_names_are_not_rivals(tmp_path, sleeps):
    store = Store()
    veridia = add_entity(store, "a", "Place", "Veridia")
    with ReplayServer() as server:
        report = link_store(store, online=True, client=make_client(server, sleeps))
        assert links(store) == {veridia.value: "Q987650701"}
        # Without the Ignore rows of accepted-types.tsv the same answer would read as ambiguous.
        types = tmp_path / "types.tsv"
        shipped = (REPO / "data" / "wikidata" / "accepted-types.tsv").read_text(encoding="utf-8")
        types.write_text("".join(line for line in shipped.splitlines(keepends=True)
                                 if not line.startswith("Ignore")), encoding="utf-8")
        report = link_store(store, online=True, client=make_client(server, sleeps), types_path=types)
    assert report.linked == [] and reasons(report)["Place Veridia"].startswith("ambiguous: Q987650701")


def test_an_ambiguous_name_stays_unlinked_without_context(sleeps):
    store = Store()
    add_entity(store, "a", "Person", "Ali Khan")
    with ReplayServer() as server:
        report = link_store(store, online=True, client=make_client(server, sleeps))
    assert report.linked == []
    assert reasons(report)["Person Ali Khan"].startswith("ambiguous: Q987650301")


def test_context_from_the_same_document_settles_an_ambiguous_name(sleeps):
    store = Store()
    ali = add_entity(store, "a", "Person", "Ali Khan")
    pakistan = add_entity(store, "a", "Country", "Pakistan")  # linked by the table, Q843
    india = add_entity(store, "b", "Country", "India")  # another document: no context for Ali Khan
    with ReplayServer() as server:
        report = link_store(store, online=True, client=make_client(server, sleeps))
    # India is in the two-source offline table (Q668); in document b it gives Ali Khan no context.
    assert links(store) == {pakistan.value: "Q843", ali.value: "Q987650301", india.value: "Q668"}
    assert methods(report)["Ali Khan"] == ("Q987650301", METHOD_API)


def test_a_second_run_makes_no_request(tmp_path, sleeps):
    store = Store()
    add_entity(store, "a", "Country", "Georgia")
    add_entity(store, "a", "Place", "Washington")
    add_entity(store, "a", "Country", "Kazakhstan")
    cache = tmp_path / "wikidata-cache.json"
    with ReplayServer() as server:
        first = link_store(store, online=True, client=make_client(server, sleeps), cache_path=cache)
        made = server.count()
        second = link_store(store, online=True, client=make_client(server, sleeps), cache_path=cache)
        assert server.count() == made > 0
    assert second.requests == 0 and first.requests == made
    assert methods(first) == {"Georgia": ("Q230", METHOD_API), "Kazakhstan": ("Q232", METHOD_TABLE)}
    assert methods(second) == {"Georgia": ("Q230", METHOD_CACHE), "Kazakhstan": ("Q232", METHOD_TABLE)}
    assert reasons(second)["Place Washington"].startswith("cached: ambiguous")
    saved = json.loads(cache.read_text(encoding="utf-8"))["decisions"]
    assert saved["Country|georgia"]["qid"] == "Q230" and saved["Place|washington"]["qid"] is None
    # Offline, the cache alone gives the same links.
    offline = link_store(store, cache_path=cache)
    assert methods(offline) == methods(second)


def test_a_failing_api_leaves_the_old_links_and_keeps_finished_decisions(tmp_path, sleeps):
    store = Store()
    kz = add_entity(store, "a", "Country", "Kazakhstan")
    add_entity(store, "a", "Country", "Georgia")  # id/country/georgia: processed first
    add_entity(store, "a", "Place", "Washington")
    link_store(store)
    before = set(store.quads_for_pattern(None, None, None, LINKS_GRAPH))
    cache = tmp_path / "cache.json"
    script = {("wbsearchentities", "washington"): [Reply(500)]}
    with ReplayServer(script) as server, pytest.raises(LinkError, match="HTTP 500"):
        link_store(store, online=True, client=make_client(server, sleeps), cache_path=cache)
    assert set(store.quads_for_pattern(None, None, None, LINKS_GRAPH)) == before
    assert links(store) == {kz.value: "Q232"}
    assert list(json.loads(cache.read_text(encoding="utf-8"))["decisions"]) == ["Country|georgia"]


def test_a_broken_cache_file_is_a_clear_error(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    with pytest.raises(LinkError, match="delete it"):
        link_store(Store(), cache_path=cache)


# --------------------------------------------------------------------------- saved queries


def saved_query(name: str) -> str:
    return (REPO / "queries" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["linked-entities.rq", "unlinked-entities.rq", "wikidata-country-facts.rq",
                                  "wikidata-place-coordinates.rq"])
def test_saved_queries_have_the_header(name):
    lines = saved_query(name).splitlines()
    assert lines[0].startswith("# title: ") and lines[1].startswith("# description: ")


def test_linked_and_unlinked_entities_queries(tmp_path):
    written = Store(str(tmp_path / "store"))
    add_entity(written, "a", "Country", "Kazakhstan")
    add_entity(written, "a", "Organisation", "UN", "United Nations")
    add_entity(written, "b", "Organisation", "Society of Imaginary Things")
    add_entity(written, "a", "Organisation", "Society of Imaginary Things")
    del written
    # opened by newskg, the store gets its layout: entity triples once, mention and document counts
    kg_store = KGStore(tmp_path / "store")
    store = kg_store.store
    link_store(store)

    linked = [(row["label"].value, row["qid"].value, row["method"].value, float(row["confidence"].value),
               row["classes"].value)
              for row in store.query(saved_query("linked-entities.rq"), use_default_graph_as_union=True)]
    # "UN" is a name of the table's United Nations row (since the two-source table lists it): a label match
    assert linked == [("Kazakhstan", "Q232", METHOD_TABLE, 1.0, "Country"),
                      ("UN", "Q1065", METHOD_TABLE, 1.0, "Organisation")]
    unlinked = [(row["label"].value, row["classes"].value, row["documents"].value)
                for row in store.query(saved_query("unlinked-entities.rq"), use_default_graph_as_union=True)]
    assert unlinked == [("Society of Imaginary Things", "Organisation", "2")]
    kg_store.close()
