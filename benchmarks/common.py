"""Shared helpers for the benchmarks: corpus, cached extraction, graph replication, timing, output.

Every benchmark compares newskg with a baseline measured in the same run (the machine is shared
and noisy), interleaving the two and taking medians. Results go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

RESULTS = REPO / "benchmarks" / "results"
CACHE = RESULTS / "cache"

from kg.documents import Document, document_from_text, read_document  # noqa: E402
from kg.nlp import model_name  # noqa: E402
from kg.terms import GRAPH, ID  # noqa: E402

SEED = 20240601
FULL_DOCS, QUICK_DOCS = 200, 40


# ---------------------------------------------------------------- command line and output


def arguments(description: str, **extra) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes, runs in about a minute")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved rounds (median is reported)")
    for name, kwargs in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", **kwargs)
    return parser.parse_args()


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("x", "").replace("-", "").isdigit()


def machine() -> dict:
    import subprocess

    def git(*args):
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform(),
            "commit": git("rev-parse", "--short", "HEAD"), "kg_changes": git("status", "--porcelain", "kg")}


def save(name: str, quick: bool, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}{'-quick' if quick else ''}.json"
    path.write_text(json.dumps({"benchmark": name, "quick": quick, "machine": machine(), **data},
                               indent=2, default=str), encoding="utf-8")
    print(f"\nresults: {path.relative_to(REPO)}")
    return path


# ---------------------------------------------------------------- timing


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def interleaved(runs: dict, repeats: int) -> dict[str, list[float]]:
    """Run every ``name: fn`` once per round, alternating the order each round; seconds per run.

    A run that returns a number has timed itself (to leave its set-up out): that number counts.
    """
    times = {name: [] for name in runs}
    names = list(runs)
    for round_ in range(repeats):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            seconds, value = timed(runs[name])
            seconds = value if isinstance(value, float) else seconds
            times[name].append(seconds)
            print(f"  round {round_ + 1}/{repeats}  {name:<32} {seconds:8.3f} s", flush=True)
    return times


def median(values) -> float:
    return statistics.median(values)


# ---------------------------------------------------------------- corpus


def source_documents() -> list[Document]:
    """data/articles/*.txt and tests/golden/*/article.txt (when present), with their metadata."""
    paths = sorted((REPO / "data" / "articles").glob("*.txt"))
    paths += sorted((REPO / "tests" / "golden").glob("*/article.txt"))
    return [read_document(p) for p in paths]


def corpus(n_docs: int, seed: int = SEED) -> list[Document]:
    """The source documents plus synthetic ones recombining their paragraphs, ``n_docs`` in all.

    A synthetic article takes the title, publisher, dateline and date of one source and 4-12 body
    paragraphs drawn from all sources, so its names, quotes and posts are those of real text.
    """
    sources = source_documents()
    rng = random.Random(seed)
    paragraphs = [p for doc in sources for p in doc.text.split("\n\n")[1:] if len(p.split()) >= 8]
    docs = list(sources[:n_docs])
    for index in range(len(docs), n_docs):
        host = rng.choice(sources)
        title = f"{host.title or host.id} (part {index})"
        body = rng.sample(paragraphs, rng.randint(4, 12))
        meta = {"id": f"synthetic-{index:03d}", "title": title, "publisher": host.publisher,
                "dateline": host.dateline, "date": host.date.isoformat() if host.date else None}
        docs.append(document_from_text("\n\n".join([title, *body]), doc_id=meta["id"], meta=meta))
    return docs


def words(docs) -> int:
    return sum(len(doc.text.split()) for doc in docs)


# ---------------------------------------------------------------- extraction, cached


def _code_fingerprint() -> str:
    digest = hashlib.sha256(model_name().encode())
    for path in sorted((REPO / "kg").rglob("*.py")) + sorted((REPO / "data" / "lexicon").glob("*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def extracted(docs: list[Document]) -> dict[str, dict]:
    """``{slug: {"hash": content hash, "nq": N-Quads of its graph}}`` for ``docs``.

    Extraction is slow, so the result is cached under results/cache/, keyed by the documents and
    by the source of kg/ and its lexicon (any code change extracts again).
    """
    from pyoxigraph import RdfFormat, serialize

    from kg.extract import extract_many
    from kg.graph import document_quads
    from kg.terms import slugify

    key = hashlib.sha256("".join(d.content_hash for d in docs).encode()).hexdigest()[:16]
    path = CACHE / f"extracted-{len(docs)}-{key}-{_code_fingerprint()}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    print(f"extracting {len(docs)} documents (cached afterwards in {path.relative_to(REPO)}) ...", flush=True)
    graphs = {}
    for doc, extraction in extract_many(docs):
        quads = list(document_quads(doc, extraction))
        graphs[slugify(doc.id)] = {"hash": doc.content_hash,
                                   "nq": serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8")}
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"extracted-{len(docs)}-{key}-*.json"):   # same documents, older code
        stale.unlink()
    path.write_text(json.dumps(graphs), encoding="utf-8")
    return graphs


def rewrite(slug: str, graph: dict, copy: int) -> tuple[str, str, str]:
    """Copy ``copy`` of one document graph: new graph name, document, mention, evidence and
    statement IRIs and content hash; entity IRIs stay shared, as when many articles name them."""
    if copy == 0:
        return slug, graph["hash"], graph["nq"]
    new = f"{slug}-r{copy}"
    new_hash = hashlib.sha256(f"{graph['hash']}/{copy}".encode()).hexdigest()
    text = graph["nq"].replace(f"<{GRAPH}{slug}>", f"<{GRAPH}{new}>")
    text = text.replace(f"<{ID}document/{slug}>", f"<{ID}document/{new}>")
    for kind in ("mention", "evidence", "statement"):
        text = text.replace(f"<{ID}{kind}/{slug}-", f"<{ID}{kind}/{new}-")
    return new, new_hash, text.replace(f'"{graph["hash"]}"', f'"{new_hash}"')


def replicated(graphs: dict[str, dict], target_quads: int):
    """Yield ``(slug, content hash, N-Quads)`` per document graph, copying the corpus until the
    number of quads reaches ``target_quads``."""
    total, copy = 0, 0
    while True:
        for slug, graph in graphs.items():
            new_slug, new_hash, text = rewrite(slug, graph, copy)
            yield new_slug, new_hash, text
            total += text.count("\n")
            if total >= target_quads:
                return
        copy += 1


def add_replicated(store, graphs: dict[str, dict], target_quads: int, batch_size: int = 48) -> int:
    """Write :func:`replicated` into ``store`` (a ``KGStore``) as ``kg ingest`` writes: ``add_documents``,
    ``batch_size`` documents per call (layout v3, docs/graph-layout.md). Returns the number of documents."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    documents, batch = 0, []
    for slug, digest, text in replicated(graphs, target_quads):
        batch.append((NamedNode(GRAPH + slug), list(parse(text.encode("utf-8"), format=RdfFormat.N_QUADS)), digest))
        documents += 1
        if len(batch) == batch_size:
            store.add_documents(batch)
            batch = []
    if batch:
        store.add_documents(batch)
    return documents


def rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
