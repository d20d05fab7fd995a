"""The Oxigraph store on disk: open, lock errors, per-document transactional replace, dump.

>>> import tempfile
>>> from pyoxigraph import Literal, NamedNode, Quad
>>> g = NamedNode("https://w3id.org/newskg/graph/doc")
>>> quads = [Quad(NamedNode("https://w3id.org/newskg/id/document/doc"), NamedNode("https://w3id.org/newskg/ontology#contentHash"), Literal("h1"), g)]
>>> with tempfile.TemporaryDirectory() as d, KGStore(d) as store:
...     first = store.replace_graph(g, quads, content_hash="h1")
...     again = store.replace_graph(g, quads, content_hash="h1")
...     (first, again, len(store))
('added', 'unchanged', 1)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from .errors import StoreError, StoreLockedError
from .terms import GRAPH, KG

DEFAULT_STORE = Path(".kg") / "store"
STAGING = GRAPH + "staging/"
# Documents being bulk-loaded: <document graph> kg:contentHash "expected hash", in this graph,
# from before their quads are written until they are complete (see add_documents).
PENDING = NamedNode(GRAPH + "pending")


def default_store_path() -> Path:
    return Path(os.environ.get("KG_STORE") or DEFAULT_STORE)


def _open(path: Path) -> Store:
    try:
        return Store(str(path))
    except OSError as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise StoreLockedError(f"store {path} is in use by another process (close it and retry)") from None
        raise StoreError(f"cannot open store {path}: {message.splitlines()[0]}") from None


class KGStore:
    """A newskg store: an on-disk Oxigraph store plus the operations newskg needs."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path) if path is not None else default_store_path()
        if not create and not self.path.exists():
            raise StoreError(f"no store at {self.path} (run `kg build` or `kg ingest` first)")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create store {self.path}: {exc.strerror or exc}") from None
        self.store = _open(self.path)
        self._drop_staging()
        self._finish_pending()

    # -- lifecycle
    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.store is not None:
            self.store.flush()
            del self.store
            self.store = None

    def __len__(self) -> int:
        return len(self.store)

    # -- writing
    def _drop_staging(self) -> None:
        """A crash between staging and commit leaves a complete but unpublished copy: drop it."""
        for graph in list(self.store.named_graphs()):
            if isinstance(graph, NamedNode) and graph.value.startswith(STAGING):
                self.store.remove_graph(graph)

    def _finish_pending(self) -> None:
        """A crash during a bulk load leaves documents without their completion mark: drop them."""
        if not self.store.contains_named_graph(PENDING):
            return
        for marker in list(self.store.quads_for_pattern(None, KG.contentHash, None, PENDING)):
            if self.content_hash(marker.subject) != marker.object.value:
                self.store.remove_graph(marker.subject)
        self.store.remove_graph(PENDING)

    def add_documents(self, documents: list[tuple[NamedNode, list[Quad], str]]) -> list[str]:
        """Write many documents (graph, quads, content hash) at bulk-load speed; statuses in order.

        New documents go through Oxigraph's bulk loader, which is twice as fast as a transaction
        but not atomic, so atomicity per document is rebuilt around it: (1) one transaction
        records each new graph as pending with its expected hash; (2) the bulk load writes every
        quad except the documents' ``kg:contentHash``; (3) one transaction writes those hashes,
        which mark the documents complete; (4) the pending records go. A crash anywhere leaves
        pending records, and the next open drops each graph whose hash is not the expected one.
        Documents already in the store are replaced one by one with :meth:`replace_graph`.
        """
        new: list[int] = []          # indexes of documents not in the store yet
        present: list[int] = []      # already there (or twice in this batch): replaced
        seen: set[str] = set()
        for index, (graph, _, _) in enumerate(documents):
            if graph.value in seen or self.store.contains_named_graph(graph):
                present.append(index)
            else:
                seen.add(graph.value)
                new.append(index)
        statuses = ["added"] * len(documents)
        try:
            if new:
                markers = [Quad(documents[i][0], KG.contentHash, Literal(documents[i][2]), PENDING) for i in new]
                self.store.extend(markers)
                body, hashes = [], []
                content_hash = KG.contentHash        # one term, not one per quad: this loop is hot
                for i in new:
                    graph, quads, _ = documents[i]
                    for q in quads:
                        if q.graph_name != graph:       # quads are written where their document is
                            q = Quad(q.subject, q.predicate, q.object, graph)
                        (hashes if q.predicate == content_hash else body).append(q)
                self.store.bulk_extend(body)
                self.store.extend(hashes)
                # only this process writes (the store is locked), so the pending graph is this batch's
                self.store.remove_graph(PENDING)
            for i in present:
                graph, quads, digest = documents[i]
                statuses[i] = self.replace_graph(graph, quads, content_hash=digest)
        except OSError as exc:
            raise StoreError(f"writing to store {self.path} failed: {exc}") from None
        return statuses

    def content_hash(self, graph: NamedNode) -> str | None:
        for quad in self.store.quads_for_pattern(None, KG.contentHash, None, graph):
            return quad.object.value
        return None

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad], content_hash: str | None = None) -> str:
        """Make ``graph`` hold exactly ``quads``, atomically. Returns added/replaced/unchanged.

        A new graph is written by one transactional ``extend``. An existing one is first staged
        in a side graph, then swapped in by one SPARQL ``MOVE`` (a single transaction), so
        readers and crashes see either the old document or the new one, never a mix.
        """
        try:
            exists = self.store.contains_named_graph(graph)
            if exists and content_hash is not None and self.content_hash(graph) == content_hash:
                return "unchanged"
            if not exists:
                # One transaction: a crash midway leaves no quad of the document behind.
                self.store.extend(Quad(q.subject, q.predicate, q.object, graph) for q in quads)
                return "added"
            staging = NamedNode(STAGING + graph.value.rsplit("/", 1)[-1])
            self.store.remove_graph(staging) if self.store.contains_named_graph(staging) else None
            self.store.extend(Quad(q.subject, q.predicate, q.object, staging) for q in quads)
            # IRIs are serialised by pyoxigraph (str(NamedNode) is N-Triples syntax), not pasted text.
            self.store.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {graph}")
            return "replaced"
        except OSError as exc:
            raise StoreError(f"writing to store {self.path} failed: {exc}") from None

    def remove_graph(self, graph: NamedNode) -> bool:
        if not self.store.contains_named_graph(graph):
            return False
        self.store.remove_graph(graph)
        return True

    # -- backup
    def backup(self, target: str | Path) -> Path:
        """A consistent copy of the store (RocksDB checkpoint) in a new directory ``target``."""
        target = Path(target)
        if target.resolve().is_relative_to(self.path.resolve()):
            raise StoreError(f"backup target {target} is inside the store {self.path}; choose another folder")
        if target.exists() and not target.is_dir():
            raise StoreError(f"backup target {target} is a file")
        if target.exists() and any(target.iterdir()):
            raise StoreError(f"backup target {target} exists and is not empty")
        if target.exists():
            target.rmdir()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.store.flush()
            self.store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"backup to {target} failed: {exc}") from None
        return target

    # -- reading
    def graphs(self) -> list[NamedNode]:
        return sorted((g for g in self.store.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)

    def query(self, sparql: str, substitutions=None, **kwargs):
        """SPARQL over the union of all named graphs (syntax errors propagate as SyntaxError)."""
        from .terms import PREFIXES

        return self.store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions,
                                prefixes=PREFIXES, **kwargs)


