"""Peak memory (RSS) of ingesting N documents in one process, for N = 10, 50, 200 (quick: 5, 10, 20).

Each measurement is a fresh child process that builds the first N documents of the corpus,
loads the model and ingests them into a new on-disk store, then reports its own peak RSS
(``VmHWM`` of ``/proc/self/status``) and its RSS after set-up (model loaded, documents
built, nothing ingested). Modes:

* ``stream``: ``extract_many`` -> ``document_quads`` -> ``KGStore.replace_graph`` per document
  (the batched library path);
* ``ingest``: ``kg.pipeline.ingest_paths`` over the documents written out as ``.txt`` files
  with ``.meta.json`` sidecars, as ``kg ingest`` runs it (batches of its ``batch_size``:
  ``nlp.pipe``, SHACL check per document, ``KGStore.add_documents``);
* ``extract``: ``extract_many`` -> ``document_quads`` only, no store (the Python side alone);
* ``store``: ``replace_graph`` only, of already extracted graphs copied under new document ids
  (the store side alone), also for 1,000 and 2,000 documents (``--quick``: 200);
* ``store+flush``: the same, calling ``Store.flush()`` every 100 documents (not something
  newskg does: it shows whether the growth of ``store`` is RocksDB's unflushed memtables);
* ``store-bulk``: the same graphs through ``KGStore.add_documents``, as many per call as
  ``ingest_paths`` batches (the writes of ``ingest``: bulk loader for new graphs).

Memory is flat in N when peak RSS minus set-up RSS does not grow with N. Children run two at a
time (memory is per process; this benchmark reports no timings).

    python benchmarks/bench_memory.py [--quick]
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import common  # noqa: F401
from common import FULL_DOCS, QUICK_DOCS, RESULTS, arguments, corpus, extracted, save, table

MODES = ("stream", "ingest", "extract", "store", "store+flush", "store-bulk")


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def current_rss_mb() -> float:
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    """This process's high-water RSS (VmHWM: unlike ru_maxrss it starts afresh at exec, so a big
    parent does not leak its own peak into the child's figure)."""
    return _status_mb("VmHWM")


def child(n: int, mode: str, corpus_docs: int) -> None:
    from common import corpus

    from kg.extract import _pipeline, extract_many
    from kg.graph import document_quads
    from kg.store import KGStore
    from kg.terms import graph_iri

    if mode.startswith("store"):
        return store_child(n, corpus_docs, mode)
    docs = corpus(n)
    _pipeline(None)
    if mode == "ingest":
        from kg.validate import ontology_graph, shapes_graph

        shapes_graph(), ontology_graph()
    setup_peak = peak_rss_mb()
    setup_rss = current_rss_mb()
    trace = []
    with tempfile.TemporaryDirectory(dir=RESULTS) as path, KGStore(path) as store:
        if mode == "extract":
            for doc, extraction in extract_many(docs):
                list(document_quads(doc, extraction))
                trace.append(current_rss_mb())
        elif mode == "stream":
            for doc, extraction in extract_many(docs):
                store.replace_graph(graph_iri(doc.id), list(document_quads(doc, extraction)),
                                    content_hash=doc.content_hash)
                trace.append(current_rss_mb())
        else:
            from kg.pipeline import ingest_paths

            with tempfile.TemporaryDirectory(dir=RESULTS) as sources:
                outcome = ingest_paths(store, [write_sources(docs, sources)], validate=True)
            assert outcome.ok, [r.message for r in outcome.failed]
            trace = [None, current_rss_mb()]     # one call: no per-document trace
        quads = len(store)
    report(n, mode, quads, setup_rss, setup_peak, trace)


