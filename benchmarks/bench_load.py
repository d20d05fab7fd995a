"""Loading throughput (quads/s): newskg ``KGStore.replace_graph`` per document vs pyoxigraph ``bulk_load``.

Quads: the corpus is extracted once (cached), then its document graphs are copied under new
document ids until there are ~200k quads (``--quick``: 20k). Baseline: the same quads, serialised
once to N-Quads, ``Store.bulk_load``-ed into a fresh on-disk store. newskg: a fresh on-disk
``KGStore``, one ``replace_graph`` (one transaction) per document. Target: ratio >= 0.8.

Also measured: ``KGStore.add_documents`` with as many documents per call as ``ingest_paths``
(``kg ingest``/``kg build``) does since it batches (bulk loader plus per-document completion marks).
The other rows locate the cost: plain ``Store.extend`` per document (no KGStore), one ``extend``
of everything (one transaction), ``bulk_extend`` of the same Python quads (bulk path, Python
terms; all at once, and 50 documents per call), and ``replace_graph`` over graphs that already exist (staging graph + ``MOVE``).
Every run opens, fills and flushes/closes its store; set-up is not timed.

    python benchmarks/bench_load.py [--quick]
"""

from __future__ import annotations

import inspect
import shutil
import time

import common  # noqa: F401
from common import (
    FULL_DOCS,
    QUICK_DOCS,
    RESULTS,
    arguments,
    corpus,
    extracted,
    interleaved,
    median,
    replicated,
    save,
    table,
)

from kg.pipeline import ingest_paths  # noqa: E402  (after common, which puts the repository on sys.path)

TARGET = 0.8
# documents per add_documents call: what ingest_paths uses
BATCH = inspect.signature(ingest_paths).parameters["batch_size"].default


