"""Ingest documents into a store: read, extract, build the graph, validate, commit.

Each document is one transaction: its named graph is replaced whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Document, find_sources, read_document
from .errors import DocumentError, KGError, ValidationError
from .extract import extract
from .graph import document_quads
from .store import KGStore
from .terms import graph_iri


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


def ingest_document(store: KGStore, doc: Document, *, model: str | None = None,
                    validate: bool = True) -> IngestResult:
    graph = graph_iri(doc.id)
    result = IngestResult(path=doc.path or doc.id, doc_id=doc.id)
    if store.content_hash(graph) == doc.content_hash:
        result.status = "unchanged"
        return result
    try:
        extraction = extract(doc, model=model)
        quads = list(document_quads(doc, extraction))
    except KGError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug met on one document must not stop the batch
        detail = " ".join(str(exc).split())[:200]
        raise DocumentError(f"{result.path}: extraction failed ({type(exc).__name__}: {detail}); "
                            f"nothing of it was stored — please report this file") from exc
    if validate:
        from .validate import check_quads

        check_quads(quads, where=result.path)
    result.status = store.replace_graph(graph, quads, content_hash=doc.content_hash)
    result.quads = len(quads)
    result.entities = len(extraction.entities)
    result.statements = len(extraction.statements)
    result.facts = len(extraction.facts)
    return result


def ingest_paths(store: KGStore, paths: Iterable[str | Path], *, overrides: dict | None = None,
                 model: str | None = None, validate: bool = True) -> IngestReport:
    """Ingest every source under ``paths``; a bad file is reported and the others still go in."""
    report = IngestReport()
    sources = find_sources(paths)
    if not sources:
        raise DocumentError(f"no source files (.txt, .md, .html) under {', '.join(map(str, paths))}")
    for path in sources:
        try:
            doc = read_document(path, overrides)
            report.warnings.extend(doc.warnings)
            report.results.append(ingest_document(store, doc, model=model, validate=validate))
        except (DocumentError, ValidationError) as exc:
            # These concern one document only: the batch goes on without it. Anything else
            # (the store, the model) would fail every document alike and stops the batch.
            report.results.append(IngestResult(path=str(path), status="failed", message=str(exc),
                                               report=getattr(exc, "report", "")))
    return report
