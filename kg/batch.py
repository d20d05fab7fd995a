"""Documents in, N-Quads out: the per-document work of ingest, with no store and no engine.

Everything a worker needs to turn source files into a document graph lives here, so that any
engine can call it: ``kg ingest --jobs N`` calls it in a process pool, ``kg extract-batch`` in
Dask workers (:mod:`kg.cluster`), and Spark's ``mapPartitions`` or Ray could call it the same
way (docs/scaling.md). The store-side bookkeeping (which id belongs to which file, unchanged
documents, completion marks) stays with the one writer: :func:`kg.pipeline.load_shards` and
:func:`kg.pipeline.ingest_paths`.

A shard is the output of one partition: ``NAME.nq`` (the partition's document graphs, one
N-Quads file, each graph holding its ``kg:contentHash`` and ``kg:sourceFile``) and
``NAME.json`` (one entry per source file: its id, counts, or why it failed; and each file's size
and modification time). Both are written under temporary names and renamed, the ``.json``
last: a shard whose ``.json`` exists is complete, anything else is a leftover of a worker that
died and is done again, and so is a complete shard one of whose files changed since.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .documents import Document, read_document
from .errors import DocumentError, KGError, ValidationError

SHARD_PREFIX = "part-"


@dataclass
class Extracted:
    """One source file's outcome: its document graph as N-Quads, or why it failed."""

    path: str
    doc_id: str | None = None
    graph: str | None = None          # the document graph's IRI
    content_hash: str | None = None
    source: str | None = None         # the file's absolute path (kg:sourceFile)
    nquads: str = ""
    quads: int = 0
    entities: int = 0
    statements: int = 0
    facts: int = 0
    message: str = ""                 # set when the file failed
    report: str = ""                  # the SHACL report of a graph refused for not conforming
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.message)


def extract_documents(documents: Iterable[Document], *, model: str | None = None, validate: bool = True,
                      batch_size: int = 8) -> Iterator[Extracted]:
    """Extract each document (spaCy in batches), build, validate and serialise its graph; in order.

    A document's ``path`` (when set) becomes its ``kg:sourceFile``, made absolute. A document
    that fails (a rule bug, a non-conforming graph) yields an ``Extracted`` with its message;
    the others go on. Errors that would fail every document (a missing model) propagate.
    """
    pairs = [(doc, str(Path(doc.path).resolve()) if doc.path else None) for doc in documents]
    yield from extract_pairs(pairs, model=model, validate=validate, batch_size=batch_size)


def extract_pairs(pairs: list[tuple[Document, str | None]], *, model: str | None = None, validate: bool = True,
                  batch_size: int = 8) -> Iterator[Extracted]:
    """:func:`extract_documents` with each document's source file given (None: no kg:sourceFile)."""
    from pyoxigraph import RdfFormat, serialize

    from .extract import parse_many
    from .graph import source_file_quad
    from .pipeline import _extract_checked
    from .terms import graph_iri

    documents = [doc for doc, _ in pairs]
    for (doc, source), parsed in zip(pairs, parse_many(documents, model=model, batch_size=batch_size), strict=True):
        where = doc.path or doc.id
        out = Extracted(path=where, doc_id=doc.id, graph=graph_iri(doc.id).value, content_hash=doc.content_hash,
                        source=source, warnings=list(doc.warnings))
        try:
            extraction, quads = _extract_checked(doc, where, model, parsed)
            if validate:
                from .validate import check_quads

                check_quads(quads, where=where)
        except (DocumentError, ValidationError) as exc:
            out.message, out.report = str(exc), getattr(exc, "report", "")
            yield out
            continue
        out.quads, out.entities = len(quads), len(extraction.entities)
        out.statements, out.facts = len(extraction.statements), len(extraction.facts)
        if source is not None:
            quads.append(source_file_quad(doc, source))
        out.nquads = serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8")
        yield out


