"""``kg serve``'s front app, for real: `kg serve` runs as a subprocess on a free port over the small
store, a real HTTP client (urllib) asks for pages, RDF and SPARQL, and headless Chromium draws an
entity page (saved to docs/img/entity-page.png for the README) and opens a saved query in the
query page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import NamedNode, RdfFormat, parse
from test_viz import CHROMIUM_FLAGS, chromium

from kg.queries import load_catalogue
from kg.web.pages import query_page_link

REPO = Path(__file__).resolve().parent.parent
SCREENSHOT = REPO / "docs" / "img" / "entity-page.png"
ID = "https://w3id.org/newskg/id/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, accept: str | None = None, data: bytes | None = None, content_type: str | None = None,
          follow: bool = True):
    """(status, headers, body) of a request; HTTP errors are answers too."""
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`kg serve` over the small store; yields its base URL."""
    from conftest import load_small_store, wait_until_answers

    root = tmp_path_factory.mktemp("served")
    load_small_store(root / "store").close()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(root / "store"), "--port", str(port), "--timeout", "20"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(base + "/query?query=ASK%7B%7D", process, 60, "kg serve")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        errors = process.stderr.read()
        process.stdout.close()
        process.stderr.close()
    assert "Listening for requests" not in errors           # Oxigraph's loopback port is not announced
    assert "stack overflow" not in errors


