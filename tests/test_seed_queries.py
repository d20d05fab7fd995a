"""The saved queries on the graph `kg build` makes of the seed article: the analyst's questions.

The rows checked here are facts the article states (see ../shared/gold); they tie extraction,
the graph layout and the saved queries together end to end.
"""

from __future__ import annotations

import pytest

from kg.queries import get_query, load_catalogue, run
from kg.store import KGStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed(built_store):
    with KGStore(built_store, create=False) as store:
        yield store


def rows(store, name, **params):
    saved = get_query(name)
    result = run(store, saved.text, params or None, saved=saved)
    return [{column: (term.value if term is not None else None) for column, term in zip(result.columns, row,
                                                                                         strict=True)}
            for row in result.rows]


def test_initiatives_of_kazakhstan_with_where_and_when(seed):
    found = {r["name"]: r for r in rows(seed, "initiatives", country="Kazakhstan")}
    cica = found["Conference on Interaction and Confidence Building Measures in Asia"]
    assert cica["proposalDate"] == "1992-10"
    assert cica["proposedAt"] == "47th Session of the United Nations General Assembly"
    assert found["International Agency for Biological Safety"]["proposalDate"] == "2020-09"
    assert found["Islamic Organisation for Food Security"]["proposedAt"] == "World Islamic Economic Forum"
    assert {"Astana International Forum", "Congress of Leaders of World and Traditional Religions"} <= set(found)


def test_who_said_what_at_which_event(seed):
    said = rows(seed, "who-said-what", speaker="Kairat Sarybay")
    assert len(said) == 5
    assert all(r["event"] == "Central Asian Security and Cooperation Forum" for r in said)
    assert any("only pan-Asian organisation" in r["text"] and r["directQuote"] == "true" for r in said)


def test_statements_at_an_event_carry_their_delivery(seed):
    said = rows(seed, "statements-at-event", event="Central Asian Security and Cooperation Forum")
    delivered = [r for r in said if r.get("deliveredBy")]
    assert [r["deliveredBy"] for r in delivered] == ["Murat Nurtleu"]
    assert {r["speakerName"] for r in said} >= {"Kassym-Jomart Tokayev", "Yerkin Tukumov", "Murat Nurtleu"}


def test_people_and_their_posts(seed):
    posts = {(r["name"], r["post"]) for r in rows(seed, "people-posts") if r.get("post")}
    assert ("Murat Nurtleu", "Deputy Prime Minister of Kazakhstan") in posts
    assert ("Murat Nurtleu", "Minister of Foreign Affairs of Kazakhstan") in posts
    assert ("Kassym-Jomart Tokayev", "President of Kazakhstan") in posts


def test_events_timeline_resolves_relative_dates(seed):
    forum = next(r for r in rows(seed, "events-timeline") if r["name"] == "Central Asian Security and Cooperation Forum")
    assert (forum["startDate"], forum["endDate"]) == ("2023-07-13", "2023-07-14")
    assert forum["location"] == "Astana"


def test_linked_entities_are_the_verified_ones(seed):
    linked = {r["label"]: r["qid"] for r in rows(seed, "linked-entities")}
    assert linked["Kazakhstan"].endswith("Q232") and linked["Kassym-Jomart Tokayev"].endswith("Q200881")
    assert len(linked) == 14


def test_entities_by_type_lists_the_documents_the_article_cites_not_the_article(seed):
    documents = {r["name"] for r in rows(seed, "entities-by-type", type="Document")}
    assert {"Almaty Act", "Biological Weapons Convention"} <= documents
    assert not any(name.startswith("Kazakhstan’s Unwavering Commitment") for name in documents)   # listed by sources
    assert any(r["title"].startswith("Kazakhstan’s Unwavering Commitment") for r in rows(seed, "sources"))


@pytest.mark.parametrize("name", sorted(n for n, q in load_catalogue().items() if "SERVICE" not in q.text
                                        and not any(not p.optional and p.default is None for p in q.params)))
def test_every_query_without_required_parameters_answers_on_the_seed(seed, name):
    assert rows(seed, name), f"{name} returned no rows on the seed article"
