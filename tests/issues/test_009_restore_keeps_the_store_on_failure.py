"""Issue 9: a failed ``kg restore`` could leave no store at all.

``restore`` first renamed the store to ``STORE.before-restore`` and then copied the backup in.
When the copy failed (disk full, unreadable file) or the "backup" was the store itself
(``kg restore .kg/store``), the store was gone from its path and a traceback was printed. The
copy is now made beside the store first and swapped in only when complete.
"""

import shutil

from pyoxigraph import Literal, NamedNode, Quad

from kg.cli import cli
from kg.store import KGStore

G = NamedNode("https://w3id.org/newskg/graph/doc")
QUAD = Quad(NamedNode("https://w3id.org/newskg/id/document/doc"), NamedNode("https://w3id.org/newskg/ontology#title"),
            Literal("kept"), G)


def make_store(path):
    with KGStore(path) as store:
        store.replace_graph(G, [QUAD])


def quads(path):
    with KGStore(path, create=False) as store:
        return set(store.store)


def test_restore_onto_itself_is_refused(runner, tmp_path):
    store = tmp_path / "store"
    make_store(store)
    result = runner.invoke(cli, ["restore", str(store), "--store", str(store)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {store} is the store itself")
    assert quads(store) == {QUAD}


def test_a_failed_copy_leaves_the_store_in_place(runner, tmp_path, monkeypatch):
    store, backup = tmp_path / "store", tmp_path / "backup"
    make_store(store)
    with KGStore(store) as opened:
        opened.backup(backup)
        opened.store.update("DROP ALL")

    def disk_full(src, dst, **kwargs):
        shutil.os.makedirs(dst)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copytree", disk_full)
    result = runner.invoke(cli, ["restore", str(backup), "--store", str(store)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: restoring {backup} failed: ")
    assert quads(store) == set()                 # the store as it was, still there
    assert not (tmp_path / "store.restoring").exists()
