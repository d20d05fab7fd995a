"""Issue 8, item 10: readers blocked readers, and reading commands created stores.

Every command opened the store for writing, so ``kg query``, ``stats`` and ``export`` failed
"in use" while another ``kg query`` ran; and ``kg stats --store <any existing folder>`` wrote a
new, empty database into it and exited 0. Reading commands now open the store read-only and
share it (any number at once, never beside a writer), and never create a store.
"""

import re
import subprocess
import sys
import textwrap

import pytest

from kg.cli import cli

LOCKED = re.compile(r"^Error: store \S+ is in use by another process \(close it and retry\)$")

# A reader as each version opens the store: read-only where there is such a thing.
READER = """
    import sys, time
    from kg.store import KGStore
    try:
        store = KGStore(sys.argv[1], read_only=True)
    except TypeError:                    # v0.1: every command opened the store for writing
        store = KGStore(sys.argv[1], create=False)
    print("started", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def store(small_store_path):
    from kg.store import KGStore

    KGStore(small_store_path).close()       # a v0.1-shaped fixture is migrated now, not under a reader
    return small_store_path


@pytest.fixture
def read_elsewhere(store, tmp_path):
    """The store, held by a reader in another process until the test ends."""
    # cwd outside the repository: the child imports the same `kg` as this test.
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(READER), str(store)], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "started", process.stderr.read()
        yield store
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def test_readers_run_while_another_reader_holds_the_store(runner, read_elsewhere):
    for args in (["query", "--format", "csv", "--sparql", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"],
                 ["query", "--timeout", "30", "--format", "csv", "--sparql", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"],
                 ["stats"], ["export", "--format", "nquads"]):
        result = runner.invoke(cli, [*args, "--store", str(read_elsewhere)])
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip()


def test_a_writer_still_waits_for_the_readers(runner, read_elsewhere, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Leaders met in Vienna on Monday.\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(story), "--store", str(read_elsewhere)])
    assert result.exit_code == 1, result.output
    assert LOCKED.match(result.stderr.strip()), result.stderr


@pytest.mark.parametrize("args", [["stats"], ["query", "--sparql", "ASK {}"], ["export"]])
def test_reading_commands_never_create_a_store(runner, tmp_path, args):
    folder = tmp_path / "empty"
    folder.mkdir()
    result = runner.invoke(cli, [*args, "--store", str(folder)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip().startswith(f"Error: no store at {folder}"), result.stderr
    assert list(folder.iterdir()) == []


def test_a_v01_store_can_be_read_while_served(runner, tmp_path):
    from conftest import SMALL_TRIG
    from pyoxigraph import RdfFormat, Store

    path = tmp_path / "v01"
    raw = Store(str(path))                  # as v0.1 left it: links in graph/wikidata-links
    raw.load(path=str(SMALL_TRIG), format=RdfFormat.TRIG)
    raw.flush()
    del raw
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from kg.serve import hold_store
        lock = hold_store(sys.argv[1], writable=False)      # what `kg serve` holds while it serves
        print("started", flush=True)
        time.sleep(120)
    """), str(path)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "started", holder.stderr.read()
        result = runner.invoke(cli, ["stats", "--store", str(path)])
        assert result.exit_code == 0, result.output
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stderr.close()
