"""Issue 8, item 4: ``kg restore`` let writers in during the copy and deleted old stores.

``restore`` checked the lock, released it, then copied the backup: an ingest during the copy
reported "2 added" but landed in ``STORE.before-restore``, which the next restore deleted without
a word. A truncated backup was restored, or crashed with a traceback. Now the store is held
(exclusively) from the first check to the last rename, every previous store is kept
(``STORE.before-restore``, ``STORE.before-restore-2`` …) and printed, and a damaged backup is
refused before anything is touched.
"""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import store_quads as quads  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.cli import cli

G = NamedNode("https://w3id.org/newskg/graph/doc")
TITLE = NamedNode("https://w3id.org/newskg/ontology#title")
DOC = NamedNode("https://w3id.org/newskg/id/document/doc")


def make_store(path: Path, title: str, extra: int = 0) -> set:
    quads = {Quad(DOC, TITLE, Literal(title), G)}
    quads |= {Quad(NamedNode(f"https://w3id.org/newskg/id/thing/t{i}"), TITLE, Literal(f"thing {i}"), G)
              for i in range(extra)}
    store = Store(str(path))
    store.extend(quads)
    store.flush()
    del store
    return quads


def make_backup(store_path: Path, backup: Path) -> None:
    store = Store(str(store_path))
    store.backup(str(backup))
    del store




OPEN_FOR_WRITING = """
    import sys
    from kg.store import KGStore
    try:
        KGStore(sys.argv[1]).close()
        print("opened")
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def test_the_store_is_held_for_the_whole_copy(runner, tmp_path, monkeypatch):
    store, backup = tmp_path / "store", tmp_path / "backup"
    make_store(store, "old")
    make_backup(store, backup)
    seen = []
    copytree = shutil.copytree

    def copy_while_another_process_tries(src, dst, *args, **kwargs):
        # cwd outside the repository: the child imports the same `kg` as this test.
        seen.append(subprocess.run([sys.executable, "-c", textwrap.dedent(OPEN_FOR_WRITING), str(store)],
                                   cwd=tmp_path, capture_output=True, text=True, timeout=120).stdout.strip())
        return copytree(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copytree", copy_while_another_process_tries)
    result = runner.invoke(cli, ["restore", str(backup), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    assert seen[0].startswith("StoreLockedError") and "is in use by another process" in seen[0], seen


def test_a_second_restore_keeps_both_previous_stores(runner, tmp_path):
    store, backup = tmp_path / "store", tmp_path / "backup"
    first = make_store(store, "first")
    make_backup(store, backup)
    runner.invoke(cli, ["query", "--update", "--sparql", "DROP ALL", "--store", str(store)])

    one = runner.invoke(cli, ["restore", str(backup), "--store", str(store)])
    assert one.exit_code == 0, one.output
    kept = tmp_path / "store.before-restore"
    assert one.stdout.splitlines()[-1] == f"the previous store is kept at {kept}"
    second = runner.invoke(cli, ["query", "--update", "--sparql",
                                 f'INSERT DATA {{ GRAPH <{G.value}> {{ <{DOC.value}> <{TITLE.value}> "second" }} }}',
                                 "--store", str(store)])
    assert second.exit_code == 0, second.output
    after_edit = quads(store)

    two = runner.invoke(cli, ["restore", str(backup), "--store", str(store)])
    assert two.exit_code == 0, two.output
    kept2 = tmp_path / "store.before-restore-2"
    assert two.stdout.splitlines()[-1] == f"the previous store is kept at {kept2}"
    assert quads(kept) == set()              # the store emptied by DROP ALL, as it was
    assert quads(kept2) == after_edit        # the edited store, not deleted
    assert quads(store) == first


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_backup_is_refused_and_the_store_is_unchanged(runner, tmp_path, damage):
    store, backup = tmp_path / "store", tmp_path / "backup"
    before = make_store(store, "kept", extra=2000)
    make_backup(store, tmp_path / "checkpoint")
    # A checkpoint hard-links the store's files: damage a real copy, never the store itself.
    shutil.copytree(tmp_path / "checkpoint", backup)
    tables = sorted(backup.glob("*.sst"), key=lambda p: p.stat().st_size)
    assert tables
    for table in tables:
        if damage == "truncate":
            with open(table, "r+b") as handle:
                handle.truncate(table.stat().st_size // 2)
        else:
            table.unlink()
    result = runner.invoke(cli, ["restore", str(backup), "--store", str(store)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"Error: {backup} "), result.stderr
    assert "nothing was restored" in errors[0] or "not an Oxigraph store backup" in errors[0]
    assert quads(store) == before
    assert not (tmp_path / "store.before-restore").exists()
