"""The two-source offline Wikidata table (data/wikidata/offline-table.tsv) and typed, ambiguity-aware
offline linking."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.link import LINKED_CLASSES, TABLE_CLASSES, link_store, load_table, normalise_name
from kg.terms import ENTITY_CLASSES, ID, KG, LINKS_GRAPH, OWL, RDF, RDFS, SKOS, entity_iri, graph_iri

REPO = Path(__file__).resolve().parent.parent
WIKIDATA = REPO / "data" / "wikidata"
TABLE = WIKIDATA / "offline-table.tsv"
UNVERIFIED = WIKIDATA / "unverified.tsv"
SEED = WIKIDATA / "verified-qids.tsv"
ATTRIBUTABLE = {"seed", "owid", "conzept", "t2wml", "osm-capitals", "supraverden", "ror", "opensanctions-igo", "rigour",
                "dr5hn-capitals", "dr5hn-states", "dr5hn-subregions", "jgkim-regions", "kuni", "emblems",
                "dr5hn-cities", "tinysearch-cities", "popmap", "spocwiki"}
QID = re.compile(r"Q[1-9][0-9]*")


def rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


TABLE_ROWS = rows(TABLE)
ALL_ROWS = rows(SEED) + TABLE_ROWS


def names(row: dict[str, str]) -> list[str]:
    return [row["label"], *filter(None, row.get("aliases", "").split("|"))]


# --------------------------------------------------------------------------- the table itself


def test_every_row_has_two_named_sources():
    documented = (WIKIDATA / "SOURCES.md").read_text(encoding="utf-8")
    for row in TABLE_ROWS:
        sources = row["sources"].split("|")
        assert len(set(sources)) >= 2, row
        assert set(sources) <= ATTRIBUTABLE, row
        assert all(f"| {s} |" in documented for s in sources), row


def test_qids_are_well_formed_and_classes_are_ontology_classes():
    ontology = (REPO / "ontology" / "newskg.ttl").read_text(encoding="utf-8")
    for row in ALL_ROWS:
        assert QID.fullmatch(row["qid"]), row
        assert row["class"] in LINKED_CLASSES, row
        assert re.search(rf"kg:{row['class']}\b", ontology), row


def test_no_qid_repeats_with_another_name_or_class():
    seen: dict[str, tuple[str, str]] = {}
    for row in TABLE_ROWS:
        assert row["qid"] not in seen, f"{row['qid']} twice in the table"
        seen[row["qid"]] = (normalise_name(row["label"]), row["class"])
    for row in rows(SEED):  # the seed's rows may reappear in the table, but only as the same thing
        if row["qid"] in seen:
            assert seen[row["qid"]] == (normalise_name(row["label"]), row["class"]), row


def test_no_name_maps_to_two_qids_unless_marked_ambiguous_in_each():
    """A name two rows share (New York: the state and the city) is in both rows' ambiguous column, so that
    it never links on its own; any other name has one owner."""
    owners: dict[str, set[str]] = {}
    unmarked: dict[str, set[str]] = {}
    for row in ALL_ROWS:
        flagged = {normalise_name(n) for n in row.get("ambiguous", "").split("|") if n}
        for name in names(row):
            owners.setdefault(normalise_name(name), set()).add(row["qid"])
            if normalise_name(name) not in flagged:
                unmarked.setdefault(normalise_name(name), set()).add(row["qid"])
    assert {name: qids for name, qids in owners.items() if len(qids) > 1 and name in unmarked} == {}


def test_unverified_rows_say_why_and_are_not_linked():
    verified = {row["qid"] for row in ALL_ROWS}
    left_out = rows(UNVERIFIED)
    assert left_out
    for row in left_out:
        assert row["reason"].strip(), row
        assert row["qid"] not in verified, row


def test_the_table_is_what_the_sources_give():
    """The build script reproduces both files from build/sources/ (no hand edits)."""
    done = subprocess.run([sys.executable, str(WIKIDATA / "build" / "build_table.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_coverage_of_what_news_mentions():
    table = load_table()
    for cls, name, qid in [("Country", "Japan", "Q17"), ("Country", "Mozambique", "Q1029"),
                           ("Country", "United Kingdom", "Q145"), ("Country", "UK", "Q145"),
                           ("Place", "Nairobi", "Q3870"), ("Country", "Hong Kong", "Q8646"),
                           ("Organisation", "European Union", "Q458"), ("Organisation", "NATO", "Q7184"),
                           ("Organisation", "UNICEF", "Q740308"), ("Organisation", "WHO", "Q7817"),
                           ("Organisation", "Gulf Cooperation Council", "Q217172"),
                           ("Organisation", "European Commission", "Q8880"), ("Place", "Dhaka", "Q1354"),
                           ("Place", "Tokyo", "Q1490"), ("Country", "Falkland Islands", "Q9648")]:
        assert table[(cls, normalise_name(name))] == {qid}, name


def test_at_least_450_two_source_rows():
    assert len(TABLE_ROWS) >= 450


def test_a_name_only_source_never_stands_alone():
    """dr5hn gives capital names without QIDs: a row it joins also has the two sources that give the QID."""
    for row in TABLE_ROWS:
        sources = set(row["sources"].split("|"))
        if "dr5hn-capitals" in sources:
            assert {"conzept", "osm-capitals"} <= sources, row


def test_the_realm_never_takes_the_country_name():
    """rigour names the realm items (Q756617, Q29999) Denmark and Netherlands; the country rows keep them."""
    table = load_table()
    assert table[("Country", "denmark")] == {"Q35"}
    assert ("Country", "denmark") not in table.ambiguous


# --------------------------------------------------------------------------- typed, ambiguity-aware linking


def add_entity(store: Store, cls: str, label: str, *aliases: str) -> NamedNode:
    graph, doc = graph_iri("doc"), entity_iri("document", "doc")
    entity = entity_iri(ENTITY_CLASSES[cls], f"{cls.lower()}-{normalise_name(label).replace(' ', '-')}")
    mention = NamedNode(f"{ID}mention/doc-{len(store)}")
    store.extend([
        Quad(doc, RDF.type, KG.Document, graph),
        Quad(entity, RDF.type, KG[cls], graph),
        Quad(entity, RDFS.label, Literal(label), graph),
        *(Quad(entity, SKOS.altLabel, Literal(a), graph) for a in aliases),
        Quad(mention, RDF.type, KG.Mention, graph),
        Quad(mention, KG.denotes, entity, graph),
        Quad(mention, KG.source, doc, graph),
    ])
    return entity


def linked(store: Store) -> dict[str, str]:
    return {q.subject.value: q.object.value.rsplit("/", 1)[-1]
            for q in store.quads_for_pattern(None, OWL.sameAs, None, LINKS_GRAPH)}


def test_a_person_named_like_a_country_never_gets_the_country():
    store = Store()
    person = add_entity(store, "Person", "Georgia")
    jordan = add_entity(store, "Person", "Jordan")
    org = add_entity(store, "Organisation", "Japan")
    link_store(store)
    assert person.value not in linked(store)
    assert jordan.value not in linked(store)
    assert org.value not in linked(store)


def test_a_country_is_a_place():
    store = Store()
    place = add_entity(store, "Place", "Mozambique")
    city = add_entity(store, "Place", "Nairobi")
    country_named_city = add_entity(store, "Country", "Nairobi")  # a Country never takes a city row
    link_store(store)
    got = linked(store)
    assert got[place.value] == "Q1029"
    assert got[city.value] == "Q3870"
    assert country_named_city.value not in got


@pytest.mark.parametrize("cls,name", [("Country", "Georgia"), ("Country", "Congo"), ("Place", "Congo"),
                                      ("Country", "Guinea"), ("Place", "Victoria"), ("Place", "Kingston")])
def test_a_bare_ambiguous_name_stays_unlinked_offline(cls, name):
    table = load_table()
    keys = [(c, normalise_name(name)) for c in TABLE_CLASSES[cls] if (c, normalise_name(name)) in table]
    assert all(key in table.ambiguous for key in keys)
    store = Store()
    entity = add_entity(store, cls, name)
    report = link_store(store)
    assert entity.value not in linked(store)
    assert entity.value in {r.entity for r in report.unlinked}


def test_the_full_name_settles_an_ambiguous_one():
    store = Store()
    congo = add_entity(store, "Country", "Republic of the Congo", "Congo")
    drc = add_entity(store, "Country", "Democratic Republic of the Congo", "Congo")
    georgia = add_entity(store, "Country", "Georgia", "Republic of Georgia")  # not a name the table knows
    guinea = add_entity(store, "Country", "Guinea-Bissau")
    link_store(store)
    got = linked(store)
    assert got[congo.value] == "Q971"
    assert got[drc.value] == "Q974"
    assert georgia.value not in got
    assert got[guinea.value] == "Q1007"


def test_every_row_links_its_own_class_by_its_label():
    """A sample of the table, one entity per row, linked by label: each gets its row's QID, unless the
    label is marked ambiguous."""
    store, expected = Store(), {}
    for row in TABLE_ROWS[::7]:
        entity = add_entity(store, row["class"], row["label"])
        if row["label"] not in row["ambiguous"].split("|"):
            expected[entity.value] = row["qid"]
    link_store(store)
    assert linked(store) == expected


def test_place_rows_may_be_taken_by_places_only():
    assert TABLE_CLASSES["Place"] == ("Place", "Country")
    assert all(TABLE_CLASSES[cls] == (cls,) for cls in LINKED_CLASSES if cls != "Place")