def dir_mb(path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def replace_phases(existing_store, documents) -> dict[str, float]:
    """The steps of ``KGStore.replace_graph`` for an existing graph, timed one by one (same calls)."""
    from kg.store import STAGING
    from kg.terms import KG

    path, store = existing_store("phases")
    spent = dict.fromkeys(["contains_named_graph + content_hash", "check/remove staging graph",
                           "extend into staging graph", "SPARQL MOVE staging -> graph"], 0.0)
    steps = list(spent)
    Quad, NamedNode = type(documents[0][2][0]), type(documents[0][0])
    for graph, _, quads in documents:
        t0 = time.perf_counter()
        store.contains_named_graph(graph)
        next(iter(store.quads_for_pattern(None, KG.contentHash, None, graph)), None)
        t1 = time.perf_counter()
        staging = NamedNode(STAGING + graph.value.rsplit("/", 1)[-1])
        store.remove_graph(staging) if store.contains_named_graph(staging) else None
        t2 = time.perf_counter()
        store.extend(Quad(q.subject, q.predicate, q.object, staging) for q in quads)
        t3 = time.perf_counter()
        store.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {graph}")
        t4 = time.perf_counter()
        for step, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            spent[step] += seconds
    return spent


def add_phases(fresh, documents, size) -> dict[str, float]:
    """The steps of ``KGStore.add_documents`` for new graphs, ``size`` per call, timed one by one (same calls)."""
    from pyoxigraph import Literal, Quad, Store

    from kg.store import PENDING
    from kg.terms import KG

    store = Store(str(fresh("add_phases")))
    spent = dict.fromkeys(["contains_named_graph per document", "extend pending markers",
                           "split quads in Python (graph, contentHash)", "bulk_extend body",
                           "extend contentHash quads", "remove pending graph", "flush"], 0.0)
    steps = list(spent)
    for first in range(0, len(documents), size):
        batch = documents[first:first + size]
        t = [time.perf_counter()]
        for graph, _, _ in batch:
            store.contains_named_graph(graph)
        t.append(time.perf_counter())
        store.extend([Quad(graph, KG.contentHash, Literal(digest), PENDING) for graph, digest, _ in batch])
        t.append(time.perf_counter())
        body, hashes, content_hash = [], [], KG.contentHash
        for graph, _, quads in batch:
            for q in quads:
                if q.graph_name != graph:
                    q = Quad(q.subject, q.predicate, q.object, graph)
                (hashes if q.predicate == content_hash else body).append(q)
        t.append(time.perf_counter())
        store.bulk_extend(body)
        t.append(time.perf_counter())
        store.extend(hashes)
        t.append(time.perf_counter())
        store.remove_graph(PENDING)
        t.append(time.perf_counter())
        for step, (a, b) in zip(steps, zip(t, t[1:], strict=False), strict=False):
            spent[step] += b - a
    start = time.perf_counter()
    store.flush()
    spent["flush"] = time.perf_counter() - start
    return spent


def main() -> None:
    args = arguments(__doc__.splitlines()[0], quads=dict(type=int, default=None, help="target number of quads"))
    target = args.quads or (20_000 if args.quick else 200_000)
    repeats = args.repeats or (3 if args.quick else 2)

    from pyoxigraph import NamedNode, RdfFormat, Store, parse, serialize

    from kg.store import KGStore
    from kg.terms import GRAPH

    graphs = extracted(corpus(QUICK_DOCS if args.quick else FULL_DOCS))
    documents, texts = [], []
    for slug, content_hash, text in replicated(graphs, target):
        documents.append((NamedNode(GRAPH + slug), content_hash, list(parse(text, format=RdfFormat.N_QUADS))))
        texts.append(text)
    nquads = "".join(texts).encode("utf-8")
    all_quads = [q for _, _, quads in documents for q in quads]
    n_quads = len(all_quads)
    print(f"{len(documents)} document graphs, {n_quads:,} quads ({len(graphs)} extracted, copied), "
          f"{len(nquads) / 1e6:.1f} MB of N-Quads; {repeats} rounds")

    work = RESULTS / "tmp-load"
    shutil.rmtree(work, ignore_errors=True)
    sizes, counts = {}, {}

    def fresh(name):
        path = work / name.split()[0]
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def finish(name, path, store):
        """Record the quads stored and the size on disk (the next run deletes the directory)."""
        counts[name] = len(store)
        store.flush()
        sizes[name] = dir_mb(path)

    def bulk_load():
        path = fresh("bulk_load")
        start = time.perf_counter()
        store = Store(str(path))
        store.bulk_load(input=nquads, format=RdfFormat.N_QUADS)
        store.flush()
        elapsed = time.perf_counter() - start
        finish("bulk_load", path, store)
        return elapsed

    def replace_new():
        path = fresh("replace_graph")
        start = time.perf_counter()
        kg = KGStore(path)
        for graph, content_hash, quads in documents:
            kg.replace_graph(graph, quads, content_hash=content_hash)
        kg.store.flush()                             # what KGStore.close() does
        elapsed = time.perf_counter() - start
        finish("replace_graph", path, kg.store)
        kg.close()
        return elapsed

    def add_documents():
        size = BATCH
        path = fresh("add_documents")
        start = time.perf_counter()
        kg = KGStore(path)
        for first in range(0, len(documents), size):
            kg.add_documents([(graph, quads, content_hash)
                              for graph, content_hash, quads in documents[first:first + size]])
        kg.store.flush()
        elapsed = time.perf_counter() - start
        finish("add_documents", path, kg.store)
        kg.close()
        return elapsed

    def extend_each():
        path = fresh("extend_each")
        start = time.perf_counter()
        store = Store(str(path))
        for _, _, quads in documents:
            store.extend(quads)
        store.flush()
        elapsed = time.perf_counter() - start
        finish("extend_each", path, store)
        return elapsed

    def extend_all():
        path = fresh("extend_all")
        start = time.perf_counter()
        store = Store(str(path))
        store.extend(all_quads)
        store.flush()
        elapsed = time.perf_counter() - start
        finish("extend_all", path, store)
        return elapsed

    def bulk_extend_all():
        path = fresh("bulk_extend_all")
        start = time.perf_counter()
        store = Store(str(path))
        store.bulk_extend(all_quads)
        store.flush()
        elapsed = time.perf_counter() - start
        finish("bulk_extend_all", path, store)
        return elapsed

    def bulk_extend_batches(size=50):
        path = fresh("bulk_extend_batches")
        start = time.perf_counter()
        store = Store(str(path))
        for first in range(0, len(documents), size):
            store.bulk_extend([q for _, _, quads in documents[first:first + size] for q in quads])
        store.flush()
        elapsed = time.perf_counter() - start
        finish("bulk_extend_batches", path, store)
        return elapsed

    def replace_existing():
        path = fresh("replace_existing")
        store = Store(str(path))
        store.bulk_load(input=nquads, format=RdfFormat.N_QUADS)
        del store
        kg = KGStore(path)
        start = time.perf_counter()
        for graph, content_hash, quads in documents:
            kg.replace_graph(graph, quads, content_hash=content_hash + "-changed")
        kg.store.flush()
        elapsed = time.perf_counter() - start
        finish("replace_existing", path, kg.store)
        kg.close()
        return elapsed

    def existing_store(name):
        path = fresh(name)
        store = Store(str(path))
        store.bulk_load(input=nquads, format=RdfFormat.N_QUADS)
        return path, store

    def drop_then_extend():
        path, store = existing_store("drop_extend")
        start = time.perf_counter()
        for graph, _, quads in documents:
            store.remove_graph(graph)
            store.extend(quads)
        store.flush()
        elapsed = time.perf_counter() - start
        finish("drop_extend", path, store)
        return elapsed

    updates = [f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n"
               + serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES).decode("utf-8") + "}}"
               for graph, _, quads in documents]

    def drop_insert_update():
        path, store = existing_store("drop_insert_update")
        start = time.perf_counter()
        for update in updates:
            store.update(update)
        store.flush()
        elapsed = time.perf_counter() - start
        finish("drop_insert_update", path, store)
        return elapsed

    runs = {
        "pyoxigraph bulk_load (baseline)": bulk_load,
        "newskg replace_graph, new graphs": replace_new,
        f"newskg add_documents, {BATCH} per call": add_documents,
        "Store.extend per document": extend_each,
        "Store.extend, one transaction": extend_all,
        "Store.bulk_extend, Python quads": bulk_extend_all,
        "Store.bulk_extend per 50 documents": bulk_extend_batches,
        "newskg replace_graph, existing": replace_existing,
        "existing: remove_graph + extend": drop_then_extend,
        "existing: one DROP+INSERT DATA update": drop_insert_update,
    }
    times = interleaved(runs, repeats)
    phases = replace_phases(existing_store, documents)
    batched_phases = add_phases(fresh, documents, BATCH)
    shutil.rmtree(work, ignore_errors=True)

    base = median(times["pyoxigraph bulk_load (baseline)"])
    keys = dict(zip(runs, ["bulk_load", "replace_graph", "add_documents", "extend_each", "extend_all", "bulk_extend_all",
                           "bulk_extend_batches", "replace_existing", "drop_extend", "drop_insert_update"], strict=True))
    rows, results = [], {}
    for name, seconds in times.items():
        med = median(seconds)
        rows.append([name, med, n_quads / med, base / med, counts.get(keys[name]), sizes.get(keys[name])])
        results[name] = {"seconds": seconds, "median_s": med, "quads_per_s": n_quads / med, "ratio": base / med,
                         "quads_in_store": counts.get(keys[name]), "store_mb": sizes.get(keys[name])}
    ratio = results["newskg replace_graph, new graphs"]["ratio"]
    batched = results[f"newskg add_documents, {BATCH} per call"]["ratio"]
    print()
    print(table(["run", "median s", "quads/s", "ratio vs bulk_load", "quads stored", "MB on disk"], rows))
    for what, value in (("replace_graph per document (new graphs)", ratio), (f"add_documents, {BATCH} per call", batched)):
        print(f"{what} / bulk_load = {value:.2f}  (target >= {TARGET}: {'met' if value >= TARGET else 'MISSED'})")
    print("\nwhere replace_graph spends its time on existing graphs (seconds, summed over documents):")
    print(table(["step", "seconds", "share"], [[k, v, f"{100 * v / sum(phases.values()):.0f}%"]
                                             for k, v in phases.items()]))
    print(f"\nwhere add_documents ({BATCH} per call, new graphs) spends its time (seconds, summed over calls):")
    print(table(["step", "seconds", "share"], [[k, v, f"{100 * v / sum(batched_phases.values()):.0f}%"]
                                             for k, v in batched_phases.items()]))
    save("load", args.quick, {"documents": len(documents), "quads": n_quads, "repeats": repeats, "target": TARGET,
                              "ratio": ratio, "met": ratio >= TARGET, "ratio_add_documents": batched,
                              "met_add_documents": batched >= TARGET, "runs": results,
                              "replace_existing_phases_s": phases, "add_documents_phases_s": batched_phases})


if __name__ == "__main__":
    main()
