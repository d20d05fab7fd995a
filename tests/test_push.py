"""``kg push`` against real servers: a writable ``oxigraph serve`` started here receives the store
through the Graph Store protocol and must then answer every saved query as the local store does.
A read-only server, a dead port and a small scripted HTTP server give the failure paths.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port, oxigraph_server  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import BlankNode, Literal, NamedNode

from kg.cli import cli
from kg.queries import load_catalogue, run, substitutions
from kg.store import KGStore

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@pytest.fixture
def remote(tmp_path):
    with oxigraph_server(tmp_path / "remote-store") as base:
        yield base


def sparql_select(base: str, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(base + "/query", data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["results"]["bindings"]


def remote_quads(base: str) -> int:
    rows = sparql_select(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"]["value"])


def local_key(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("uri", term.value, None)
    if isinstance(term, BlankNode):
        return ("bnode", "", None)
    assert isinstance(term, Literal)
    return ("literal", term.value, term.language or (None if term.datatype.value == XSD_STRING else term.datatype.value))


def remote_key(binding: dict | None) -> tuple | None:
    if binding is None:
        return None
    if binding["type"] == "uri":
        return ("uri", binding["value"], None)
    if binding["type"] == "bnode":
        return ("bnode", "", None)
    extra = binding.get("xml:lang") or binding.get("datatype")
    return ("literal", binding["value"], None if extra == XSD_STRING else extra)


def with_bindings(text: str, bound: dict) -> str:
    """The query with its parameters bound by a VALUES block opening the WHERE group.

    The SPARQL protocol has no way to pass bindings, so they travel in the text; the terms are
    written by pyoxigraph (``str(term)`` is N-Triples), not pasted from user input. Oxigraph may
    evaluate ``SERVICE ?endpoint`` before the VALUES block, so a service variable becomes its IRI.
    """
    if not bound:
        return text
    for variable, term in bound.items():
        text = text.replace(f"SERVICE ?{variable.value} ", f"SERVICE {term} ")
    names = " ".join(f"?{variable.value}" for variable in bound)
    values = " ".join(str(term) for term in bound.values())
    where = text.index("WHERE {") + len("WHERE {")
    return f"{text[:where]}\n  VALUES ({names}) {{ ({values}) }}{text[where:]}"


def parameter_values(store: KGStore, remote_base: str) -> dict[str, str]:
    """A value for every parameter a saved query declares, taken from the store itself."""
    event = next(iter(store.query("SELECT ?e WHERE { ?s kg:statedAt ?e } ORDER BY ?e LIMIT 1")))["e"]
    speaker = next(iter(store.query("SELECT ?p WHERE { ?s kg:speaker ?p } ORDER BY ?p LIMIT 1")))["p"]
    country = next(iter(store.query("SELECT ?c WHERE { ?c a kg:Country } ORDER BY ?c LIMIT 1")))["c"]
    return {"entity": country.value, "event": event.value, "speaker": speaker.value,
            "country": country.value, "endpoint": remote_base + "/query"}


def assert_remote_answers_like_local(store_path: Path, base: str) -> int:
    """Every saved query, run locally (pyoxigraph) and remotely (SPARQL protocol): same rows."""
    answered = 0
    with KGStore(store_path, create=False) as store:
        values = parameter_values(store, base)
        for name, saved in load_catalogue().items():
            params = {p.name: values[p.name] for p in saved.params if p.name in values}
            local = run(store, saved.text, params, saved=saved)
            local_rows = sorted(tuple(local_key(t) for t in row) for row in local.rows)
            bound = substitutions(saved, params, store)
            remote_rows = sorted(
                tuple(remote_key(binding.get(column)) for column in local.columns)
                for binding in sparql_select(base, with_bindings(saved.text, bound)))
            assert remote_rows == local_rows, f"saved query {name}: the remote answers differently"
            answered += bool(local_rows)
    return answered


def test_push_then_every_saved_query_answers_alike_and_push_again_replaces(runner, small_store_path, remote):
    result = runner.invoke(cli, ["push", f"{remote}/store", "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    with KGStore(small_store_path, create=False) as store:
        local_quads, graphs = len(store), store.graphs()
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == [g.value for g in graphs]
    assert result.stdout.splitlines()[-1].startswith(f"pushed {len(graphs)} of {len(graphs)} graphs ({local_quads} triples)")
    assert remote_quads(remote) == local_quads

    answered = assert_remote_answers_like_local(small_store_path, remote)
    assert answered >= 10, "most saved queries should have rows on the small store"

    again = runner.invoke(cli, ["push", f"{remote}/store", "--store", str(small_store_path)])
    assert again.exit_code == 0, again.output
    assert remote_quads(remote) == local_quads       # PUT replaced each graph: nothing doubled


@pytest.mark.slow
def test_push_of_the_built_seed_store(runner, built_store, remote):
    result = runner.invoke(cli, ["push", f"{remote}/store", "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    with KGStore(built_store, create=False) as store:
        local_quads = len(store)
    assert remote_quads(remote) == local_quads
    assert assert_remote_answers_like_local(built_store, remote) >= 10


def test_push_chosen_graphs_only(runner, small_store_path, remote):
    with KGStore(small_store_path, create=False) as store:
        first = store.graphs()[0]
        first_quads = sum(1 for _ in store.store.quads_for_pattern(None, None, None, first))
    result = runner.invoke(cli, ["push", f"{remote}/store", "--graph", first.value, "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    assert remote_quads(remote) == first_quads
    rows = sparql_select(remote, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"]["value"] for r in rows] == [first.value]


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_read_only_endpoint_is_one_error_line(runner, small_store_path, tmp_path):
    location = tmp_path / "read-only"
    KGStore(location).close()
    with oxigraph_server(location, read_only=True) as base:
        result = runner.invoke(cli, ["push", f"{base}/store", "--store", str(small_store_path)])
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "403" in lines[0], lines


def test_unreachable_endpoint_is_one_error_line(runner, small_store_path):
    dead = f"http://127.0.0.1:{free_port()}/store"
    result = runner.invoke(cli, ["push", dead, "--retries", "1", "--store", str(small_store_path)])
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot reach {dead}") and "tried 2 times" in lines[0]


def test_no_graph_store_at_that_path(runner, small_store_path, remote):
    result = runner.invoke(cli, ["push", f"{remote}/not-here", "--store", str(small_store_path)])
    assert result.exit_code == 1
    assert error_lines(result) == [error_lines(result)[0]] and "404" in result.stderr


# ---------------------------------------------------------------- scripted server: retries, refusals, auth


class ScriptedHandler(http.server.BaseHTTPRequestHandler):
    """Answers each PUT with the next status of ``script`` (then 201); records what it got."""

    script: list[int] = []
    seen: list[dict] = []

    def do_PUT(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        status = self.script.pop(0) if self.script else 201
        self.seen.append({"path": self.path, "status": status, "bytes": len(body),
                          "auth": self.headers.get("Authorization"), "type": self.headers.get("Content-Type")})
        message = b"graph too large" if status == 413 else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(message)))
        self.end_headers()
        self.wfile.write(message)

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted():
    ScriptedHandler.script, ScriptedHandler.seen = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/gsp", ScriptedHandler
    server.shutdown()
    server.server_close()


def test_5xx_is_retried_then_succeeds(runner, small_store_path, scripted):
    url, handler = scripted
    handler.script = [503, 502]
    result = runner.invoke(cli, ["push", url, "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    first_graph = [s for s in handler.seen if s["status"] != 201] + [handler.seen[2]]
    assert len({s["path"] for s in first_graph}) == 1          # the same graph, sent three times
    assert all(s["bytes"] == first_graph[0]["bytes"] > 0 for s in first_graph)
    assert handler.seen[0]["type"] == "application/n-triples"


def test_a_refused_graph_is_reported_and_the_others_still_go(runner, small_store_path, scripted):
    url, handler = scripted
    handler.script = [413]
    result = runner.invoke(cli, ["push", url, "--store", str(small_store_path)])
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("Error: graph https://w3id.org/newskg/graph/")
    assert "HTTP 413" in lines[0] and "graph too large" in lines[0]
    assert "; 1 refused" in result.stdout.splitlines()[-1]
    assert len(handler.seen) >= 2 and handler.seen[1]["status"] == 201


def test_basic_auth_from_an_environment_variable(runner, small_store_path, scripted, monkeypatch):
    url, handler = scripted
    monkeypatch.setenv("KG_TEST_PASSWORD", "s3cret")
    result = runner.invoke(cli, ["push", url, "--user", "ana", "--password-env", "KG_TEST_PASSWORD",
                                 "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    assert handler.seen[0]["auth"] == "Basic YW5hOnMzY3JldA=="      # base64("ana:s3cret")
    assert "s3cret" not in result.output


def test_password_variable_not_set_is_a_usage_error(runner, small_store_path, scripted, monkeypatch):
    url, _ = scripted
    monkeypatch.delenv("KG_NO_SUCH_VARIABLE", raising=False)
    result = runner.invoke(cli, ["push", url, "--user", "ana", "--password-env", "KG_NO_SUCH_VARIABLE",
                                 "--store", str(small_store_path)])
    assert result.exit_code == 2
    assert error_lines(result) == ["Error: --password-env KG_NO_SUCH_VARIABLE: the environment variable "
                                   "KG_NO_SUCH_VARIABLE is not set"]