def write_sources(docs, path) -> Path:
    """The documents as source files with sidecars, for ``ingest_paths``."""
    folder = Path(path)
    for index, doc in enumerate(docs):
        meta = {"id": doc.id, "title": doc.title, "author": doc.author, "publisher": doc.publisher,
                "dateline": doc.dateline, "date": doc.date.isoformat() if doc.date else None}
        (folder / f"{index:04d}.txt").write_text(doc.text, encoding="utf-8")
        (folder / f"{index:04d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def store_child(n: int, corpus_docs: int, mode: str) -> None:
    from common import corpus, extracted, replicated
    from pyoxigraph import NamedNode, RdfFormat, parse

    from kg.pipeline import ingest_paths
    from kg.store import KGStore
    from kg.terms import GRAPH

    graphs = extracted(corpus(corpus_docs))         # cached by the parent
    setup_peak = peak_rss_mb()
    setup_rss = current_rss_mb()
    trace = []
    batch_size = inspect.signature(ingest_paths).parameters["batch_size"].default
    with tempfile.TemporaryDirectory(dir=RESULTS) as path, KGStore(path) as store:
        batch = []
        for index, (slug, content_hash, text) in enumerate(replicated(graphs, 10**12)):
            if index == n:
                break
            graph, quads = NamedNode(GRAPH + slug), list(parse(text, format=RdfFormat.N_QUADS))
            if mode == "store-bulk":
                batch.append((graph, quads, content_hash))
                if len(batch) == batch_size:
                    store.add_documents(batch)
                    batch = []
            else:
                store.replace_graph(graph, quads, content_hash=content_hash)
            if mode == "store+flush" and index % 100 == 99:
                store.store.flush()
            trace.append(current_rss_mb())
        if batch:
            store.add_documents(batch)
        quads = len(store)
    report(n, mode, quads, setup_rss, setup_peak, trace)


def report(n, mode, quads, setup_rss, setup_peak, trace) -> None:
    peak = peak_rss_mb()
    print(json.dumps({"n": n, "mode": mode, "quads": quads, "setup_rss_mb": setup_rss, "setup_peak_mb": setup_peak,
                      "peak_rss_mb": peak, "rss_after_first_mb": trace[0], "rss_end_mb": trace[-1],
                      "rss_trace_mb": trace[:: max(1, len(trace) // 20)]}))


def run_child(n: int, mode: str, corpus_docs: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(n), mode, str(corpus_docs)],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"child {n} {mode} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    sizes = [5, 10, 20] if args.quick else [10, 50, 200]
    more = [200] if args.quick else [1000, 2000]
    jobs = [(n, mode) for mode in MODES for n in sizes + (more if mode.startswith("store") else [])]
    RESULTS.mkdir(parents=True, exist_ok=True)
    corpus_docs = QUICK_DOCS if args.quick else FULL_DOCS
    extracted(corpus(corpus_docs))                  # extract once, before the children read the cache
    print(f"{len(jobs)} child processes, two at a time ...", flush=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: run_child(*job, corpus_docs), jobs))
    rows = [[r["mode"], r["n"], r["quads"], r["setup_rss_mb"], r["peak_rss_mb"], r["peak_rss_mb"] - r["setup_peak_mb"],
             r["rss_after_first_mb"], r["rss_end_mb"]] for r in results]
    print()
    print(table(["mode", "N docs", "quads", "RSS after set-up MB", "peak RSS MB", "peak - set-up MB",
                 "RSS after doc 1 MB", "RSS at end MB"], rows))
    verdict = {}
    for mode in MODES:
        mine = [r for r in results if r["mode"] == mode]
        growth = mine[-1]["peak_rss_mb"] - mine[0]["peak_rss_mb"]
        per_doc = growth / (mine[-1]["n"] - mine[0]["n"])
        verdict[mode] = {"peak_growth_mb": growth, "mb_per_extra_doc": per_doc}
        print(f"{mode}: peak RSS grows {growth:+.0f} MB from N={mine[0]['n']} to N={mine[-1]['n']} "
              f"({per_doc:+.2f} MB per extra document)")
    save("memory", args.quick, {"sizes": sizes, "children": results, "verdict": verdict})


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        main()
