"""`kg explain` on tests/fixtures/small.trig: each fact of an entity with its supporting sentence."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kg.errors import QueryError
from kg.explain import Explanation, explain, format_explanation

ID = "https://w3id.org/newskg/id/"
KG = "https://w3id.org/newskg/ontology#"
OPENS = NamedNode(ID + "document/danube-summit-opens")
CLOSES = NamedNode(ID + "document/danube-summit-closes")
PROPOSAL = "The council was proposed by Austria at the Ljubljana River Conference in October 2009."
MEMBERS = ("It now has 11 member states, three observers and five partner organisations, and its secretariat "
           "is based in Budapest, Hungary.")


def summary(explanation: Explanation) -> set[tuple]:
    """(direction, predicate local name, other end) of every fact."""
    def end(term):
        return term.value.replace(ID, "") if isinstance(term, NamedNode) else term.value

    return {(fact.direction, fact.predicate.value.replace(KG, ""),
             end(fact.object if fact.direction == "out" else fact.subject)) for fact in explanation}


def test_explain_an_organisation_by_alias(small_store):
    explanation = explain(small_store, "DBWC")
    assert explanation.entity == NamedNode(ID + "organisation/danube-basin-water-council")
    assert summary(explanation) == {
        ("out", "initiatedBy", "country/austria"),
        ("out", "proposedAt", "event/ljubljana-river-conference"),
        ("out", "proposalDate", "2009-10"),
        ("out", "headquarters", "place/budapest"),
        ("out", "memberCount", "11"),
        ("out", "observerCount", "3"),
        ("out", "partnerCount", "5"),
        ("in", "organisedBy", "event/danube-water-summit"),
        ("in", "positionOf", "position/secretary-general-of-the-danube-basin-water-council"),
    }
    assert len(explanation) == 9
    initiated = next(fact for fact in explanation if fact.predicate.value == KG + "initiatedBy")
    assert (initiated.sentence, initiated.method, initiated.confidence, initiated.source) == (
        PROPOSAL, "proposed-by", 0.9, OPENS)
    assert initiated.object_label == "Austria"
    members = next(fact for fact in explanation if fact.predicate.value == KG + "memberCount")
    assert (members.sentence, members.begin, members.object_label) == (MEMBERS, 397, None)
    assert explanation.labels == ["Danube Basin Water Council"]
    assert explanation.aliases == ["DBWC"]
    assert explanation.types == [NamedNode(KG + "Organisation")]
    assert (explanation.mentions, explanation.documents) == (4, 2)
    assert [(s.text, s.is_direct_quote, s.event_label, s.date, s.source) for s in explanation.statements] == [
        ("member states had agreed to share river-level data in real time", False, "Danube Water Summit",
         "2024-03-15", CLOSES)]


def test_explain_lists_outgoing_facts_before_incoming(small_store):
    directions = [fact.direction for fact in explain(small_store, "DBWC")]
    assert directions == ["out"] * 7 + ["in"] * 2


def test_a_fact_found_in_two_documents_has_two_pieces_of_evidence(small_store):
    explanation = explain(small_store, "Danube Water Summit")
    locations = [fact for fact in explanation if fact.predicate.value == KG + "location"]
    assert sorted(fact.source.value for fact in locations) == [CLOSES.value, OPENS.value]
    assert {fact.object_label for fact in locations} == {"Vienna"}
    assert ("out", "endDate", "2024-03-15") in summary(explanation)
    assert ("out", "theme", "water security in a changing climate") in summary(explanation)


def test_explain_a_country_by_prefixed_iri(small_store):
    explanation = explain(small_store, "id:country/austria")
    assert summary(explanation) == {
        ("in", "initiatedBy", "organisation/danube-basin-water-council"),
        ("in", "positionOf", "position/minister-of-environment-of-austria"),
    }
    assert explanation.same_as == [NamedNode("http://www.wikidata.org/entity/Q40")]
    assert explanation.statements == []
    assert (explanation.mentions, explanation.documents) == (2, 1)


def test_explain_a_person_with_statements(small_store):
    explanation = explain(small_store, "anna berger")
    assert summary(explanation) == {("out", "holdsPosition", "position/minister-of-environment-of-austria")}
    statements = [(s.text, s.is_direct_quote, s.event_label, s.source) for s in explanation.statements]
    assert statements == [
        ("This summit showed that rivers connect us more than borders divide us", True, None, CLOSES),
        ("clean rivers are a matter of shared security.", True, "Danube Water Summit", OPENS),
    ]
    kovacs = explain(small_store, "István Kovács")
    assert [s.delivered_by for s in kovacs.statements] == ["Marko Petrović"]


def test_unknown_entities_are_refused(small_store):
    with pytest.raises(QueryError, match="no entity is named 'Atlantis'"):
        explain(small_store, "Atlantis")
    with pytest.raises(QueryError, match="nothing is known about id:person/nobody"):
        explain(small_store, "id:person/nobody")


def test_format_explanation(small_store):
    text = format_explanation(explain(small_store, "DBWC"))
    lines = text.splitlines()
    assert lines[0] == "Danube Basin Water Council (id:organisation/danube-basin-water-council)"
    assert "  type: kg:Organisation" in lines
    assert "  also: DBWC" in lines
    assert "  mentions: 4 in 2 document(s)" in lines
    assert "Facts (9)" in lines
    block = lines.index("  kg:initiatedBy → Austria (id:country/austria)")
    assert lines[block + 1] == f"    “{PROPOSAL}”"
    assert lines[block + 2] == "    [proposed-by, 0.90, id:document/danube-summit-opens]"
    assert ("  Danube Water Summit (id:event/danube-water-summit) kg:organisedBy → Danube Basin Water Council"
            in lines)
    assert "Statements (1)" in lines
    assert any(line.startswith("  “member states had agreed") and "at Danube Water Summit" in line for line in lines)
