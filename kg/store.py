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

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from .errors import StoreError, StoreLockedError
from .lock import StoreLock, check_no_foreign_writer, in_use
from .terms import GRAPH, INTERNAL_GRAPHS, KG, LEGACY_LINKS_GRAPH, LINKS_GRAPH, RDF

DEFAULT_STORE = Path(".kg") / "store"
STAGING = INTERNAL_GRAPHS + "staging/"
# Documents being bulk-loaded: <document graph> kg:contentHash "expected hash", in this graph,
# from before their quads are written until they are complete (see add_documents).
PENDING = NamedNode(INTERNAL_GRAPHS + "pending")
# v0.1 kept its working graphs beside the documents' (graph/pending, graph/staging/…), where a
# document could take their names; opening a v0.1 store for writing moves or drops them.
LEGACY_STAGING = GRAPH + "staging/"
# Present while a store is moved to the current layout (entity triples once, docs/graph-layout.md).
MIGRATING = NamedNode(INTERNAL_GRAPHS + "migrating")
ENTITIES = NamedNode(INTERNAL_GRAPHS + "entities")        # kg.graph.ENTITIES_GRAPH (not imported on open)
SORT_KEY = NamedNode("https://w3id.org/newskg/internal#sortKey")   # kg.graph.KGX.sortKey
LEGACY_PENDING = NamedNode(GRAPH + "pending")


def default_store_path() -> Path:
    return Path(os.environ.get("KG_STORE") or DEFAULT_STORE)


def is_store(path: Path) -> bool:
    """Does ``path`` hold an Oxigraph (RocksDB) store? Reading commands never create one."""
    return (path / "CURRENT").is_file()


def damaged(path: Path, message: str) -> StoreError:
    return StoreError(f"store {path} is damaged ({message.splitlines()[0][:200]}); "
                      f"restore a backup with `kg restore BACKUP --store {path}`")


def _open(path: Path, *, read_only: bool = False) -> Store:
    try:
        return Store.read_only(str(path)) if read_only else Store(str(path))
    except (OSError, RuntimeError) as exc:
        message = str(exc)
        lowered = message.lower()
        # Damage first: RocksDB's "block checksum mismatch" contains "lock" too.
        if "corrupt" in lowered or "checksum" in lowered:
            raise damaged(path, message) from None
        if "lock" in lowered:
            raise in_use(path) from None
        raise StoreError(f"cannot open store {path}: {message.splitlines()[0] if message else exc}") from None


