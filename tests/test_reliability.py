"""Reliability and security: bad input, a held store, crashes, injection and the SHACL gate.

Every case checks what the user sees (one ``Error:``/``Warning:`` line naming the file, no
traceback, the documented exit code) and that no quad was lost or added behind their back.
``docs/bad-inputs.md`` lists the same cases in a table.

Tests marked ``slow`` run spaCy (the model is loaded once per process).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.cli import cli
from kg.documents import MAX_BYTES, read_document
from kg.errors import QueryError, StoreLockedError, UsageError
from kg.store import STAGING, KGStore

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "articles" / "kazakhstan-peace-security.txt"
ARTICLE = "kazakhstan-peace-security"
KG = "https://w3id.org/newskg/ontology#"
GRAPH = "https://w3id.org/newskg/graph/"

slow = pytest.mark.slow


# ---------------------------------------------------------------- helpers


def clean_failure(result, exit_code: int = 1) -> str:
    """A clean failure: the exit code, an ``Error:`` line, no traceback. Returns stderr."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert re.search(r"^Error: ", result.stderr, re.MULTILINE), result.output
    return result.stderr


def first_error(result) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("Error: "))


def ok(result) -> str:
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.stdout


def all_quads(path: Path) -> set:
    with KGStore(path, create=False) as store:
        return set(store.store)


def graph_quads(store: KGStore, graph: str | NamedNode) -> set:
    """A stored document as extraction made it (its entity triples put back from the shared graph)."""
    graph = graph if isinstance(graph, NamedNode) else NamedNode(graph)
    return set(store.document_quads(graph))


