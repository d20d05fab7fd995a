"""The `kg` command line, on success and failure paths, through click's CliRunner.

Tests marked ``slow`` run spaCy (directly or through the session-wide ``built_store``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.cli import cli
from kg.store import KGStore

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "kazakhstan-peace-security"
KG = "https://w3id.org/newskg/ontology#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

slow = pytest.mark.slow


def clean_failure(result, exit_code: int = 1) -> str:
    """Assert a clean failure (given exit code, an Error line, no traceback); return stderr."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert re.search(r"^Error: ", result.stderr, re.MULTILINE), result.output
    return result.stderr


def ok(result) -> str:
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.stdout


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def quad_count(path: Path) -> int:
    with KGStore(path, create=False) as store:
        return len(store)


# ---------------------------------------------------------------- help, version, docs


def test_top_level_help_lists_every_command(runner):
    output = ok(runner.invoke(cli, ["--help"]))
    for name in cli.commands:
        assert name in output


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help(runner, name):
    assert (cli.commands[name].help or "").strip(), f"kg {name} has no help text"
    output = ok(runner.invoke(cli, [name, "--help"]))
    assert f"Usage: cli {name}" in output or f"{name} [OPTIONS]" in output


def test_version(runner):
    from kg import __version__

    assert __version__ in ok(runner.invoke(cli, ["--version"]))


def test_unknown_command_is_a_usage_error(runner):
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- ingest: bad input