class KGStore:
    """A newskg store: an on-disk Oxigraph store plus the operations newskg needs.

    ``read_only=True`` is how reading commands open it: any number of them at once, none while
    a writer holds it (see :mod:`kg.lock`), and never creating a store where there is none.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True, read_only: bool = False):
        self.path = Path(path) if path is not None else default_store_path()
        self.read_only = read_only
        self.store = None
        if (read_only or not create) and not is_store(self.path):
            if self.path.exists() and not self.path.is_dir():
                raise StoreError(f"no store at {self.path} (it is a file)")
            raise StoreError(f"no store at {self.path} (run `kg build` or `kg ingest` first)")
        if not read_only:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create store {self.path}: {exc.strerror or exc}") from None
        self._lock = StoreLock(self.path, shared=read_only).acquire()
        try:
            if read_only:
                check_no_foreign_writer(self.path)
                self.store = _open(self.path, read_only=True)
                if self._needs_recovery():
                    self._recover_then_reopen()
            else:
                self.store = _open(self.path)
                self._drop_staging()
                self._finish_pending()
                self._move_legacy_links()
                self._migrate_layout()
        except BaseException:
            self.store = None
            self._lock.release()
            raise

    # -- lifecycle
    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.store is not None:
            if not self.read_only:
                self.store.flush()
            del self.store
            self.store = None
            self._lock.release()

    def __len__(self) -> int:
        return len(self.store)

    def _needs_recovery(self) -> bool:
        """Work left by a writer that was killed: only a write-open finishes it."""
        for graph in self.store.named_graphs():
            if isinstance(graph, NamedNode) and (graph == PENDING or graph.value.startswith(STAGING)
                                                 or graph == LEGACY_LINKS_GRAPH and not self._is_document(graph)):
                return True
        return self._layout_outdated()

    def _recover_then_reopen(self) -> None:
        del self.store
        self.store = None
        try:
            with StoreLock(self.path, shared=False):     # upgrade: only possible while no one else reads
                KGStore(self.path, create=False).close()
        except StoreLockedError:
            # Other readers are on the store (a `kg serve`, another query): they read it as it is,
            # and so does this one; the next writer finishes the work.
            pass
        self.store = _open(self.path, read_only=True)

    def _is_document(self, graph: NamedNode) -> bool:
        return any(True for _ in self.store.quads_for_pattern(None, RDF.type, KG.Document, graph))

    # -- writing
    def _drop_staging(self) -> None:
        """A crash between staging and commit leaves a complete but unpublished copy: drop it."""
        for graph in list(self.store.named_graphs()):
            if isinstance(graph, NamedNode) and graph.value.startswith((STAGING, LEGACY_STAGING)):
                self.store.remove_graph(graph)

    def _finish_pending(self) -> None:
        """A crash during a bulk load leaves documents without their completion mark: drop them."""
        for pending in (PENDING, LEGACY_PENDING):
            if not self.store.contains_named_graph(pending) or self._is_document(pending):
                continue
            for marker in list(self.store.quads_for_pattern(None, KG.contentHash, None, pending)):
                if self.content_hash(marker.subject) != marker.object.value:
                    self.store.remove_graph(marker.subject)
            self.store.remove_graph(pending)

    def _move_legacy_links(self) -> None:
        """v0.1 kept the Wikidata links in graph/wikidata-links, a name a document could take."""
        legacy = LEGACY_LINKS_GRAPH
        if self.store.contains_named_graph(legacy) and not self._is_document(legacy):
            self.store.update(f"DROP SILENT GRAPH {LINKS_GRAPH} ; MOVE SILENT GRAPH {legacy} TO GRAPH {LINKS_GRAPH}")

    def _unsplit_documents(self, *, first_only: bool = False) -> list[NamedNode]:
        """Documents' graphs still in the v0.2 layout (entity descriptions inside the document graph).

        Every entity carries a label, and in the current layout a document's graph labels only its
        own document node (the subject of its ``kg:contentHash``)."""
        from .terms import RDFS

        found: dict[str, NamedNode] = {}
        for q in self.store.quads_for_pattern(None, RDFS.label, None, None):
            g = q.graph_name
            if not isinstance(g, NamedNode) or g.value in found or not self._splits(g):
                continue
            if next(iter(self.store.quads_for_pattern(q.subject, KG.contentHash, None, g)), None) is None:
                found[g.value] = g
                if first_only:
                    break
        return sorted(found.values(), key=lambda g: g.value)

    def _layout_outdated(self) -> bool:
        # kg.graph is not imported here: reading commands pass through this on every open
        if self.store.contains_named_graph(MIGRATING):
            return True
        if self.store.contains_named_graph(ENTITIES):
            return self._without_sort_keys(first_only=True) != []
        return self._unsplit_documents(first_only=True) != []

    def _without_sort_keys(self, *, first_only: bool = False) -> list[NamedNode]:
        """Documents (``kg:Document`` nodes) without their ``kgx:sortKey``: a store written before the
        keys (docs/graph-layout.md). The keys are written for all documents at once, so on every
        open the first document tells."""
        missing = []
        for q in self.store.quads_for_pattern(None, RDF.type, KG.Document, None):
            g = q.graph_name
            if not isinstance(q.subject, NamedNode) or not isinstance(g, NamedNode) or \
                    (g != ENTITIES and not self._splits(g)):
                continue
            if next(iter(self.store.quads_for_pattern(q.subject, SORT_KEY, None, ENTITIES)), None) is None:
                missing.append(q)
            if first_only:
                break
        return missing

    def _write_sort_keys(self) -> None:
        """Give every document of a store written before the keys its ``kgx:sortKey``, with a support
        record in each document graph that states or supports its ``rdf:type kg:Document`` (one
        transaction: a crash leaves the store as it was, and the next open does it again)."""
        from pyoxigraph import Triple

        from .graph import KGX, document_sort_key, support_literal

        insert, seen = [], set()
        for q in self._without_sort_keys():
            s, g = q.subject, q.graph_name
            key = Triple(s, SORT_KEY, document_sort_key(s.value))
            if key not in seen:
                seen.add(key)
                insert.append(Quad(s, SORT_KEY, key.object, ENTITIES))
            if g == ENTITIES:        # a document cited by others: every document supporting its type
                stated = support_literal(Triple(s, RDF.type, KG.Document))
                supporters = [r.graph_name for r in self.store.quads_for_pattern(None, KGX.supports, stated, None)]
            else:
                supporters = [g] if isinstance(g, NamedNode) else []
            record = support_literal(key)
            insert += [Quad(graph, KGX.supports, record, graph) for graph in supporters]
        self._commit(insert=[q for q in dict.fromkeys(insert) if q not in self.store])

    def _migrate_layout(self) -> None:
        """Move a v0.2 store's entity triples into the entities graph, after a backup beside it.

        The entities' counts are written first (they depend only on the mentions, which stay),
        then each document is rewritten by one update of its own: a crash midway leaves a store
        whose migrated documents are complete and whose others are migrated on the next open.
        A v3 store without the documents' sort keys gets them (no backup: only keys are added).
        """
        if not self._layout_outdated():
            return
        if not self.store.contains_named_graph(MIGRATING) and self.store.contains_named_graph(ENTITIES):
            self._write_sort_keys()
            self.store.flush()
            return
        from .graph import KGX

        if not self.store.contains_named_graph(MIGRATING):      # not a migration a crash interrupted
            self.backup(_free_name(self.path.with_name(self.path.name + ".before-layout-v3")))
            self.store.add(Quad(MIGRATING, KGX.started, Literal("layout v3"), MIGRATING))
        documents = self._unsplit_documents()
        self._write_all_counts()
        from .graph import split_document

        for graph in documents:
            quads = list(self.store.quads_for_pattern(None, None, None, graph))
            stored = split_document(graph, quads)
            before = set(quads)
            kept = set(stored.own)
            self._commit(delete=[q for q in quads if q not in kept],
                         insert=[q for q in stored.own if q not in before] + self._missing_entity_quads(stored.shared))
        self.store.remove_graph(MIGRATING)
        self.store.flush()

    def _write_all_counts(self) -> None:
        """Every entity's mention and document counts, from the documents' graphs."""
        from .graph import ENTITIES_GRAPH, KGX, entity_count_quads

        mentions: dict = {}
        graphs: dict = {}
        for q in self.store.quads_for_pattern(None, KG.denotes, None, None):
            g = q.graph_name
            if not isinstance(g, NamedNode) or not self._splits(g) or not isinstance(q.object, NamedNode):
                continue
            mentions.setdefault(q.object, set()).add(q.subject.value)
            graphs.setdefault(q.object, set()).add(g.value)
        old = [q for p in (KGX.mentionCount, KGX.documentCount)
               for q in self.store.quads_for_pattern(None, p, None, ENTITIES_GRAPH)]
        new = [q for e in mentions for q in entity_count_quads(e, len(mentions[e]), len(graphs[e]))]
        self._commit(counts=(old, new))

    def add_documents(self, documents: list[tuple[NamedNode, list[Quad], str]], *, force: bool = False) -> list[str]:
        """Write many documents (graph, quads, content hash) at bulk-load speed; statuses in order.

        Each document is split as :func:`kg.graph.split_document` says: its own graph, plus the
        entity triples it supports, kept once in the entities graph (docs/graph-layout.md).
        New documents go through Oxigraph's bulk loader, which is twice as fast as a transaction
        but not atomic, so atomicity per document is rebuilt around it: (1) one transaction
        records each new graph as pending with its expected hash; (2) the bulk load writes every
        quad of the documents' graphs except their ``kg:contentHash``; (3) one transaction writes
        those hashes, which mark the documents complete, together with the entity triples and the
        entities' mention counts; (4) the pending records go. A crash anywhere leaves pending
        records, and the next open drops each graph whose hash is not the expected one (nothing
        outside the documents' graphs was written before their completion).
        Documents already in the store are replaced one by one with :meth:`replace_graph`
        (even when their hash is unchanged if ``force``).
        """
        from .graph import split_document

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
                body, hashes, shared = [], [], set()
                said: dict = {}                      # entity -> (its new mentions, their graphs)
                content_hash = KG.contentHash
                for i in new:
                    graph, quads, _ = documents[i]
                    if not self._splits(graph):
                        for q in quads:
                            q = q if q.graph_name == graph else Quad(q.subject, q.predicate, q.object, graph)
                            (hashes if q.predicate == content_hash else body).append(q)
                        continue
                    stored = split_document(graph, quads)     # its content hashes last, its mentions counted
                    body += stored.own[:len(stored.own) - len(stored.hashes)]
                    hashes += stored.hashes
                    for entity, iris in stored.mentions.items():
                        mentions, graphs = said.setdefault(entity, (set(), set()))
                        mentions.update(iris)
                        graphs.add(graph.value)
                    shared.update(stored.shared)
                self.store.bulk_extend(body)
                self._commit(insert=hashes + self._missing_entity_quads(shared), counts=self._incremented(said))
                # only this process writes (the store is locked), so the pending graph is this batch's
                self.store.remove_graph(PENDING)
            for i in present:
                graph, quads, digest = documents[i]
                statuses[i] = self.replace_graph(graph, quads, content_hash=None if force else digest)
        except OSError as exc:
            raise StoreError(f"writing to store {self.path} failed: {exc}") from None
        return statuses

    # -- the layout: entity triples once (docs/graph-layout.md)
    @staticmethod
    def _splits(graph: NamedNode) -> bool:
        """Documents' graphs are split; newskg's own graphs (links, reconciliation …) are kept whole."""
        return not graph.value.startswith(INTERNAL_GRAPHS)

    def _missing_entity_quads(self, triples) -> list[Quad]:
        from .graph import ENTITIES_GRAPH

        quads = (Quad(t.subject, t.predicate, t.object, ENTITIES_GRAPH) for t in triples)
        return [q for q in quads if q not in self.store]

    def _supports(self, graph: NamedNode) -> set[Literal]:
        from .graph import KGX

        return {q.object for q in self.store.quads_for_pattern(graph, KGX.supports, None, graph)}

    def _orphans(self, graph: NamedNode, dropped: set[Literal]) -> list[Quad]:
        """The entity triples that only ``graph`` supports among ``dropped`` (they go with it)."""
        from .graph import ENTITIES_GRAPH, KGX, support_triple

        orphans = []
        for value in dropped:
            if any(q.graph_name != graph for q in self.store.quads_for_pattern(None, KGX.supports, value, None)):
                continue
            t = support_triple(value)
            orphans.append(Quad(t.subject, t.predicate, t.object, ENTITIES_GRAPH))
        return orphans

    def _denoted(self, graph: NamedNode) -> set[NamedNode]:
        return {q.object for q in self.store.quads_for_pattern(None, KG.denotes, None, graph)
                if isinstance(q.object, NamedNode)}

    def _recounted(self, entities, *, without: NamedNode | None = None, plus=None) -> tuple[list[Quad], list[Quad]]:
        """(old, new) ``kgx:mentionCount``/``kgx:documentCount`` quads of ``entities``.

        Counted from the documents' graphs as they are, leaving out ``without`` and adding the
        mentions of ``plus`` (a StoredDocument about to replace it)."""
        from .graph import ENTITIES_GRAPH, KGX, entity_count_quads

        extra: dict = {}
        if plus is not None:
            for q in plus.own:
                if q.predicate == KG.denotes:
                    extra.setdefault(q.object, set()).add(q.subject)
        old, new = [], []
        for entity in entities:
            old += self.store.quads_for_pattern(entity, KGX.mentionCount, None, ENTITIES_GRAPH)
            old += self.store.quads_for_pattern(entity, KGX.documentCount, None, ENTITIES_GRAPH)
            mentions, graphs = self._mentions_of(entity, without)
            if entity in extra and plus is not None:
                mentions |= {m.value for m in extra[entity]}
                graphs.add(plus.graph.value)
            new += entity_count_quads(entity, len(mentions), len(graphs))
        return old, new

    def _mentions_of(self, entity: NamedNode, without: NamedNode | None = None) -> tuple[set[str], set[str]]:
        """The IRIs of the mentions that denote ``entity`` in the documents' graphs (but ``without``), and
        of those graphs."""
        mentions, graphs = set(), set()
        for q in self.store.quads_for_pattern(None, KG.denotes, entity, None):
            g = q.graph_name
            if g == without or not isinstance(g, NamedNode) or g.value.startswith(INTERNAL_GRAPHS):
                continue
            mentions.add(q.subject.value)
            graphs.add(g.value)
        return mentions, graphs

    def _incremented(self, said: dict) -> tuple[list[Quad], list[Quad]]:
        """(old, new) counts of the entities that new documents' mentions denote (``said``: entity ->
        (mention IRIs, graph IRIs)): the stored counts plus the new ones. A new document's mentions
        and graph are new to the store, so this is the recount without reading an entity's other
        mentions (a hub's are thousands at 10^6 quads); an entity without stored counts is recounted."""
        from .graph import ENTITIES_GRAPH, KGX, entity_count_quads

        old, new = [], []
        mention_count, document_count = KGX.mentionCount, KGX.documentCount
        for entity, (mentions, graphs) in said.items():
            stored_mentions = next(self.store.quads_for_pattern(entity, mention_count, None, ENTITIES_GRAPH), None)
            stored_documents = next(self.store.quads_for_pattern(entity, document_count, None, ENTITIES_GRAPH), None)
            if stored_mentions is None or stored_documents is None:
                # recounted, as _recounted does (a new entity has neither count: nothing more to read)
                old += [q for p, first in ((mention_count, stored_mentions), (document_count, stored_documents))
                        if first is not None for q in self.store.quads_for_pattern(entity, p, None, ENTITIES_GRAPH)]
                mentions, graphs = self._mentions_of(entity)
                new += entity_count_quads(entity, len(mentions), len(graphs))
                continue
            old += [stored_mentions, stored_documents]
            new += entity_count_quads(entity, int(stored_mentions.object.value) + len(mentions),
                                      int(stored_documents.object.value) + len(graphs))
        return old, new

    def _commit(self, *, insert=(), delete=(), counts=((), ()), before: str = "") -> None:
        """One SPARQL update, so one transaction: ``before`` (e.g. a MOVE), deletions, insertions."""
        old_counts, new_counts = counts
        unchanged = set(old_counts) & set(new_counts)
        delete = [q for q in delete] + [q for q in old_counts if q not in unchanged]
        insert = [q for q in insert] + [q for q in new_counts if q not in unchanged]
        operations = [before] if before else []
        if delete:
            operations.append(f"DELETE DATA {{ {_data(delete)} }}")
        if insert:
            operations.append(f"INSERT DATA {{ {_data(insert)} }}")
        if operations:
            # Terms are serialised by pyoxigraph (N-Triples syntax), never pasted text.
            self.store.update(" ;\n".join(operations))

    def source_file(self, graph: NamedNode) -> str | None:
        """The file the document in ``graph`` was read from (None for v0.1 stores and library callers)."""
        for quad in self.store.quads_for_pattern(None, KG.sourceFile, None, graph):
            return quad.object.value
        return None

    def content_hash(self, graph: NamedNode) -> str | None:
        for quad in self.store.quads_for_pattern(None, KG.contentHash, None, graph):
            return quad.object.value
        return None

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad], content_hash: str | None = None) -> str:
        """Make ``graph`` hold exactly ``quads``, atomically. Returns added/replaced/unchanged.

        A document's graph is split (:func:`kg.graph.split_document`): its entity triples are kept
        once in the entities graph, each recorded as supported by the document; the triples only
        the old version supported go, and the entities' mention counts follow. A new graph with
        nothing to share is written by one transactional ``extend``; otherwise everything is one
        SPARQL update. An existing graph is first staged in a side graph, then swapped in by a
        ``MOVE`` in that same update, so readers and crashes see either the old document or the
        new one, never a mix.
        """
        try:
            exists = self.store.contains_named_graph(graph)
            if exists and content_hash is not None and self.content_hash(graph) == content_hash:
                return "unchanged"
            if not self._splits(graph):
                return self._replace_whole(graph, quads, exists)
            from .graph import split_document

            stored = split_document(graph, quads)
            old = self._supports(graph) if exists else set()
            orphans = self._orphans(graph, old - stored.supports)
            touched = stored.denoted | (self._denoted(graph) if exists else set())
            counts = self._recounted(touched, without=graph, plus=stored)
            shared = [q for q in self._missing_entity_quads(stored.shared)]
            if not exists and not stored.shared and not counts[0] and not counts[1]:
                # One transaction: a crash midway leaves no quad of the document behind.
                self.store.extend(stored.own)
                return "added"
            if not exists and not any(_blank(q) for q in stored.own):
                self._commit(insert=stored.own + shared, delete=orphans, counts=counts)
                return "added"
            staging = NamedNode(STAGING + graph.value.rsplit("/", 1)[-1])
            self.store.remove_graph(staging) if self.store.contains_named_graph(staging) else None
            self.store.extend(Quad(q.subject, q.predicate, q.object, staging) for q in stored.own)
            self._commit(before=f"MOVE SILENT GRAPH {staging} TO GRAPH {graph}", insert=shared, delete=orphans,
                         counts=counts)
            return "replaced" if exists else "added"
        except OSError as exc:
            raise StoreError(f"writing to store {self.path} failed: {exc}") from None

    def _replace_whole(self, graph: NamedNode, quads: Iterable[Quad], exists: bool) -> str:
        if not exists:
            self.store.extend(Quad(q.subject, q.predicate, q.object, graph) for q in quads)
            return "added"
        staging = NamedNode(STAGING + graph.value.rsplit("/", 1)[-1])
        self.store.remove_graph(staging) if self.store.contains_named_graph(staging) else None
        self.store.extend(Quad(q.subject, q.predicate, q.object, staging) for q in quads)
        # IRIs are serialised by pyoxigraph (str(NamedNode) is N-Triples syntax), not pasted text.
        self.store.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {graph}")
        return "replaced"

    def remove_graph(self, graph: NamedNode) -> bool:
        """Remove a graph; a document's entity triples that no other document supports go with it."""
        if not self.store.contains_named_graph(graph):
            return False
        if not self._splits(graph):
            self.store.remove_graph(graph)
            return True
        orphans = self._orphans(graph, self._supports(graph))
        counts = self._recounted(self._denoted(graph), without=graph)
        self._commit(before=f"DROP SILENT GRAPH {graph}", delete=orphans, counts=counts)
        return True

    def document_quads(self, graph: NamedNode) -> list[Quad]:
        """The document in ``graph`` as :func:`kg.graph.document_quads` made it (plus what ingest adds).

        Its own graph with the entity triples it supports put back, and the store's bookkeeping
        (support records, counts) left out.
        """
        from .graph import assemble_document

        return assemble_document(graph, self.store.quads_for_pattern(None, None, None, graph))

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
            if not self.read_only:
                self.store.flush()
            self.store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"backup to {target} failed: {exc}") from None
        return target

    # -- reading
    def graphs(self) -> list[NamedNode]:
        return sorted((g for g in self.store.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)

    def document_graphs(self) -> list[NamedNode]:
        """The documents' graphs, without newskg's own (links, staging)."""
        return [g for g in self.graphs() if not g.value.startswith(INTERNAL_GRAPHS)]

    def query(self, sparql: str, substitutions=None, **kwargs):
        """SPARQL over the union of all named graphs (syntax errors propagate as SyntaxError)."""
        from .terms import PREFIXES

        return self.store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions,
                                prefixes=PREFIXES, **kwargs)