def restore(backup: str | Path, store_path: str | Path) -> Path:
    """Replace the store at ``store_path`` with a copy of ``backup`` (the store must not be in use).

    The copy is made beside the store (``STORE.restoring``) and swapped in by two renames only
    when complete, so a failed copy leaves the store as it was. The old store is kept as
    ``STORE.before-restore``.
    """
    import shutil

    backup, store_path = Path(backup), Path(store_path)
    if store_path.exists() and backup.resolve() == store_path.resolve():
        raise StoreError(f"{backup} is the store itself; restore from a backup made with `kg backup`")
    try:
        Store.read_only(str(backup))
    except OSError as exc:
        raise StoreError(f"{backup} is not an Oxigraph store backup ({str(exc).splitlines()[0]})") from None
    if store_path.exists():
        with KGStore(store_path):      # fails clearly if another process holds the store
            pass
    incoming = store_path.with_name(store_path.name + ".restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        shutil.copytree(backup, incoming)
    except OSError as exc:
        shutil.rmtree(incoming, ignore_errors=True)
        raise StoreError(f"restoring {backup} failed: {exc}") from None
    if store_path.exists():
        old = store_path.with_name(store_path.name + ".before-restore")
        shutil.rmtree(old, ignore_errors=True)
        store_path.rename(old)
    incoming.rename(store_path)
    return store_path