def test_ingest_empty_file(runner, tmp_path, store_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(cli, ["ingest", str(empty), "--store", str(store_path)])
    stderr = clean_failure(result)
    assert "empty.txt" in stderr and "empty" in stderr
    assert f"failed     {empty}" in result.stdout


def test_ingest_binary_file(runner, tmp_path, store_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    stderr = clean_failure(runner.invoke(cli, ["ingest", str(binary), "--store", str(store_path)]))
    assert "photo.txt" in stderr and "binary" in stderr


def test_ingest_missing_path(runner, tmp_path, store_path):
    missing = tmp_path / "nowhere.txt"
    stderr = clean_failure(runner.invoke(cli, ["ingest", str(missing), "--store", str(store_path)]))
    assert "nowhere.txt" in stderr and "no such file" in stderr


def test_ingest_unsupported_file_type(runner, tmp_path, store_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    stderr = clean_failure(runner.invoke(cli, ["ingest", str(pdf), "--store", str(store_path)]))
    assert "report.pdf" in stderr and "unsupported" in stderr


def test_ingest_directory_without_sources(runner, tmp_path, store_path):
    (tmp_path / "empty-dir").mkdir()
    stderr = clean_failure(runner.invoke(cli, ["ingest", str(tmp_path / "empty-dir"), "--store", str(store_path)]))
    assert "no source files" in stderr


def test_ingest_bad_date_flag(runner, article_dir, store_path):
    result = runner.invoke(cli, ["ingest", str(article_dir), "--date", "last Tuesday", "--store", str(store_path)])
    stderr = clean_failure(result, exit_code=2)
    assert "--date" in stderr and "last Tuesday" in stderr
    assert not store_path.exists() or quad_count(store_path) == 0


def test_ingest_impossible_date_flag(runner, article_dir, store_path):
    stderr = clean_failure(runner.invoke(cli, ["ingest", str(article_dir), "--date", "2023-02-30",
                                              "--store", str(store_path)]), exit_code=2)
    assert "2023-02-30" in stderr


def test_ingest_malformed_meta_json(runner, article_dir, store_path):
    sidecar = article_dir / f"{ARTICLE}.meta.json"
    sidecar.write_text('{"title": "Unclosed', encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(article_dir / f"{ARTICLE}.txt"), "--store", str(store_path)])
    stderr = clean_failure(result)
    assert f"{ARTICLE}.meta.json" in stderr and "malformed JSON" in stderr


def test_ingest_bad_date_in_meta_json(runner, article_dir, store_path):
    sidecar = article_dir / f"{ARTICLE}.meta.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**meta, "date": "16/07/2023"}), encoding="utf-8")
    stderr = clean_failure(runner.invoke(cli, ["ingest", str(article_dir), "--store", str(store_path)]))
    assert f"{ARTICLE}.txt" in stderr and "16/07/2023" in stderr


def test_ingest_id_flag_needs_one_file(runner, article_dir, store_path):
    result = runner.invoke(cli, ["ingest", str(article_dir), "--id", "x", "--store", str(store_path)])
    assert "one file" in clean_failure(result, exit_code=2)


def test_ingest_needs_a_path(runner, store_path):
    result = runner.invoke(cli, ["ingest", "--store", str(store_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


# ---------------------------------------------------------------- ingest: success


@slow
def test_ingest_mixed_directory(runner, article_dir, store_path):
    (article_dir / "empty.txt").write_text("   \n")
    (article_dir / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (article_dir / "broken.txt").write_text("Some text.\n", encoding="utf-8")
    (article_dir / "broken.meta.json").write_text("[1, 2", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(article_dir), "--store", str(store_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(rf"^added\s+\S*{ARTICLE}\.txt\s+\(\d+ quads", result.stdout, re.MULTILINE)
    for name in ("empty.txt", "binary.txt", "broken.txt"):
        assert re.search(rf"^failed\s+\S*{name}$", result.stdout, re.MULTILINE), name
    errors = error_lines(result)
    assert len(errors) == 3
    assert any("broken.meta.json" in line for line in errors)
    assert "1 added" in result.stdout and "3 failed" in result.stdout
    assert quad_count(store_path) > 100


@slow
def test_reingest_is_unchanged_and_metadata_change_replaces(runner, article_dir, store_path):
    article = str(article_dir / f"{ARTICLE}.txt")
    first = ok(runner.invoke(cli, ["ingest", article, "--store", str(store_path)]))
    assert first.startswith("added")
    quads = quad_count(store_path)
    assert f"store {store_path}: {quads} quads" in first

    again = ok(runner.invoke(cli, ["ingest", article, "--store", str(store_path)]))
    assert again.startswith("unchanged")
    assert quad_count(store_path) == quads

    retitled = ok(runner.invoke(cli, ["ingest", article, "--title", "A new title", "--store", str(store_path)]))
    assert retitled.startswith("replaced")
    titles = ok(runner.invoke(cli, ["query", "--store", str(store_path), "--format", "tsv", "--sparql",
                                    "SELECT ?t WHERE { ?d a kg:Document ; kg:title ?t }"]))
    assert "A new title" in titles and "Unwavering" not in titles


@slow
def test_ingest_with_metadata_flags_and_id(runner, tmp_path, store_path):
    source = tmp_path / "story.md"
    source.write_text("# Leaders meet\n\nPresident Jane Roe of Freedonia said that peace matters.\n",
                      encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(source), "--id", "my-story", "--date", "2024-03-14",
                                 "--author", "Sam Writer", "--store", str(store_path)])
    ok(result)
    graphs = ok(runner.invoke(cli, ["query", "--store", str(store_path), "--format", "tsv", "--sparql",
                                    "SELECT ?g ?date WHERE { GRAPH ?g { ?d kg:datePublished ?date } }"]))
    assert "graph/my-story" in graphs and "2024-03-14" in graphs


@slow
def test_ingest_default_store_from_environment(runner, article_dir, tmp_path):
    store = tmp_path / "env-store"
    result = runner.invoke(cli, ["ingest", str(article_dir)], env={"KG_STORE": str(store)})
    ok(result)
    assert quad_count(store) > 100


@slow
def test_ingest_unknown_model(runner, article_dir, store_path):
    result = runner.invoke(cli, ["ingest", str(article_dir), "--model", "xx_no_such_model",
                                 "--store", str(store_path)])
    assert "xx_no_such_model" in clean_failure(result)


# ---------------------------------------------------------------- build


@slow
def test_build_summary_and_rebuild_is_unchanged(runner, built_store, article_dir, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(built_store, copy)
    output = ok(runner.invoke(cli, ["build", "--store", str(copy), "--articles", str(article_dir)]))
    assert re.search(rf"^unchanged\s+\S*{ARTICLE}\.txt", output, re.MULTILINE)
    assert "ingested: 0 added, 0 replaced, 1 unchanged, 0 failed" in output
    assert re.search(r"^quads: \d+$", output, re.MULTILINE)
    assert re.search(r"^entities: [1-9]\d* \(Person \d+", output, re.MULTILINE)
    assert re.search(r"^links: linked \d+ entities", output, re.MULTILINE)
    assert "validation: conforms" in output
    assert quad_count(copy) == quad_count(built_store)


@slow
def test_build_no_validate(runner, article_dir, store_path):
    output = ok(runner.invoke(cli, ["build", "--no-validate", "--store", str(store_path),
                                    "--articles", str(article_dir)]))
    assert "validation: skipped" in output
    assert "ingested: 1 added" in output


def test_build_missing_articles_dir(runner, tmp_path, store_path):
    result = runner.invoke(cli, ["build", "--store", str(store_path), "--articles", str(tmp_path / "none")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "none" in result.stderr


@slow
def test_build_reports_a_bad_article_and_goes_on(runner, article_dir, store_path):
    (article_dir / "empty.txt").write_text("")
    result = runner.invoke(cli, ["build", "--store", str(store_path), "--articles", str(article_dir)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert any("empty.txt" in line for line in error_lines(result))
    assert "1 added" in result.stdout and "1 failed" in result.stdout
    assert "validation: conforms" in result.stdout


# ---------------------------------------------------------------- extract


@slow
def test_extract_to_stdout_is_nquads(runner, article_dir):
    result = runner.invoke(cli, ["extract", str(article_dir / f"{ARTICLE}.txt")])
    output = ok(result)
    first = output.splitlines()[0]
    assert first.endswith(f"<https://w3id.org/newskg/graph/{ARTICLE}> .")


@slow
@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle", "ntriples", "jsonld"])
def test_extract_to_file_in_each_format(runner, article_dir, tmp_path, fmt):
    import rdflib

    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(cli, ["extract", str(article_dir / f"{ARTICLE}.txt"), "-o", str(out), "--format", fmt])
    ok(result)
    assert "wrote" in result.stderr
    parse_format = {"nquads": "nquads", "trig": "trig", "turtle": "turtle", "ntriples": "nt",
                    "jsonld": "json-ld"}[fmt]
    dataset = rdflib.Dataset()
    dataset.parse(out, format=parse_format)
    triples = {(s, p, o) for s, p, o, _ in dataset.quads()}
    assert len(triples) > 100
    assert (rdflib.URIRef(f"https://w3id.org/newskg/id/document/{ARTICLE}"), rdflib.RDF.type,
            rdflib.URIRef(KG + "Document")) in triples


@slow
def test_extract_format_from_output_suffix(runner, article_dir, tmp_path):
    out = tmp_path / "graph.jsonld"
    ok(runner.invoke(cli, ["extract", str(article_dir / f"{ARTICLE}.txt"), "-o", str(out)]))
    assert "@context" in json.loads(out.read_text(encoding="utf-8"))


def test_extract_missing_file(runner, tmp_path):
    stderr = clean_failure(runner.invoke(cli, ["extract", str(tmp_path / "gone.txt")]))
    assert "gone.txt" in stderr


def test_extract_empty_file(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert "empty.txt" in clean_failure(runner.invoke(cli, ["extract", str(empty)]))


def test_extract_unknown_format(runner, article_dir):
    result = runner.invoke(cli, ["extract", str(article_dir / f"{ARTICLE}.txt"), "--format", "rdfxml"])
    assert result.exit_code == 2 and "Traceback" not in result.output


# ---------------------------------------------------------------- query and queries


def test_queries_lists_the_catalogue(runner):
    from kg.queries import load_catalogue

    output = ok(runner.invoke(cli, ["queries"]))
    catalogue = load_catalogue()
    assert catalogue
    for name, saved in catalogue.items():
        assert name in output
        for param in saved.params:
            assert param.name in output


def test_query_saved_query_on_small_store(runner, small_store_path):
    output = ok(runner.invoke(cli, ["query", "entities-by-type", "--store", str(small_store_path)]))
    assert "Danube Basin Water Council" in output


def test_query_with_param_and_json_format(runner, small_store_path):
    result = runner.invoke(cli, ["query", "entities-by-type", "--param", "type=Country", "--format", "json",
                                 "--store", str(small_store_path)])
    text = json.dumps(json.loads(ok(result)))
    assert "Austria" in text and "Danube Basin Water Council" not in text


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_sparql_in_each_format(runner, small_store_path, fmt):
    result = runner.invoke(cli, ["query", "--sparql", "SELECT ?label WHERE { ?c a kg:Country ; rdfs:label ?label }",
                                 "--format", fmt, "--store", str(small_store_path)])
    output = ok(result)
    assert "Austria" in output and "Hungary" in output


def test_query_from_rq_file(runner, small_store_path, tmp_path):
    rq = tmp_path / "countries.rq"
    rq.write_text("# title: Countries\nSELECT ?label WHERE { ?c a kg:Country ; rdfs:label ?label }\n",
                  encoding="utf-8")
    assert "Hungary" in ok(runner.invoke(cli, ["query", str(rq), "--store", str(small_store_path)]))


def test_query_malformed_sparql(runner, small_store_path):
    result = runner.invoke(cli, ["query", "--sparql", "SELECT ?x WHERE { ?x ", "--store", str(small_store_path)])
    clean_failure(result, exit_code=1)
    assert len(error_lines(result)) == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_unknown_name(runner, small_store_path):
    result = runner.invoke(cli, ["query", "no-such-query", "--store", str(small_store_path)])
    assert "no-such-query" in clean_failure(result, exit_code=2)


def test_query_update_is_refused(runner, small_store_path):
    before = quad_count(small_store_path)
    result = runner.invoke(cli, ["query", "--sparql", "DELETE WHERE { ?s ?p ?o }", "--store", str(small_store_path)])
    assert "update" in clean_failure(result, exit_code=1)
    assert quad_count(small_store_path) == before


def test_query_malformed_param(runner, small_store_path):
    result = runner.invoke(cli, ["query", "entities-by-type", "--param", "type", "--store", str(small_store_path)])
    stderr = clean_failure(result, exit_code=2)
    assert "NAME=VALUE" in stderr


def test_query_needs_exactly_one_of_name_and_sparql(runner, small_store_path):
    clean_failure(runner.invoke(cli, ["query", "--store", str(small_store_path)]), exit_code=2)
    clean_failure(runner.invoke(cli, ["query", "entities-by-type", "--sparql", "ASK {}",
                                      "--store", str(small_store_path)]), exit_code=2)


def test_query_unknown_format(runner, small_store_path):
    result = runner.invoke(cli, ["query", "--sparql", "ASK {}", "--format", "xml", "--store", str(small_store_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_query_without_a_store(runner, tmp_path):
    result = runner.invoke(cli, ["query", "--sparql", "ASK {}", "--store", str(tmp_path / "none")])
    assert "no store" in clean_failure(result)
    assert not (tmp_path / "none").exists()


@slow
def test_query_on_built_store(runner, built_store):
    output = ok(runner.invoke(cli, ["query", "entities-by-type", "--param", "type=Person",
                                    "--store", str(built_store)]))
    assert "Tokayev" in output


@pytest.fixture
def store_held_by_another_process(small_store_path):
    """A second process that holds the store's lock until the test ends."""
    code = ("import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(30)")
    process = subprocess.Popen([sys.executable, "-c", code, str(small_store_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", process.stderr.read()
        yield small_store_path
    finally:
        process.kill()
        process.wait()


def test_query_on_a_store_held_by_another_process(runner, store_held_by_another_process):
    result = runner.invoke(cli, ["query", "--sparql", "ASK {}", "--store", str(store_held_by_another_process)])
    assert re.search(r"store .* is in use by another process", clean_failure(result))


def test_serve_on_a_store_held_by_another_process(runner, store_held_by_another_process):
    result = runner.invoke(cli, ["serve", "--store", str(store_held_by_another_process), "--port", "9"])
    assert "in use by another process" in clean_failure(result)


# ---------------------------------------------------------------- export (more in test_export.py)


def test_export_to_stdout_and_file(runner, small_store_path, tmp_path):
    output = ok(runner.invoke(cli, ["export", "--store", str(small_store_path)]))
    assert "@prefix kg:" in output
    out = tmp_path / "kg.nq"
    ok(runner.invoke(cli, ["export", "-o", str(out), "--store", str(small_store_path)]))
    assert out.read_text(encoding="utf-8").count("\n") == quad_count(small_store_path)


def test_export_unknown_format(runner, small_store_path):
    result = runner.invoke(cli, ["export", "--format", "rdfxml", "--store", str(small_store_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_export_unknown_graph(runner, small_store_path):
    result = runner.invoke(cli, ["export", "--graph", "https://example.org/nope", "--store", str(small_store_path)])
    assert "https://example.org/nope" in clean_failure(result, exit_code=2)


def test_export_to_unwritable_path(runner, small_store_path, tmp_path):
    result = runner.invoke(cli, ["export", "-o", str(tmp_path / "no" / "such" / "dir.ttl"),
                                 "--store", str(small_store_path)])
    assert "cannot write" in clean_failure(result)


def test_export_without_a_store(runner, tmp_path):
    assert "no store" in clean_failure(runner.invoke(cli, ["export", "--store", str(tmp_path / "none")]))


# ---------------------------------------------------------------- validate, stats, explain, link


@slow
def test_validate_built_store(runner, built_store):
    assert ok(runner.invoke(cli, ["validate", "--store", str(built_store)])).startswith("conforms")


def test_validate_reports_a_violation(runner, small_store_path):
    with KGStore(small_store_path, create=False) as store:
        statement = NamedNode("https://w3id.org/newskg/id/statement/injected-1")
        graph = NamedNode("https://w3id.org/newskg/graph/injected")
        store.store.add(Quad(statement, RDF_TYPE, NamedNode(KG + "Statement"), graph))
        store.store.add(Quad(statement, NamedNode(KG + "text"), Literal("Unattributed words."), graph))
    result = runner.invoke(cli, ["validate", "--store", str(small_store_path)])
    stderr = clean_failure(result)
    assert "does not conform" in stderr
    assert "statement/injected-1" in result.stdout
    assert "kg:speaker" in result.stdout or "speaker" in result.stdout


def test_validate_without_a_store(runner, tmp_path):
    assert "no store" in clean_failure(runner.invoke(cli, ["validate", "--store", str(tmp_path / "none")]))


def test_stats_on_small_store(runner, small_store_path):
    output = ok(runner.invoke(cli, ["stats", "--store", str(small_store_path)]))
    quads = quad_count(small_store_path)
    assert f"quads: {quads}" in output
    assert "documents: 2" in output
    assert re.search(r"^entities: \d+ \(Person [1-9]", output, re.MULTILINE)
    for label in ("statements", "facts", "mentions", "wikidata links"):
        assert re.search(rf"^{label}: [1-9]\d*$", output, re.MULTILINE), label


@slow
def test_stats_on_built_store(runner, built_store):
    output = ok(runner.invoke(cli, ["stats", "--store", str(built_store)]))
    assert "documents: 1" in output
    assert re.search(r"^mentions: [1-9]\d*$", output, re.MULTILINE)


def test_stats_without_a_store(runner, tmp_path):
    assert "no store" in clean_failure(runner.invoke(cli, ["stats", "--store", str(tmp_path / "none")]))


def test_explain_entity(runner, small_store_path):
    pytest.importorskip("kg.explain")
    output = ok(runner.invoke(cli, ["explain", "Danube Basin Water Council", "--store", str(small_store_path)]))
    assert "Danube Basin Water Council" in output


def test_explain_unknown_entity(runner, small_store_path):
    pytest.importorskip("kg.explain")
    result = runner.invoke(cli, ["explain", "Nobody Anywhere Ever", "--store", str(small_store_path)])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "Error:" in result.stderr


def test_link_offline(runner, small_store_path):
    pytest.importorskip("kg.link")
    output = ok(runner.invoke(cli, ["link", "--offline", "--report", "--store", str(small_store_path)]))
    assert re.search(r"linked \d+ entities", output)
    assert "0 Wikidata API requests" in output


def test_link_without_a_store(runner, tmp_path):
    assert "no store" in clean_failure(runner.invoke(cli, ["link", "--store", str(tmp_path / "none")]))


# ---------------------------------------------------------------- serve


def test_serve_without_a_store(runner, tmp_path):
    assert "no store" in clean_failure(runner.invoke(cli, ["serve", "--store", str(tmp_path / "none")]))


def test_serve_bad_port(runner, small_store_path):
    result = runner.invoke(cli, ["serve", "--port", "70000", "--store", str(small_store_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_serve_without_the_oxigraph_executable(runner, small_store_path, monkeypatch, tmp_path):
    import kg.serve

    monkeypatch.setattr(kg.serve.shutil, "which", lambda name: None)
    monkeypatch.setattr(kg.serve.sys, "executable", str(tmp_path / "python"))
    result = runner.invoke(cli, ["serve", "--store", str(small_store_path)])
    assert "oxigraph" in clean_failure(result)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_sparql_over_http(small_store_path):
    """The real Oxigraph server reads the store pyoxigraph wrote; queries see the union graph."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(small_store_path), "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{KG}Country> }}"})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/query?{query}",
                                         headers={"Accept": "application/sparql-results+json"})
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    answer = json.load(response)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode() if process.poll() is not None
                                         else "server did not answer") from None
                time.sleep(0.2)
        assert answer["results"]["bindings"][0]["n"]["value"] == "2"
        update = urllib.request.Request(f"http://127.0.0.1:{port}/update", data=b"DELETE WHERE { ?s ?p ?o }",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=10)
    # SIGTERM to `kg serve` stops the Oxigraph server too: nothing listens on the port any more.
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                break
        assert time.monotonic() < deadline, "the Oxigraph server outlived `kg serve`"
        time.sleep(0.2)
    assert quad_count(small_store_path) > 0


def test_server_command():
    from kg.serve import server_command

    read_only = server_command("/data/store", "0.0.0.0", 8000, executable="oxigraph")
    assert read_only == ["oxigraph", "serve-read-only", "--location", "/data/store", "--bind", "0.0.0.0:8000",
                         "--union-default-graph", "--timeout-s", "60"]
    assert server_command("s", "::1", 80, writable=True, executable="oxigraph", timeout=5)[1:] == [
        "serve", "--location", "s", "--bind", "[::1]:80", "--union-default-graph", "--timeout-s", "5"]


# ---------------------------------------------------------------- documentation


def test_every_command_is_documented_in_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if not re.search(rf"\bkg {name}\b", readme)]
    assert not missing, f"README.md does not document: {', '.join('kg ' + m for m in missing)}"