def test_an_entity_page_shows_what_kg_explain_shows(server):
    status, headers, body = fetch(server + "/entity/person/anna-berger", accept="text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]      # the page loads nothing
    page = body.decode("utf-8")
    assert "<h1>Anna Berger</h1>" in page and '<span class="class">kg:Person</span>' in page
    assert "kg:holdsPosition" in page and 'href="/entity/position/minister-of-environment-of-austria"' in page
    assert "Minister of Environment Anna Berger told delegates" in page           # the evidence sentence
    assert "Statements (2)" in page and "rivers connect us more than borders divide us" in page
    assert 'href="/entity/document/danube-summit-opens"' in page                   # documents that mention her
    assert "Documents that mention it (2)" in page
    # Her own mentions per document, not every mention of the document.
    assert page.count("· 1 mention(s)</span>") == 2


def test_a_linked_entity_shows_its_wikidata_link(server):
    query = urllib.parse.urlencode({"query": "SELECT ?e ?wd { ?e <http://www.w3.org/2002/07/owl#sameAs> ?wd } LIMIT 1"})
    status, _, body = fetch(f"{server}/query?{query}", accept="application/sparql-results+json")
    bindings = json.loads(body)["results"]["bindings"]
    if not bindings:
        pytest.skip("the small store holds no Wikidata link")
    entity, wikidata = bindings[0]["e"]["value"], bindings[0]["wd"]["value"]
    page = fetch(server + "/entity/" + entity.removeprefix(ID))[2].decode("utf-8")
    qid = wikidata.rsplit("/", 1)[1]
    assert f'href="https://www.wikidata.org/wiki/{qid}"' in page


def test_html_is_escaped():
    # Labels, sentences and literals come from articles: none of them is markup on the page.
    from pyoxigraph import Literal

    from kg.explain import ExplainedFact, Explanation
    from kg.web.pages import EntityPage, MentioningDocument, entity_html

    hostile = "<script>alert('x')</script>"
    entity = NamedNode(ID + "person/x")
    explanation = Explanation(entity, [ExplainedFact(
        "out", entity, NamedNode("https://w3id.org/newskg/ontology#firstHeld"), Literal('"><img src=x onerror=alert(1)>'),
        hostile, None, f"He said {hostile} & left.", "m<e>thod", 0.5, NamedNode(ID + "document/d"))])
    explanation.labels = [hostile]
    explanation.aliases = ["<b>bold</b>"]
    document = MentioningDocument(NamedNode(ID + "document/d"), hostile, "2024-01-01", 1)
    page = entity_html(EntityPage(explanation, [document]), "/entity/person/x").decode("utf-8")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page and "m&lt;e&gt;thod" in page


@pytest.mark.parametrize("accept, media", [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("text/turtle;q=0.9, text/html;q=0.5", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
])
def test_rdf_for_clients_that_ask_for_it(server, accept, media):
    status, headers, body = fetch(server + "/entity/person/anna-berger", accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(media), headers["Content-Type"]
    assert headers["Vary"] == "Accept"
    if media == "application/ld+json":
        document = json.loads(body)
        assert "@context" in document and "Anna Berger" in body.decode("utf-8")
        return
    triples = list(parse(body, format=RdfFormat.TURTLE if media == "text/turtle" else RdfFormat.N_TRIPLES))
    berger = NamedNode(ID + "person/anna-berger")
    assert any(t.subject == berger and t.object.value == "Anna Berger" for t in triples)
    assert any(t.object == berger for t in triples)                 # statements she made point at her


def test_suffixes_and_the_303_of_the_identifier(server):
    assert fetch(server + "/entity/person/anna-berger.ttl")[1]["Content-Type"].startswith("text/turtle")
    assert fetch(server + "/entity/person/anna-berger.jsonld")[1]["Content-Type"].startswith("application/ld+json")
    status, headers, _ = fetch(server + "/id/person/anna-berger", follow=False)
    assert status == 303 and headers["Location"] == "/entity/person/anna-berger"
    status, headers, body = fetch(server + "/id/person/anna-berger", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"Anna Berger" in body


@pytest.mark.parametrize("path", ["/entity/person/nobody-at-all", "/entity/person/nobody-at-all.ttl",
                                  "/entity/person/%3Cscript%3E", "/entity/person/a%22b"])
def test_unknown_entities_are_404(server, path):
    status, _, body = fetch(server + path)
    assert status == 404 and b"<script>" not in body


def test_the_index_lists_the_saved_queries_and_entities(server):
    status, _, body = fetch(server + "/")
    page = body.decode("utf-8")
    assert status == 200
    catalogue = load_catalogue()
    for query in catalogue.values():
        assert query_page_link(query).replace("&", "&amp;") in page, query.name
    assert 'href="/entity/person/anna-berger">Anna Berger</a>' in page


def test_the_sparql_protocol_is_forwarded(server):
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/newskg/ontology#Country> }"})
    status, _, body = fetch(f"{server}/query?{query}", accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
    status, _, body = fetch(server + "/query", data=b"ASK { ?s ?p ?o }", content_type="application/sparql-query",
                            accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    # Read-only by default: Oxigraph refuses updates, through the front as before.
    status, _, _ = fetch(server + "/update", data=b"DELETE WHERE { ?s ?p ?o }",
                         content_type="application/sparql-update")
    assert status == 403


@pytest.mark.parametrize("body, content_type", [
    (b"SELECT * WHERE { FILTER(" + b"(" * 10_000 + b"1" + b")" * 10_000 + b") }", "application/sparql-query"),
    (b"(" * 10_000, "application/sparql-query"),       # the 20 KB POST of issue 8
    (urllib.parse.urlencode({"query": "ASK " + "{" * 3_000 + "}" * 3_000}).encode(), "application/x-www-form-urlencoded"),
    (b"SELECT (1" + b"+1" * 10_000 + b" AS ?x) {}", "application/sparql-query"),
    (b"INSERT DATA { " + b"[" * 5_000 + b"] }", "application/sparql-update"),
])
def test_deep_nesting_is_refused_and_the_server_lives_on(server, body, content_type):
    path = "/update" if b"INSERT" in body else "/query"
    status, _, answer = fetch(server + path, data=body, content_type=content_type)
    assert status == 400
    lines = answer.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: SPARQL "), lines
    query = urllib.parse.urlencode({"query": "ASK {}"})
    assert fetch(f"{server}/query?{query}", accept="application/sparql-results+json")[0] == 200


def test_deep_nesting_in_a_get_is_refused(server):
    query = urllib.parse.urlencode({"query": "SELECT * WHERE " + "{" * 3_000 + "}" * 3_000})
    status, _, answer = fetch(f"{server}/query?{query}")
    assert status == 400 and answer.decode("utf-8").count("\n") == 1


def test_a_body_too_large_is_refused(server):
    status, _, answer = fetch(server + "/query", data=b"#" * 1_000_001 + b"\nASK {}",
                              content_type="application/sparql-query")
    assert status == 413 and answer.decode("utf-8").startswith("Error: request body too large")


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1000:]
    return done


def test_chromium_draws_the_entity_page(server, tmp_path):
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shot = tmp_path / "entity.png"
    _chromium(["--window-size=1200,1100", f"--screenshot={shot}", server + "/entity/person/anna-berger"],
              tmp_path / "profile")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    SCREENSHOT.write_bytes(data)
    dom = _chromium(["--dump-dom", server + "/entity/person/anna-berger"], tmp_path / "profile2").stdout
    assert "<h1>Anna Berger</h1>" in dom


def test_a_saved_query_opens_in_the_query_page(server, tmp_path):
    query = load_catalogue()["sources"]
    dom = _chromium(["--dump-dom", server + query_page_link(query)], tmp_path / "profile").stdout
    # YASGUI put the saved query in its editor (CodeMirror draws the lines in view as spans: the
    # header's title line is always among them) ...
    assert query.title in dom and "yasqe" in dom.lower()
    # ... and ran it against this server (its endpoint is the origin's /sparql, not one under /ui).
    assert re.search(r"\b2 results in [0-9.]+ seconds", dom), "the query page did not run the query"