def _blank(quad: Quad) -> bool:
    return isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)


def _data(quads: Iterable[Quad]) -> str:
    """Quads as the body of INSERT DATA / DELETE DATA, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())


def restore(backup: str | Path, store_path: str | Path) -> tuple[Path, Path | None]:
    """Replace the store at ``store_path`` with a copy of ``backup``; returns (store, old store kept).

    The store's exclusive lock is held from the first check to the last rename, so no other
    process can write (or read) a store that is about to be swapped away. The copy is made
    beside the store (``STORE.restoring``) and swapped in by two renames only when complete, so
    a failed copy leaves the store as it was. The old store is never deleted: it is kept as
    ``STORE.before-restore`` (``STORE.before-restore-2``, ``-3`` … when that name is taken).
    """
    import shutil

    backup, store_path = Path(backup), Path(store_path)
    if store_path.exists() and backup.resolve() == store_path.resolve():
        raise StoreError(f"{backup} is the store itself; restore from a backup made with `kg backup`")
    _check_backup(backup)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    with StoreLock(store_path, shared=False):
        if is_store(store_path):
            # Oxigraph's own lock too: a process that opened the store without newskg's lock.
            _open(store_path).flush()
        incoming = store_path.with_name(store_path.name + ".restoring")
        shutil.rmtree(incoming, ignore_errors=True)      # our own leftover from a failed restore
        try:
            shutil.copytree(backup, incoming)
        except OSError as exc:
            shutil.rmtree(incoming, ignore_errors=True)
            raise StoreError(f"restoring {backup} failed: {str(exc).splitlines()[0]}") from None
        kept = None
        if store_path.exists():
            kept = _free_name(store_path.with_name(store_path.name + ".before-restore"))
            store_path.rename(kept)
        incoming.rename(store_path)
    return store_path, kept


def _check_backup(backup: Path) -> None:
    """Open the backup and read every quad: a truncated or damaged copy is refused before the swap."""
    if not is_store(backup):
        raise StoreError(f"{backup} is not an Oxigraph store backup (no CURRENT file)")
    try:
        for _ in Store.read_only(str(backup)):
            pass
    except (OSError, RuntimeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "corrupt" in message.lower():
            raise StoreError(f"{backup} is a damaged backup ({message[:200]}); nothing was restored") from None
        raise StoreError(f"{backup} is not an Oxigraph store backup ({message[:200]})") from None


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate
