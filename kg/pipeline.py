"""Ingest documents into a store: read, extract, build the graph, validate, commit.

Each document is one transaction: its named graph is replaced whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from .documents import Document, find_sources, read_document
from .errors import DocumentError, KGError, ValidationError
from .extract import extract, extract_parsed, parse_many
from .graph import document_quads, source_file_quad
from .store import KGStore
from .terms import graph_iri

# Below this many files, `--jobs N` extracts in-process: each worker takes 2-4 s to start and load
# spaCy, which a few short articles do not win back.
PARALLEL_MIN = 24
CHUNK = 4                 # documents per task sent to a worker (parsed together by nlp.pipe)


@dataclass
class IngestResult:
    path: str
    doc_id: str | None = None
    status: str = ""            # added, replaced, unchanged, failed
    quads: int = 0
    entities: int = 0
    statements: int = 0
    facts: int = 0
    message: str = ""
    report: str = ""            # the SHACL report of a document refused for not conforming
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed


def extract_quads(doc: Document, model: str | None = None) -> list:
    """The quads of one document (no store involved)."""
    return list(document_quads(doc, extract(doc, model=model)))


def _extract_checked(doc: Document, where: str, model: str | None, parsed=None):
    """Extraction and its quads; a bug met on one document becomes that document's error."""
    try:
        extraction = extract(doc, model=model) if parsed is None else extract_parsed(doc, parsed)
        return extraction, list(document_quads(doc, extraction))
    except KGError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug met on one document must not stop the batch
        detail = " ".join(str(exc).split())[:200]
        raise DocumentError(f"{where}: extraction failed ({type(exc).__name__}: {detail}); "
                            f"nothing of it was stored — please report this file") from exc


def _counted(result: IngestResult, extraction, quads) -> IngestResult:
    result.quads = len(quads)
    result.entities = len(extraction.entities)
    result.statements = len(extraction.statements)
    result.facts = len(extraction.facts)
    return result


def ingest_paths(store: KGStore, paths: Iterable[str | Path], *, overrides: dict | None = None,
                 model: str | None = None, validate: bool = True, batch_size: int = 48, force: bool = False,
                 on_result: Callable[[IngestResult], object] | None = None, jobs: int = 1,
                 min_parallel: int = PARALLEL_MIN) -> IngestReport:
    """Ingest every source under ``paths``; a bad file is reported and the others still go in.

    Documents are parsed by spaCy in batches (``nlp.pipe``) and written with
    :meth:`KGStore.add_documents`, each document atomically; memory stays bounded by the batch.
    ``on_result`` is called with each file's result as soon as it is final: a document is
    reported once it is committed, so after a crash the lines printed say what is stored.

    A document id belongs to one file. A second file with the same id (``news/2023/report.txt``
    and ``news/2024/report.txt``) is refused, naming the first, never stored over it; ``force``
    replaces the stored document anyway, and re-extracts documents that are unchanged.

    ``jobs`` > 1 extracts in that many worker processes (each loads spaCy once) while this
    process reads the files, keeps the bookkeeping above and writes the finished documents in
    order: the same quads, the same statuses, the same ``on_result`` calls. Fewer than
    ``min_parallel`` files are extracted here (starting workers would cost more than it saves).
    """
    report = IngestReport()
    sources = find_sources(paths)
    if not sources:
        raise DocumentError(f"no source files (.txt, .md, .html) under {', '.join(map(str, paths))}")
    done = on_result or (lambda result: None)
    if jobs > 1 and len(sources) >= min_parallel:
        _ingest_parallel(store, sources, report, overrides=overrides, model=model, validate=validate,
                         batch_size=batch_size, force=force, done=done, jobs=jobs)
        return report
    batch: list[tuple[IngestResult, Document, str]] = []
    for item in _admitted(store, sources, report, overrides, force, done):
        batch.append(item)
        if len(batch) >= batch_size:
            _ingest_batch(store, batch, model, validate, done, force)
            batch = []
    if batch:
        _ingest_batch(store, batch, model, validate, done, force)
    return report


def _admitted(store: KGStore, sources: list[Path], report: IngestReport, overrides, force: bool, done):
    """Read each file; yield ``(result, document, source)`` for those to extract, in order.

    Files that cannot be read, whose id is another file's, or that are unchanged are final here
    (reported through ``done``).
    """
    owners: dict[str, Path] = {}          # document id -> the file that has it, in this run
    for path in sources:
        result = IngestResult(path=str(path))
        report.results.append(result)
        try:
            doc = read_document(path, overrides)
            source = _claim(store, doc, path, owners, force)
        except DocumentError as exc:
            _failed(result, exc)
            done(result)
            continue
        report.warnings.extend(doc.warnings)
        result.warnings = list(doc.warnings)
        result.doc_id = doc.id
        if not force and store.content_hash(graph_iri(doc.id)) == doc.content_hash:
            result.status = "unchanged"
            done(result)
            continue
        yield result, doc, source