def read_and_extract(paths: Iterable[str | Path], *, overrides: dict | None = None, model: str | None = None,
                     validate: bool = True) -> list[Extracted]:
    """Read source files where this runs (a worker), then :func:`extract_documents`; in order."""
    out: list[Extracted | None] = []
    pairs, slots = [], []
    for path in paths:
        try:
            doc = read_document(path, overrides)
        except DocumentError as exc:
            out.append(Extracted(path=str(path), message=str(exc)))
            continue
        slots.append(len(out))
        out.append(None)
        pairs.append((doc, str(Path(path).resolve())))
    for slot, extracted in zip(slots, extract_pairs(pairs, model=model, validate=validate), strict=True):
        out[slot] = extracted
    return out


# ---------------------------------------------------------------- shards


def partitions(paths: list[Path], size: int) -> list[tuple[str, list[str]]]:
    """Split sorted source files into partitions named by position and content of the list.

    The name (``part-00003-1a2b3c4d``) depends only on the files in the partition, so a re-run
    over the same inputs finds the shards it already wrote, and a changed input list never
    mistakes another run's shard for its own.
    """
    out = []
    for index, start in enumerate(range(0, len(paths), size)):
        chunk = [str(Path(p).resolve()) for p in paths[start:start + size]]
        digest = hashlib.sha256("\n".join(chunk).encode("utf-8")).hexdigest()[:10]
        out.append((f"{SHARD_PREFIX}{index:05d}-{digest}", chunk))
    return out


def shard_done(out_dir: str | Path, name: str, paths: list[str] | None = None) -> bool:
    """Is the shard ``name`` complete (its .nq and its .json)? With ``paths``: and were its
    files unchanged since (same size and modification time as its manifest records)?"""
    manifest = Path(out_dir) / f"{name}.json"
    if not (manifest.is_file() and (Path(out_dir) / f"{name}.nq").is_file()):
        return False
    if paths is None:
        return True
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError):
        return False
    return all(recorded.get(path) == _stat(path) for path in paths)


def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _write_atomically(path: Path, data: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def write_shard(out_dir: str | Path, name: str, results: list[Extracted], files: dict | None = None) -> dict:
    """Write the shard ``name`` (its .nq, then its .json manifest); returns the manifest.

    ``files`` (path -> [size, mtime_ns] when read) lets a re-run see which inputs changed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(out_dir / f"{name}.nq", "".join(r.nquads for r in results))
    manifest = {"shard": name, "files": files or {},
                "documents": [{k: v for k, v in asdict(r).items() if k != "nquads"} for r in results]}
    _write_atomically(out_dir / f"{name}.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def extract_shard(name: str, paths: list[str], out_dir: str, *, overrides: dict | None = None,
                  model: str | None = None, validate: bool = True) -> dict:
    """One partition, start to end: skipped when its shard is complete, else read, extract, write.

    Returns a summary ``{"shard", "skipped", "documents", "failed"}`` (small: it travels back
    to the engine's driver).
    """
    if shard_done(out_dir, name, paths):
        manifest = json.loads((Path(out_dir) / f"{name}.json").read_text(encoding="utf-8"))
        return _summary(manifest, skipped=True)
    files = {path: _stat(path) for path in paths}       # before reading: a file changed meanwhile is redone
    results = read_and_extract(paths, overrides=overrides, model=model, validate=validate)
    return _summary(write_shard(out_dir, name, results, files), skipped=False)


def _summary(manifest: dict, *, skipped: bool) -> dict:
    documents = manifest["documents"]
    return {"shard": manifest["shard"], "skipped": skipped, "documents": len(documents),
            "failed": [{"path": d["path"], "message": d["message"]} for d in documents if d["message"]]}


def complete_shards(out_dir: str | Path) -> list[str]:
    """The names of the complete shards in ``out_dir``, sorted (temporary leftovers ignored)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise KGError(f"{out_dir}: no such folder of shards (write one with `kg extract-batch … --out {out_dir}`)")
    return sorted(p.stem for p in out_dir.glob(f"{SHARD_PREFIX}*.json") if shard_done(out_dir, p.stem))