def seed_paragraphs() -> list[str]:
    return [p for p in re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8")) if len(p) > 150]


def write_articles(folder: Path, count: int = 30) -> list[Path]:
    """``count`` small articles made of paragraphs of the seed article, each with its own id."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = seed_paragraphs()
    paths = []
    for i in range(count):
        chosen = [paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(3)]
        path = folder / f"article-{i:02d}.txt"
        path.write_text(f"Report number {i}\n\n" + "\n\n".join(chosen) + "\n", encoding="utf-8")
        (folder / f"article-{i:02d}.meta.json").write_text(json.dumps({"date": "2023-07-16"}), encoding="utf-8")
        paths.append(path)
    return paths


def as_stored(quads) -> set:
    """``quads`` as a store gives them back: Oxigraph keeps numbers in canonical form ("0.90" → "0.9")."""
    store = Store()
    store.extend(quads)
    return set(store)


def expected_graphs(paths, overrides=None) -> dict[str, set]:
    """Graph IRI → what the store must hold: the document's extraction and the file it came from."""
    from kg.graph import source_file_quad
    from kg.pipeline import extract_quads

    expected = {}
    for path in paths:
        doc = read_document(path, overrides)
        quads = [*extract_quads(doc), source_file_quad(doc, str(Path(path).resolve()))]
        expected[GRAPH + doc.id] = as_stored(quads)
    return expected


def spawn(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def read_line(process: subprocess.Popen, timeout: float = 120) -> str:
    """The next stdout line of ``process`` ('' at its end); fails rather than hang forever."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            process.kill()
            pytest.fail(f"no output from the child within {timeout} s")
    return process.stdout.readline()


def wait_for(process: subprocess.Popen, lines: int) -> list[str]:
    """Read 'started', then up to ``lines`` more lines (fewer if the child ends first)."""
    first = read_line(process)
    assert first.strip() == "started", first + process.stderr.read()
    seen = []
    while len(seen) < lines:
        line = read_line(process)
        if not line:
            break
        seen.append(line.strip())
    return seen


def kill_9(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    process.stdout.close()
    process.stderr.close()


def staging_graphs(path: Path) -> list[str]:
    """Staging graphs seen by a raw pyoxigraph store (no clean-up on open)."""
    store = Store(str(path))
    try:
        return [g.value for g in store.named_graphs() if g.value.startswith(STAGING)]
    finally:
        del store


# ---------------------------------------------------------------- 1. input


def test_empty_file(runner, tmp_path, store_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b" \n\t\n")
    result = runner.invoke(cli, ["ingest", str(empty), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: {empty}: file is empty"


@pytest.mark.parametrize(("data", "why"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "NUL bytes"),
    (bytes(range(1, 32)) * 40, "control characters"),
])
def test_binary_file(runner, tmp_path, store_path, data, why):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(data)
    result = runner.invoke(cli, ["ingest", str(binary), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: {binary}: looks like a binary file ({why}), not text"


def test_text_that_is_neither_utf8_nor_windows_1252_is_refused(runner, tmp_path, store_path):
    bad = tmp_path / "mixed.txt"
    bad.write_bytes("Café owners said that prices rose.".encode("cp1252") + b" \x81\x8d")
    result = runner.invoke(cli, ["ingest", str(bad), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: {bad}: not UTF-8 text (invalid byte at offset 3)"


def test_windows_1252_and_utf16_are_decoded_with_a_warning(tmp_path):
    text = "Café owners in Montréal said that prices rose – again."
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "notepad.txt").write_bytes(text.encode("utf-16"))
    latin = read_document(tmp_path / "latin.txt")
    assert latin.text == text
    assert latin.warnings == [f"{tmp_path / 'latin.txt'}: not valid UTF-8 (byte 3); decoded as Windows-1252"]
    notepad = read_document(tmp_path / "notepad.txt")
    assert notepad.text == text
    assert notepad.warnings == [f"{tmp_path / 'notepad.txt'}: UTF-16 text (byte order mark); decoded as UTF-16"]


@slow
def test_windows_1252_file_is_ingested_with_one_warning_line(runner, tmp_path, store_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Leaders met in Montréal.\n\nPresident Jane Roe of Freedonia said that peace matters "
                      "for everyone in the region.\n".encode("cp1252"))
    result = runner.invoke(cli, ["ingest", str(latin), "--store", str(store_path)])
    assert ok(result).startswith("added")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert warnings == [f"Warning: {latin}: not valid UTF-8 (byte 20); decoded as Windows-1252"]
    with KGStore(store_path, create=False) as store:
        content = next(store.store.quads_for_pattern(None, NamedNode(KG + "content"), None, None)).object.value
    assert "Montréal" in content


HTML_PAGE = """<!doctype html><html><head><title>Site | Summit opens</title>
<meta property="og:title" content="Summit opens in Vienna">
<meta property="article:published_time" content="2024-03-14T09:00:00Z">
<meta property="og:site_name" content="Danube Wire">
<script>var tracking = "Secret Tracker said that cookies matter";</script><style>p { color: red }</style>
</head><body><nav>Home | World | Sport</nav><header>Breaking news banner</header>
<article><h1>Summit opens in Vienna</h1>
<p>Leaders met in Vienna on Thursday.</p>
<p>President Jane Roe of Freedonia said that peace matters for everyone in the region.</p>
<aside>Read also: cats</aside></article>
<footer>Copyright Danube Wire</footer></body></html>"""


def test_html_page_gives_the_article_body(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    doc = read_document(page)
    assert doc.text == ("Summit opens in Vienna\n\nLeaders met in Vienna on Thursday.\n\n"
                        "President Jane Roe of Freedonia said that peace matters for everyone in the region.")
    assert (doc.title, str(doc.date), doc.publisher) == ("Summit opens in Vienna", "2024-03-14", "Danube Wire")
    for chrome in ("Home", "banner", "Tracker", "color", "cats", "Copyright"):
        assert chrome not in doc.text


def test_html_page_without_text(runner, tmp_path, store_path):
    page = tmp_path / "blank.html"
    page.write_text("<html><head><script>alert(1)</script></head><body><nav>Home</nav></body></html>")
    result = runner.invoke(cli, ["ingest", str(page), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: {page}: no article text found in the HTML"


def test_20_mb_text_is_refused(runner, tmp_path, store_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(20 * 1024 * 1024)          # sparse: instant to make
    assert big.stat().st_size > MAX_BYTES
    result = runner.invoke(cli, ["ingest", str(big), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: {big}: file is too large (20 MB; limit 10 MB)"
    assert f"failed     {big}" in result.stdout


def test_a_fifo_is_refused_without_blocking(runner, tmp_path, store_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def blocked(signum, frame):
        raise AssertionError("reading the FIFO blocked")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(10)
    try:
        result = runner.invoke(cli, ["ingest", str(fifo), "--store", str(store_path)])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    clean_failure(result)
    assert first_error(result) == f"Error: {fifo}: not a regular file"


@pytest.mark.parametrize(("sidecar", "message"), [
    (b'{"title": "Unclosed', "malformed JSON (Unterminated string starting at: line 1 column 11 (char 10))"),
    (b'{"title": "x",}', "malformed JSON ("),      # the wording of json's message varies by Python version
    (b'["a list"]', "expected a JSON object"),
    (b'{"title": "Caf\xe9"}', "not UTF-8 (invalid byte 0xe9 at offset 14)"),
    pytest.param(b"[" * 100_000, "malformed JSON (nested too deeply)", id="nested-100000-deep"),
    (b'{"author": ["A", "B"]}', "metadata 'author' must be text, not a list"),
    (b'{"publisher": {"name": "X"}}', "metadata 'publisher' must be text, not an object"),
    (b'{"url": true}', "metadata 'url' must be text, not a boolean"),
    (b'{"title": "\\ud800"}', "metadata 'title' is not valid Unicode text (a lone surrogate)"),
])
def test_malformed_sidecar(runner, tmp_path, store_path, sidecar, message):
    article = tmp_path / "story.txt"
    article.write_text("Leaders met in Vienna.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_bytes(sidecar)
    result = runner.invoke(cli, ["ingest", str(article), "--store", str(store_path)])
    clean_failure(result)
    error = first_error(result)
    assert error.startswith(f"Error: {tmp_path / 'story.meta.json'}: ")
    assert message in error, error
    assert len(result.stderr.splitlines()) == 1


def test_sidecar_that_is_a_directory(runner, tmp_path, store_path):
    article = tmp_path / "story.txt"
    article.write_text("Leaders met in Vienna.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").mkdir()
    result = runner.invoke(cli, ["ingest", str(article), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: {tmp_path / 'story.meta.json'}: not a regular file"


@pytest.mark.parametrize(("date", "kind"), [
    ("2023-02-29", "impossible"), ("2023-13-01", "impossible"), ("0000-01-01", "impossible"),
    ("2023-04-31", "impossible"), ("16/07/2023", "bad"), ("99999-01-01", "bad"),
])
def test_impossible_dates_in_the_sidecar(runner, tmp_path, store_path, date, kind):
    article = tmp_path / "story.txt"
    article.write_text("Leaders met in Vienna.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(json.dumps({"date": date}), encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(article), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result).startswith(f"Error: {article}: {kind} date '{date}'")


def test_impossible_date_flag_is_a_usage_error(runner, tmp_path, store_path):
    article = tmp_path / "story.txt"
    article.write_text("Leaders met in Vienna.\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(article), "--date", "2023-02-30", "--store", str(store_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--date': impossible date '2023-02-30'" in result.stderr


@slow
def test_missing_sidecar_is_fine(runner, tmp_path, store_path):
    [article] = write_articles(tmp_path / "in", 1)
    (tmp_path / "in" / "article-00.meta.json").unlink()
    result = runner.invoke(cli, ["ingest", str(article), "--store", str(store_path)])
    assert ok(result).startswith("added")
    assert result.stderr == ""


@slow
def test_mixed_directory_ingests_the_good_and_lists_the_bad(runner, tmp_path, store_path):
    folder = tmp_path / "in"
    good = write_articles(folder, 2)
    (folder / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "latin.txt").write_bytes("Leaders met in Montréal.\n\nPresident Jane Roe of Freedonia said that "
                                       "peace matters for everyone in the region.\n".encode("cp1252"))
    bad = {
        "empty.txt": "file is empty",
        "binary.txt": "looks like a binary file (NUL bytes), not text",
        "big.txt": "file is too large (20 MB; limit 10 MB)",
        "broken.txt": "malformed JSON",
        "feb30.txt": "impossible date '2023-02-30'",
    }
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    with (folder / "big.txt").open("wb") as out:
        out.truncate(20 * 1024 * 1024)
    (folder / "broken.txt").write_text("Some text.\n", encoding="utf-8")
    (folder / "broken.meta.json").write_text("[1, 2", encoding="utf-8")
    (folder / "feb30.txt").write_text("Some text.\n", encoding="utf-8")
    (folder / "feb30.meta.json").write_text('{"date": "2023-02-30"}', encoding="utf-8")

    result = runner.invoke(cli, ["ingest", str(folder), "--store", str(store_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for name in ("article-00.txt", "article-01.txt", "page.html", "latin.txt"):
        assert re.search(rf"^added\s+\S*{re.escape(name)}\s+\(\d+ quads", result.stdout, re.MULTILINE), name
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == len(bad)
    for name, message in bad.items():
        assert re.search(rf"^failed\s+\S*{re.escape(name)}$", result.stdout, re.MULTILINE), name
        assert any(name.replace(".txt", "") in line and message in line for line in errors), name
    assert "4 added, 0 replaced, 0 unchanged, 5 failed" in result.stdout
    # Every good document is in the store whole.
    expected = expected_graphs(good + [folder / "page.html", folder / "latin.txt"])
    with KGStore(store_path, create=False) as store:
        assert {g.value for g in store.document_graphs()} == set(expected)
        for graph, quads in expected.items():
            assert graph_quads(store, graph) == quads


# ---------------------------------------------------------------- 2. the store


@pytest.fixture
def held_store(tmp_path):
    """A store held open by another process until the test ends."""
    path = tmp_path / "held"
    KGStore(path).close()
    process = spawn("""
        import sys, time
        from kg.store import KGStore
        store = KGStore(sys.argv[1])
        print("started", flush=True)
        time.sleep(120)
    """, path)
    try:
        assert read_line(process).strip() == "started", process.stderr.read()
        yield path
    finally:
        kill_9(process)


LOCKED = re.compile(r"^Error: store \S+ is in use by another process \(close it and retry\)$")


def test_second_writer_gets_a_clear_error(runner, held_store, tmp_path):
    article = tmp_path / "story.txt"
    article.write_text("Leaders met in Vienna.\n", encoding="utf-8")
    for args in (["ingest", str(article)], ["backup", str(tmp_path / "copy")], ["stats"],
                 ["query", "--sparql", "ASK {}"], ["query", "--timeout", "5", "--sparql", "ASK {}"]):
        result = runner.invoke(cli, [*args, "--store", str(held_store)])
        clean_failure(result)
        assert LOCKED.match(first_error(result)), (args, result.stderr)
    with pytest.raises(StoreLockedError, match="is in use by another process"):
        KGStore(held_store)


def test_restore_into_a_held_store_is_refused_and_changes_nothing(runner, held_store, tmp_path, small_store_path):
    backup = tmp_path / "backup"
    ok(runner.invoke(cli, ["backup", str(backup), "--store", str(small_store_path)]))
    result = runner.invoke(cli, ["restore", str(backup), "--store", str(held_store)])
    clean_failure(result)
    assert LOCKED.match(first_error(result))
    assert not held_store.with_name("held.before-restore").exists()


def test_backup_and_restore_round_trip(runner, small_store_path, tmp_path):
    before = all_quads(small_store_path)
    backup = tmp_path / "backups" / "monday"
    out = ok(runner.invoke(cli, ["backup", str(backup), "--store", str(small_store_path)]))
    assert out.strip() == f"backed up {small_store_path} ({len(before)} quads) to {backup}"
    ok(runner.invoke(cli, ["query", "--update", "--sparql", "DROP ALL", "--store", str(small_store_path)]))
    assert all_quads(small_store_path) == set()
    out = ok(runner.invoke(cli, ["restore", str(backup), "--store", str(small_store_path)]))
    kept = small_store_path.with_name(small_store_path.name + ".before-restore")
    assert out.strip().splitlines() == [f"restored {small_store_path} ({len(before)} quads) from {backup}",
                                        f"the previous store is kept at {kept}"]
    assert all_quads(small_store_path) == before
    assert all_quads(backup) == before                           # the backup is still usable
    assert all_quads(small_store_path.with_name(small_store_path.name + ".before-restore")) == set()


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d.mkdir(), "is not an Oxigraph store backup"),
    (lambda d: (d.mkdir(), (d / "notes.txt").write_text("hi")), "is not an Oxigraph store backup"),
])
def test_restore_from_something_else_is_refused(runner, small_store_path, tmp_path, make, message):
    before = all_quads(small_store_path)
    source = tmp_path / "not-a-backup"
    make(source)
    result = runner.invoke(cli, ["restore", str(source), "--store", str(small_store_path)])
    clean_failure(result)
    assert first_error(result).startswith(f"Error: {source} {message}")
    assert all_quads(small_store_path) == before


def test_backup_target_must_be_new_or_empty(runner, small_store_path, tmp_path):
    target = tmp_path / "full"
    target.mkdir()
    (target / "x").write_text("x")
    result = runner.invoke(cli, ["backup", str(target), "--store", str(small_store_path)])
    clean_failure(result)
    assert first_error(result) == f"Error: backup target {target} exists and is not empty"


# Crashes injected at exact moments: the child dies (os._exit, as abrupt as kill -9 for the
# store: no flush, no close) inside the write transaction or between staging and the swap.

CRASH_SCRIPT = """
    import os, sys
    from pyoxigraph import Literal, NamedNode, Quad
    from kg.store import KGStore

    path, graph, version, moment = sys.argv[1], NamedNode(sys.argv[2]), sys.argv[3], sys.argv[4]

    def quads():
        for i in range(500):
            if moment == "mid-write" and i == 250:
                os._exit(137)
            yield Quad(NamedNode(f"https://w3id.org/newskg/id/person/p{i}"),
                       NamedNode("https://w3id.org/newskg/ontology#note"), Literal(f"{version} {i}"), graph)

    class DiesBeforeSwap:
        def __init__(self, inner):
            self.inner = inner
        def update(self, *args, **kwargs):
            os._exit(137)
        def __getattr__(self, name):
            return getattr(self.inner, name)

    store = KGStore(path)
    if moment == "before-swap":
        store.store = DiesBeforeSwap(store.store)
    print("started", flush=True)
    store.replace_graph(graph, quads(), content_hash=version)
    print("survived", flush=True)
"""


def synthetic(graph: str, version: str) -> set:
    return {Quad(NamedNode(f"https://w3id.org/newskg/id/person/p{i}"), NamedNode(KG + "note"),
                 Literal(f"{version} {i}"), NamedNode(graph)) for i in range(500)}


def crash(path: Path, graph: str, version: str, moment: str) -> None:
    process = spawn(CRASH_SCRIPT, path, graph, version, moment)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 137, out + err
    assert "survived" not in out


def test_crash_while_adding_a_document_leaves_nothing_of_it(tmp_path):
    path, graph = tmp_path / "store", GRAPH + "story"
    with KGStore(path) as store:
        store.replace_graph(NamedNode(GRAPH + "other"), synthetic(GRAPH + "other", "v1"))
    crash(path, graph, "v1", "mid-write")
    with KGStore(path) as store:
        assert [g.value for g in store.document_graphs()] == [GRAPH + "other"]
        assert len(store) == 500
        assert store.replace_graph(NamedNode(graph), synthetic(graph, "v1"), content_hash="v1") == "added"
        assert graph_quads(store, graph) == synthetic(graph, "v1")


@pytest.mark.parametrize("moment", ["mid-write", "before-swap"])
def test_crash_while_replacing_a_document_keeps_the_old_one(tmp_path, moment):
    path, graph = tmp_path / "store", GRAPH + "story"
    with KGStore(path) as store:
        store.replace_graph(NamedNode(graph), synthetic(graph, "v1"), content_hash="v1")
    crash(path, graph, "v2", moment)
    if moment == "before-swap":
        # The crash left the complete new version staged, unpublished …
        assert staging_graphs(path) == [STAGING + "story"]
    with KGStore(path) as store:
        # … and opening the store drops it: the old version is there, whole.
        assert [g.value for g in store.document_graphs()] == [graph]
        assert graph_quads(store, graph) == synthetic(graph, "v1")
        assert len(store) == 500
        assert store.replace_graph(NamedNode(graph), synthetic(graph, "v2"), content_hash="v2") == "replaced"
        assert graph_quads(store, graph) == synthetic(graph, "v2")
        assert len(store) == 500
    assert staging_graphs(path) == []


# A real kill -9 at a moment the test does not choose precisely: after the child has printed
# that it started and a number of documents went in. Whatever the moment (even before the first
# commit or after the last), every document graph is either absent or complete.

INGEST_SCRIPT = """
    import sys
    from pathlib import Path
    from kg.documents import read_document
    from kg.pipeline import extract_quads, ingest_paths
    from kg.store import KGStore

    store_path, folder = sys.argv[1], Path(sys.argv[2])
    sources = sorted(folder.glob("*.txt"))
    extract_quads(read_document(sources[0]))      # load spaCy before the clock starts
    with KGStore(store_path) as store:
        print("started", flush=True)
        for source in sources:
            report = ingest_paths(store, [source], validate=False)
            print(report.results[0].status, source.name, flush=True)
    print("finished", flush=True)
"""


@pytest.fixture(scope="module")
def thirty_articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("thirty") / "articles"
    paths = write_articles(folder, 30)
    return folder, expected_graphs(paths)


def as_fresh_store(documents: dict[str, set]) -> set:
    """All the quads a new store holds after writing exactly these documents (their layout, their
    bookkeeping): a store after a crash or a replace must hold just that, nothing of old versions."""
    import tempfile

    from kg.terms import KG

    with tempfile.TemporaryDirectory() as folder, KGStore(Path(folder) / "fresh") as fresh:
        for graph, quads in documents.items():
            digest = next((q.object.value for q in quads if q.predicate == KG.contentHash), None)
            fresh.replace_graph(NamedNode(graph), list(quads), content_hash=digest)
        return set(fresh.store)


def assert_each_document_whole(store_path: Path, expected: dict[str, set]) -> set[str]:
    """Every document graph in the store is complete; returns the graphs present."""
    with KGStore(store_path, create=False) as store:
        present = {g.value for g in store.document_graphs()}
        assert present <= set(expected)
        for graph in present:
            assert graph_quads(store, graph) == expected[graph], f"{graph} is incomplete or mixed"
        assert set(store.store) == as_fresh_store({g: expected[g] for g in present})
    assert staging_graphs(store_path) == []
    return present


@slow
@pytest.mark.parametrize(("documents_first", "delay"), [(0, 0.0), (3, 0.037), (11, 0.011), (24, 0.05)])
def test_kill_9_during_ingest_loses_nothing(tmp_path, thirty_articles, documents_first, delay):
    from kg.pipeline import ingest_paths

    folder, expected = thirty_articles
    store_path = tmp_path / "store"
    process = spawn(INGEST_SCRIPT, store_path, folder)
    try:
        wait_for(process, documents_first)
        time.sleep(delay)
    finally:
        kill_9(process)
    present = assert_each_document_whole(store_path, expected)

    # Running the ingest again completes the store; what was there is left unchanged.
    with KGStore(store_path) as store:
        report = ingest_paths(store, [folder], validate=False)
        statuses = {GRAPH + r.doc_id: r.status for r in report.results}
    assert statuses == {g: ("unchanged" if g in present else "added") for g in expected}
    assert assert_each_document_whole(store_path, expected) == set(expected)


REPLACE_SCRIPT = """
    import sys
    from kg.documents import read_document
    from kg.pipeline import extract_quads
    from kg.store import KGStore
    from kg.terms import graph_iri

    store_path, first, second = sys.argv[1:4]
    versions = [read_document(path, {"id": "story"}) for path in (second, first)]
    quads = [extract_quads(doc) for doc in versions]
    graph = graph_iri("story")
    with KGStore(store_path) as store:
        print("started", flush=True)
        for i in range(4000):
            status = store.replace_graph(graph, quads[i % 2], content_hash=versions[i % 2].content_hash)
            print(status, i, flush=True)
"""


@slow
@pytest.mark.parametrize(("rounds", "delay"), [(0, 0.0), (1, 0.003), (40, 0.0), (200, 0.007)])
def test_kill_9_while_replacing_gives_old_or_new_never_a_mix(tmp_path, rounds, delay):
    from kg.pipeline import extract_quads, ingest_paths

    first, second = write_articles(tmp_path / "v1", 2)
    # The same story, its text changed: the second version has other paragraphs.
    second = second.rename(tmp_path / "v2.txt")
    old = as_stored(extract_quads(read_document(first, {"id": "story"})))
    new = as_stored(extract_quads(read_document(second, {"id": "story"})))
    assert old != new and old - new and new - old
    store_path = tmp_path / "store"
    with KGStore(store_path) as store:
        ingest_paths(store, [first], overrides={"id": "story"}, validate=False)
    process = spawn(REPLACE_SCRIPT, store_path, first, second)
    try:
        wait_for(process, rounds)
        time.sleep(delay)
    finally:
        kill_9(process)
    with KGStore(store_path, create=False) as store:
        assert [g.value for g in store.document_graphs()] == [GRAPH + "story"]
        # ingested (with its source file), or replaced by the script: old or new, never a mix
        ingested = expected_graphs([first], {"id": "story"})[GRAPH + "story"]
        stored = graph_quads(store, GRAPH + "story")
        assert stored in (ingested, old, new)
        assert set(store.store) == as_fresh_store({GRAPH + "story": stored})
    assert staging_graphs(store_path) == []
    with KGStore(store_path) as store:
        # another file under the same id: replacing the story takes --force
        ingest_paths(store, [second], overrides={"id": "story"}, validate=False, force=True)
        assert graph_quads(store, GRAPH + "story") == expected_graphs([second], {"id": "story"})[GRAPH + "story"]


@slow
def test_reingest_unchanged_is_a_no_op_and_a_change_replaces_the_graph(tmp_path, monkeypatch):
    from kg import pipeline

    [article] = write_articles(tmp_path / "in", 1)
    store_path = tmp_path / "store"
    with KGStore(store_path) as store:
        assert pipeline.ingest_paths(store, [article]).results[0].status == "added"
    before = all_quads(store_path)

    def no_extraction(*args, **kwargs):
        raise AssertionError("an unchanged document must not be extracted again")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "extract", no_extraction)
        patch.setattr(pipeline, "extract_parsed", no_extraction)
        with KGStore(store_path) as store:
            assert pipeline.ingest_paths(store, [article]).results[0].status == "unchanged"
    assert all_quads(store_path) == before

    paragraphs = seed_paragraphs()
    article.write_text(f"Report number 0, revised\n\n{paragraphs[1]}\n\n{paragraphs[2]}\n", encoding="utf-8")
    expected = expected_graphs([article])
    with KGStore(store_path) as store:
        assert pipeline.ingest_paths(store, [article]).results[0].status == "replaced"
        assert graph_quads(store, GRAPH + "article-00") == expected[GRAPH + "article-00"]
        # nothing of the old version left, in its graph or in the shared entity graph
        assert set(store.store) == as_fresh_store(expected)


# ---------------------------------------------------------------- 3. SPARQL


def test_malformed_query_reports_line_and_column(runner, small_store_path):
    result = runner.invoke(cli, ["query", "--store", str(small_store_path), "--sparql",
                                 "SELECT ?s\nWHERE { ?s ?p ?o } LIMT 5"])
    clean_failure(result)
    assert first_error(result).startswith("Error: SPARQL syntax error at 2:26: ")


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "PREFIX kg: <https://w3id.org/newskg/ontology#>\n# a comment\nDELETE WHERE { GRAPH ?g { ?s kg:title ?t } }",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
])
def test_updates_need_the_update_flag(runner, small_store_path, tmp_path, update):
    before = all_quads(small_store_path)
    result = runner.invoke(cli, ["query", "--store", str(small_store_path), "--sparql", update])
    clean_failure(result)
    assert first_error(result) == "Error: kg query runs read-only queries; this is a SPARQL update"
    saved = tmp_path / "evil.rq"
    saved.write_text(f"# title: Evil\n{update}\n", encoding="utf-8")
    result = runner.invoke(cli, ["query", str(saved), "--store", str(small_store_path)])
    assert first_error(result) == "Error: kg query runs read-only queries; this is a SPARQL update"
    assert all_quads(small_store_path) == before
    out = ok(runner.invoke(cli, ["query", "--update", "--store", str(small_store_path), "--sparql", update]))
    assert out.startswith("update done: ")
    assert all_quads(small_store_path) != before


HOSTILE = [
    'x" } ; DROP ALL ; #',
    "<http://evil> } UNION { ?s ?p ?o",
    "'; DELETE WHERE { ?s ?p ?o } #",
    "Anna Berger\" . ?s ?p ?o . FILTER(\"",
    "http://x>}UNION{?s?p?o",
    "A" * 10_000,
    "\x00\x07\x1b[2J\u202e\u2028\u200f\ufeff",
]


def parameterised_queries():
    from kg.queries import load_catalogue

    return [(name, param.name) for name, query in load_catalogue().items() for param in query.params]


def test_every_parameterised_query_is_covered():
    names = {name for name, _ in parameterised_queries()}
    assert {"entities-by-type", "entity", "initiatives", "statements-at-event", "who-said-what"} <= names


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:24]))
@pytest.mark.parametrize(("name", "param"), parameterised_queries())
def test_parameters_never_change_a_query(small_store, monkeypatch, name, param, value):
    from kg.queries import _ENTITIES_NAMED, load_catalogue, run

    saved = load_catalogue()[name]
    before = set(small_store.store)
    calls = []
    real_query = KGStore.query

    def recording(self, sparql, substitutions=None, **kwargs):
        calls.append((sparql, dict(substitutions or {})))
        return real_query(self, sparql, substitutions, **kwargs)

    monkeypatch.setattr(KGStore, "query", recording)
    try:
        result = run(small_store, saved.text, {param: value}, saved=saved)
    except UsageError as exc:
        raise AssertionError(f"the value was taken for a usage problem: {exc}") from None
    except QueryError as exc:
        # Refused: a value that names no entity, or that is not an IRI / a date / a number.
        assert re.search(r"no entity is named|is not an IRI|bad date|is not a", str(exc)), str(exc)
    else:
        assert isinstance(result.rows, list)
    for sparql, substitutions in calls:
        # The query text is the saved one (or the fixed label lookup), never formatted with the value.
        assert sparql in (saved.text, _ENTITIES_NAMED)
        assert value not in sparql and value.strip() not in sparql
        for term in substitutions.values():
            assert isinstance(term, (Literal, NamedNode))
            if isinstance(term, Literal):
                assert term.value in (value, value.strip())
    assert set(small_store.store) == before


def test_hostile_parameter_through_the_cli(runner, small_store_path):
    before = all_quads(small_store_path)
    result = runner.invoke(cli, ["query", "who-said-what", "--param", 'speaker=x" } ; DROP ALL ; #',
                                 "--store", str(small_store_path)])
    clean_failure(result)
    assert first_error(result) == "Error: no entity is named 'x\" } ; DROP ALL ; #' (give an IRI, a label or an alias)"
    result = runner.invoke(cli, ["query", "entities-by-type", "--param", "type=Person } ; CLEAR ALL ; {",
                                 "--format", "csv", "--store", str(small_store_path)])
    assert ok(result).strip() == "type,entity,name,aliases"
    result = runner.invoke(cli, ["query", "who-said-what", "--param", "DROP ALL=1", "--store", str(small_store_path)])
    clean_failure(result, exit_code=2)
    assert all_quads(small_store_path) == before


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_timeout_stops_a_runaway_query(runner, small_store_path):
    before = all_quads(small_store_path)
    result = runner.invoke(cli, ["query", "--timeout", "0.5", "--sparql", RUNAWAY, "--store", str(small_store_path)])
    clean_failure(result)
    assert first_error(result) == "Error: query stopped after the 0.5 s timeout"
    # The child that ran it is gone: the store opens, unchanged.
    assert all_quads(small_store_path) == before
    fast = runner.invoke(cli, ["query", "--timeout", "30", "--format", "csv", "--sparql",
                               "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--store", str(small_store_path)])
    assert ok(fast).split() == ["n", str(len(before))]


# ---------------------------------------------------------------- 5. SHACL as a gate


def drop_first_speaker(monkeypatch):
    """From now on, document graphs lose the kg:speaker of their first statement (a SHACL violation)."""
    from kg import pipeline

    real = pipeline.document_quads

    def without_a_speaker(doc, extraction):
        dropped = False
        for quad in real(doc, extraction):
            if not dropped and quad.predicate.value == KG + "speaker":
                dropped = True
                continue
            yield quad

    monkeypatch.setattr(pipeline, "document_quads", without_a_speaker)


@slow
def test_shacl_gate_refuses_with_the_report_and_stores_nothing(runner, article_dir, tmp_path, store_path,
                                                                monkeypatch):
    # A document already in the store, stored before the graphs went wrong.
    [other] = write_articles(tmp_path / "other", 1)
    ok(runner.invoke(cli, ["ingest", str(other), "--store", str(store_path)]))
    before = all_quads(store_path)
    drop_first_speaker(monkeypatch)

    result = runner.invoke(cli, ["ingest", str(article_dir), "--store", str(store_path)])
    clean_failure(result)
    article = article_dir / f"{ARTICLE}.txt"
    assert first_error(result) == f"Error: {article}: graph does not conform to the SHACL shapes (1 violation)"
    report = result.stderr.split("\n", 1)[1]
    assert report.startswith("    Validation Report")
    assert all(line.startswith("    ") for line in report.splitlines() if line.strip())
    assert "Result Path: kg:speaker" in report and "A statement has exactly one kg:speaker" in report
    assert result.stdout.startswith(f"failed     {article}")
    assert all_quads(store_path) == before

    result = runner.invoke(cli, ["ingest", "--no-validate", str(article_dir), "--store", str(store_path)])
    assert ok(result).startswith("added")
    assert len(all_quads(store_path)) > len(before)


@slow
def test_shacl_gate_keeps_the_old_version_of_a_replaced_document(runner, article_dir, store_path, monkeypatch):
    article = article_dir / f"{ARTICLE}.txt"
    ok(runner.invoke(cli, ["ingest", str(article), "--store", str(store_path)]))
    before = all_quads(store_path)
    drop_first_speaker(monkeypatch)
    result = runner.invoke(cli, ["ingest", str(article), "--title", "A new title", "--store", str(store_path)])
    clean_failure(result)
    assert "graph does not conform to the SHACL shapes" in first_error(result)
    assert all_quads(store_path) == before


@slow
def test_an_extraction_bug_fails_one_document_and_the_others_go_in(runner, tmp_path, store_path, monkeypatch):
    from kg import pipeline

    good, bad = write_articles(tmp_path / "in", 2)
    real = pipeline.extract_parsed

    def broken_on_one(doc, parsed):
        if doc.id == "article-01":
            raise IndexError("list index out of range")
        return real(doc, parsed)

    monkeypatch.setattr(pipeline, "extract_parsed", broken_on_one)
    result = runner.invoke(cli, ["ingest", str(tmp_path / "in"), "--store", str(store_path)])
    clean_failure(result)
    assert first_error(result) == (f"Error: {bad}: extraction failed (IndexError: list index out of range); "
                                   "nothing of it was stored — please report this file")
    assert "1 added, 0 replaced, 0 unchanged, 1 failed" in result.stdout
    with KGStore(store_path, create=False) as store:
        assert [g.value for g in store.document_graphs()] == [GRAPH + "article-00"]