def _worker_start(model: str | None) -> None:
    """Load spaCy and the lexicon once per worker process, before its first task."""
    try:
        from .extract import _pipeline
        from .extract.lexicon import lexicon

        _pipeline(model)
        lexicon()
    except KGError:
        pass        # a missing model is reported by the first task, as one error


def _worker_extract(pairs, model, validate):
    from .batch import extract_pairs

    return list(extract_pairs(pairs, model=model, validate=validate))


def _ingest_parallel(store: KGStore, sources: list[Path], report: IngestReport, *, overrides, model, validate,
                     batch_size: int, force: bool, done, jobs: int) -> None:
    """Extraction in ``jobs`` worker processes; reading, bookkeeping and writing here, in order."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: this process holds an open RocksDB store and its threads.
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(model,))
    in_flight: deque = deque()      # (future, [(result, doc, source)]) in submission order
    ready: list = []

    def collect_oldest() -> None:
        future, items = in_flight.popleft()
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            raise KGError("an extraction worker process died (out of memory?); documents reported above "
                          "as added are stored, run the same command again for the rest") from None
        for (result, doc, _), extracted in zip(items, outcomes, strict=True):
            if extracted.failed:
                result.status, result.message, result.report = "failed", extracted.message, extracted.report
                done(result)
                continue
            quads = list(parse(extracted.nquads.encode("utf-8"), format=RdfFormat.N_QUADS))
            result.quads, result.entities = extracted.quads, extracted.entities
            result.statements, result.facts = extracted.statements, extracted.facts
            ready.append((result, graph_iri(doc.id), quads, doc.content_hash))
        if len(ready) >= batch_size:
            _commit(store, ready, force, done)

    try:
        chunk: list = []
        for item in _admitted(store, sources, report, overrides, force, done):
            chunk.append(item)
            if len(chunk) >= CHUNK:
                in_flight.append((pool.submit(_worker_extract, [(d, s) for _, d, s in chunk], model, validate), chunk))
                chunk = []
            while len(in_flight) > 2 * jobs:       # bounded: memory stays flat in the number of files
                collect_oldest()
        if chunk:
            in_flight.append((pool.submit(_worker_extract, [(d, s) for _, d, s in chunk], model, validate), chunk))
        while in_flight:
            collect_oldest()
        _commit(store, ready, force, done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _commit(store: KGStore, ready: list, force: bool, done) -> None:
    """Write the extracted documents in ``ready`` (emptied), then report each one."""
    if not ready:
        return
    statuses = store.add_documents([(graph, quads, digest) for _, graph, quads, digest in ready], force=force)
    for (result, *_), status in zip(ready, statuses, strict=True):
        result.status = status
        done(result)
    ready.clear()


def _claim(store: KGStore, doc: Document, path: Path, owners: dict[str, Path], force: bool) -> str:
    """The file's absolute path, once sure that its document id is not another file's."""
    source = path.resolve()
    _claim_id(store, doc.id, doc.content_hash, path, source, owners, force)
    return str(source)


def _claim_id(store: KGStore, doc_id: str, digest: str, path: Path, source: Path, owners: dict[str, Path],
              force: bool) -> None:
    """Refuse a document id already given to another file, in this run or in the store."""
    first = owners.setdefault(doc_id, path)
    if first.resolve() != source:
        raise DocumentError(f"{path}: document id '{doc_id}' is already the id of {first} in this run; "
                            f"give one of them its own id (\"id\" in its .meta.json, or --id)")
    stored = store.source_file(graph_iri(doc_id))
    if stored is not None and stored != str(source) and not force \
            and store.content_hash(graph_iri(doc_id)) != digest:
        raise DocumentError(f"{path}: document id '{doc_id}' is taken by {stored}, already in the store; "
                            f"give this file its own id (\"id\" in its .meta.json, or --id), "
                            f"or --force to replace that document with this one")


def _failed(result: IngestResult, exc: KGError) -> None:
    # Errors of one document only: the batch goes on without it. Anything else (the store,
    # the model) would fail every document alike, and stops the batch.
    result.status, result.message, result.report = "failed", str(exc), getattr(exc, "report", "")


def _ingest_batch(store: KGStore, batch, model, validate, done, force) -> None:
    ready = []
    for (result, doc, source), parsed in zip(batch, parse_many([doc for _, doc, _ in batch], model=model),
                                             strict=True):
        try:
            extraction, quads = _extract_checked(doc, result.path, model, parsed)
            if validate:
                from .validate import check_quads

                check_quads(quads, where=result.path)
        except (DocumentError, ValidationError) as exc:
            _failed(result, exc)
            done(result)
            continue
        _counted(result, extraction, quads)
        quads.append(source_file_quad(doc, source))
        ready.append((result, graph_iri(doc.id), quads, doc.content_hash))
    statuses = store.add_documents([(graph, quads, digest) for _, graph, quads, digest in ready], force=force)
    for (result, *_), status in zip(ready, statuses, strict=True):
        result.status = status
        done(result)


@dataclass
class BuildReport:
    """What ``kg build`` did: the ingest, the Wikidata links, the store's counts and its validity."""

    ingest: IngestReport
    links: object          # kg.link.LinkReport
    stats: object          # kg.export.StoreStats
    conforms: bool | None  # None when validation was skipped
    violations: int = 0


