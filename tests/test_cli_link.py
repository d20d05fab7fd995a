"""`kg link --online` end to end: the CLI, the real HTTP client and a replayed Wikidata API on 127.0.0.1."""

from __future__ import annotations

from pyoxigraph import Store
from test_link import add_entity
from wikidata_replay.server import ReplayServer

from kg.cli import cli
from kg.terms import LINKS_GRAPH, OWL


def make_store(path):
    store = Store(str(path))
    add_entity(store, "a", "Country", "Georgia")
    add_entity(store, "a", "Place", "Washington")
    add_entity(store, "a", "Country", "Kazakhstan")
    store.flush()
    del store


def linked(path) -> dict[str, str]:
    store = Store.read_only(str(path))
    return {q.subject.value.rsplit("/", 1)[-1]: q.object.value.rsplit("/", 1)[-1]
            for q in store.quads_for_pattern(None, OWL.sameAs, None, LINKS_GRAPH)}


def test_online_linking_then_a_second_run_from_the_cache(runner, tmp_path):
    path = tmp_path / "store"
    make_store(path)
    with ReplayServer() as server:
        first = runner.invoke(cli, ["link", "--online", "--endpoint", server.url, "--report", "--store", str(path)])
        asked = server.count()
        second = runner.invoke(cli, ["link", "--online", "--endpoint", server.url, "--store", str(path)])
        assert server.count() == asked
    assert first.exit_code == 0, first.output
    assert "linked 2 entities (1 by wikidata-api, 1 by wikidata-offline-table)" in first.output
    assert "unlinked  Washington" in first.output and asked > 0
    assert second.exit_code == 0 and "0 Wikidata API requests" in second.output
    assert linked(path) == {"georgia": "Q230", "kazakhstan": "Q232"}
    assert (tmp_path / "wikidata-cache.json").is_file()


def test_an_unreachable_endpoint_is_one_error_line_and_keeps_the_links(runner, tmp_path):
    path = tmp_path / "store"
    make_store(path)
    assert runner.invoke(cli, ["link", "--store", str(path)]).exit_code == 0
    before = linked(path)
    result = runner.invoke(cli, ["link", "--endpoint", "http://127.0.0.1:9/w/api.php", "--store", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    assert linked(path) == before == {"kazakhstan": "Q232"}