def build(store: KGStore, articles: str | Path, *, model: str | None = None, validate: bool = True,
          force: bool = False, on_result: Callable[[IngestResult], object] | None = None,
          jobs: int = 1) -> BuildReport:
    """Ingest a folder of articles, link entities to Wikidata offline, count and validate."""
    from .export import store_stats
    from .link import cache_path_for, link_store

    ingest = ingest_paths(store, [articles], model=model, validate=validate, force=force, on_result=on_result,
                          jobs=jobs)
    links = link_store(store.store, online=False, cache_path=cache_path_for(store.path))
    conforms, violations = None, 0
    if validate:
        # only what changed since its last check (and the links graph): a rebuild of an
        # unchanged store checks nothing again; `kg validate --all` checks everything
        from .validate import validate_changed

        conforms, violations, _, _ = validate_changed(store)
    return BuildReport(ingest, links, store_stats(store), conforms, violations)


def load_shards(store: KGStore, directory: str | Path, *, force: bool = False, batch_size: int = 48,
                on_result: Callable[[IngestResult], object] | None = None) -> IngestReport:
    """Load the shards written by ``kg extract-batch`` with ingest's bookkeeping.

    Each shard's quads are grouped by document graph and written with
    :meth:`KGStore.add_documents` and the document's ``kg:contentHash`` (pending marks, so a
    crash leaves no half document; a document already stored is replaced atomically, an
    unchanged one skipped). Ids are claimed as in :func:`ingest_paths`: a document id taken by
    another file, in these shards or in the store, is refused unless ``force``. Documents that
    failed on the workers are reported as failed. Loading twice changes nothing.
    """
    import json

    from .batch import complete_shards

    directory = Path(directory)
    names = complete_shards(directory)
    if not names:
        raise DocumentError(f"{directory}: no complete shards (part-*.nq with its .json); "
                            f"write them with `kg extract-batch PATHS… --out {directory}`")
    done = on_result or (lambda result: None)
    report = IngestReport()
    owners: dict[str, Path] = {}
    for name in names:
        try:
            manifest = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
            graphs = _graphs_of(directory / f"{name}.nq")
        except (OSError, ValueError, SyntaxError) as exc:
            raise DocumentError(f"{directory / name}: unreadable shard ({' '.join(str(exc).split())[:200]}); "
                                f"delete its .json and run `kg extract-batch` again to rewrite it") from None
        ready: list = []
        for entry in manifest["documents"]:
            item = _admit_entry(store, entry, graphs, owners, force, report, done)
            if item is not None:
                ready.append(item)
            if len(ready) >= batch_size:
                _commit(store, ready, force, done)
        _commit(store, ready, force, done)
    return report


def _graphs_of(path: Path) -> dict[str, list]:
    """The quads of an N-Quads shard, grouped by graph IRI (in file order)."""
    graphs: dict[str, list] = {}
    with open(path, "rb") as handle:
        for quad in parse(handle, format=RdfFormat.N_QUADS):
            graphs.setdefault(quad.graph_name.value, []).append(quad)
    return graphs


def _admit_entry(store: KGStore, entry: dict, graphs: dict, owners: dict, force: bool, report: IngestReport, done):
    """One manifest entry: final here (failed, refused, unchanged), or ``(result, graph, quads, hash)``."""
    from pyoxigraph import NamedNode

    result = IngestResult(path=entry["path"], doc_id=entry.get("doc_id"), warnings=list(entry.get("warnings", [])))
    report.results.append(result)
    report.warnings.extend(result.warnings)
    if entry.get("message"):
        result.status, result.message, result.report = "failed", entry["message"], entry.get("report", "")
        done(result)
        return None
    quads = graphs.get(entry["graph"])
    try:
        if not quads:
            raise DocumentError(f"{entry['path']}: its shard holds no quads for {entry['graph']}; "
                                f"delete the shard's .json and run `kg extract-batch` again")
        source = Path(entry["source"])
        _claim_id(store, entry["doc_id"], entry["content_hash"], Path(entry["path"]), source, owners, force)
    except DocumentError as exc:
        _failed(result, exc)
        done(result)
        return None
    graph = NamedNode(entry["graph"])
    if not force and store.content_hash(graph) == entry["content_hash"]:
        result.status = "unchanged"
        done(result)
        return None
    result.quads, result.entities = entry["quads"], entry["entities"]
    result.statements, result.facts = entry["statements"], entry["facts"]
    return result, graph, quads, entry["content_hash"]
