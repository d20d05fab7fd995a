"""Saved-query latency: every ``queries/*.rq`` (except SERVICE ones) through ``kg.queries.run``.

In one run:

* newskg (pyoxigraph) on a store of 1M+ quads (``--quick``: 100k), bulk-loaded once into
  ``benchmarks/results/store-1m`` (``store-100k``) and reused while present (``--rebuild``
  builds it again). Target: every query under 50 ms median.
* newskg vs rdflib on the SAME subset of 100k quads (``--quick``: 10k): rdflib ``Dataset(
  default_union=True)`` loaded with the same quads, the same query text and the same parameter
  bindings (``initBindings``). Target: >= 10x faster than rdflib. (rdflib cannot load and query
  1M quads in reasonable time here, hence the subset.)
* Diagnosis: the same 1M+ triples loaded once into the default graph (``…-dedup``), i.e. the
  union of the document graphs without duplicate triples. Oxigraph's union default graph keeps
  one copy of a triple per named graph holding it, and newskg writes an entity's type, label,
  aliases and facts into every document graph that mentions it.

Data: the extracted corpus copied under new document ids (entity IRIs stay shared, as when many
articles name the same people), then linked offline to Wikidata (``kg.link.link_store``), which
adds the ``owl:sameAs`` links graph the linking queries read. Queries whose parameters are all
optional run unbound; every parameter is also bound to a busy value picked from the data.

Each newskg measurement runs in a child process (a query that runs past ``--budget`` seconds is
killed and reported as ">budget"); rdflib queries are stopped by an alarm at the same budget.

    python benchmarks/bench_queries.py [--quick] [--rebuild] [--budget S] [--runs N]
"""

from __future__ import annotations

import collections
import itertools
import json
import shutil
import signal
import statistics
import subprocess
import sys
import time

import common  # noqa: F401
from common import FULL_DOCS, QUICK_DOCS, RESULTS, add_replicated, arguments, corpus, extracted, save, table

LATENCY_TARGET_MS, SPEEDUP_TARGET = 50.0, 10.0

PICKS = {  # parameter -> SPARQL choosing a busy value for it
    "speaker": "SELECT ?x (COUNT(*) AS ?n) { ?s kg:speaker ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "event": "SELECT ?x (COUNT(*) AS ?n) { ?s kg:statedAt ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "country": "SELECT ?x (COUNT(*) AS ?n) { ?s kg:initiatedBy ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "entity": "SELECT ?x (COUNT(*) AS ?n) { ?m kg:denotes ?x . ?x a kg:Person } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
}
FIXED = {"type": "Person"}


# ---------------------------------------------------------------- stores


def build_store(path, graphs, quads: int, work) -> dict:
    """Write the copied corpus (``quads`` of it) into a fresh store at ``path`` the way ``kg ingest``
    does (``KGStore.add_documents``, 48 per call: layout v3, docs/graph-layout.md), then link it."""
    from kg.link import link_store
    from kg.store import KGStore

    shutil.rmtree(path, ignore_errors=True)
    start = time.perf_counter()
    with KGStore(path) as store:
        documents = add_replicated(store, graphs, quads)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        report = link_store(store.store)
        linked = time.perf_counter() - start
        size = len(store)
    info = {"quads": size, "documents": documents, "load_s": loaded, "link_s": linked,
            "linked_entities": len(report.linked), "built": common.machine()["date"]}
    print(f"built {path.name}: {info}", flush=True)
    return info


def for_rdflib(text: str) -> str:
    """The query without ``LATERAL`` (SPARQL 1.2 draft; rdflib does not parse it): ``LATERAL { X }``
    becomes ``X`` (``{ SELECT … }`` stays a subquery), the same rows when X only looks up values of
    variables bound before it; a LATERAL whose body filters on an outer variable it does not bind
    itself gives other rows, which the caller sees by comparing them."""
    while (at := text.find("LATERAL {")) >= 0:
        depth, i = 0, at + len("LATERAL ")
        for i in range(at + len("LATERAL "), len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
        body = text[at + len("LATERAL {"):i]
        text = text[:at] + (f"{{{body}}}" if body.lstrip().upper().startswith("SELECT") else body) + text[i + 1:]
    return text


def build_dedup(path, source, work) -> dict:
    """Every distinct triple of ``source``'s graphs, in the default graph of a new store."""
    from pyoxigraph import RdfFormat, Store, serialize

    shutil.rmtree(path, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    dump = work / f"{path.name}.nt"
    origin = Store.read_only(str(source))
    dump.write_bytes(serialize((q.triple for q in origin), format=RdfFormat.N_TRIPLES))
    del origin
    store = Store(str(path))
    store.bulk_load(path=str(dump), format=RdfFormat.N_TRIPLES)
    store.flush()
    dump.unlink()
    info = {"quads": len(store), "built": common.machine()["date"]}
    print(f"built {path.name}: {info}", flush=True)
    return info


def ensure(path, build, rebuild: bool, at_least: int = 0) -> dict:
    meta = path.with_name(path.name + ".json")
    if not rebuild and path.exists() and meta.exists() and json.loads(meta.read_text())["quads"] >= at_least:
        info = json.loads(meta.read_text())
        print(f"reusing {path.relative_to(common.REPO)} (built {info['built']}; --rebuild to build it again)")
        return info
    info = build()
    meta.write_text(json.dumps(info))
    return info


def duplication(path) -> dict:
    """How many document graphs repeat each entity label: the factor the union default graph multiplies by."""
    from pyoxigraph import Store

    from kg.terms import RDFS

    store = Store.read_only(str(path))
    copies = collections.Counter((q.subject.value, q.object.value)
                                 for q in store.quads_for_pattern(None, RDFS.label, None, None))
    (top, most), = copies.most_common(1)
    return {"label_quads": sum(copies.values()), "distinct_label_triples": len(copies),
            "max_copies": most, "max_copies_entity": top[0],
            "median_copies": statistics.median(copies.values())}


# ---------------------------------------------------------------- cases and engines


def cases(catalogue, store) -> list[tuple[str, str, dict]]:
    """(label, query name, {param: value}) for every query without SERVICE."""
    from pyoxigraph import NamedNode

    from kg.queries import shorten
    from kg.terms import PREFIXES

    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    out = []
    for name, saved in catalogue.items():
        if "SERVICE" in saved.text.upper():
            continue
        if all(p.optional for p in saved.params):
            out.append((name, name, {}))
        for param in saved.params:
            value = FIXED.get(param.name)
            if value is None:
                rows = list(store.store.query(prologue + PICKS[param.name], use_default_graph_as_union=True))
                value = f"<{rows[0][0].value}>"
            short = shorten(NamedNode(value[1:-1])) if value.startswith("<") else value
            out.append((f"{name} {param.name}={short}", name, {param.name: value}))
    return out


def worker(spec: str) -> None:
    """Child process: time saved queries on one store, printing one JSON line per query."""
    from kg.queries import load_catalogue, run
    from kg.store import KGStore

    job = json.loads(spec)
    catalogue = load_catalogue()
    with KGStore(job["store"], create=False) as store:
        for query, params in job["cases"]:
            saved = catalogue[query]
            # SIGALRM keeps its default action: the process ends even inside Oxigraph's Rust code.
            times, result = latency(lambda saved=saved, params=params: run(store, saved.text, params, saved,
                                                                      limit=saved.limit), job["runs"], job["budget"])
            print(json.dumps({"times": times, "rows": len(result.rows)}), flush=True)


def measure_all(store_path, todo, runs: int, budget: float) -> list[dict]:
    """Median ms and rows of each case on a store, from child processes; ms None past the budget."""
    out, remaining = [], [(query, params) for _, query, params in todo]
    while remaining:
        spec = json.dumps({"store": str(store_path), "cases": remaining, "runs": runs, "budget": budget})
        child = subprocess.run([sys.executable, __file__, "--worker", spec], capture_output=True, text=True)
        lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
        out += [{"ms": 1000 * statistics.median(r["times"]), "rows": r["rows"], "times": r["times"]} for r in lines]
        remaining = remaining[len(lines):]
        if child.returncode == -signal.SIGALRM:
            out.append({"ms": None, "rows": None, "times": []})
            remaining = remaining[1:]
        elif child.returncode:
            raise RuntimeError(f"worker on {store_path} failed: {child.stderr[-2000:]}")
    return out


def latency(fn, runs: int, budget: float) -> tuple[list[float], object]:
    """Seconds of up to ``runs`` calls after one warm-up that SIGALRM stops at ``budget`` seconds;
    a slow query gets fewer runs (about ``budget`` seconds in all)."""
    signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.perf_counter()
    try:
        value = fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    warm_up = time.perf_counter() - start
    times = []
    for _ in range(max(1, min(runs, int(budget / max(warm_up, 1e-6))))):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times, value


class Timeout(Exception):
    pass


def rdflib_measure(dataset, text: str, bindings: dict, runs: int, budget: float, limit: int | None = None) -> dict:
    """Median ms and rows of one rdflib query, abandoned after ``budget`` s (rdflib is pure Python)."""
    def expire(*_):
        raise Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        def first_page():          # the same first page as newskg's (rdflib computes every row anyway)
            return len(list(itertools.islice(dataset.query(text, initBindings=bindings), limit)))

        times, rows = latency(first_page, runs, budget)
        return {"ms": 1000 * statistics.median(times), "rows": rows, "times": times}
    except Timeout:
        return {"ms": None, "rows": None, "times": []}
    except Exception as exc:  # rdflib bugs, e.g. GROUP_CONCAT(DISTINCT ?unbound) raises NotBoundError
        return {"ms": None, "rows": None, "times": [], "error": f"{type(exc).__name__}: {exc}"}
    finally:
        signal.signal(signal.SIGALRM, previous)


def to_rdflib(term):
    import rdflib
    from pyoxigraph import Literal, NamedNode

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(term)


# ---------------------------------------------------------------- main


def main() -> None:
    args = arguments(__doc__.splitlines()[0], rebuild=dict(action="store_true", help="rebuild the big stores"),
                     runs=dict(type=int, default=None, help="timed runs per query (after a warm-up)"),
                     budget=dict(type=float, default=None, help="seconds before a query is abandoned"),
                     only=dict(default=None, help="run only the queries whose label contains this"))
    quick = args.quick
    big, subset = (100_000, 10_000) if quick else (1_000_000, 100_000)
    runs = args.runs or (5 if quick else 10)
    rdflib_runs = 2 if quick else 3
    budget = args.budget or (2.0 if quick else 5.0)

    import rdflib
    from pyoxigraph import RdfFormat

    from kg.queries import load_catalogue, substitutions
    from kg.store import KGStore

    graphs = extracted(corpus(QUICK_DOCS if quick else FULL_DOCS))
    work = RESULTS / "tmp-queries"
    name = "store-100k" if quick else "store-1m"
    big_path, dedup_path, sub_path = RESULTS / name, RESULTS / f"{name}-dedup", work / "subset"
    sub_dedup_path = work / "subset-dedup"
    big_info = ensure(big_path, lambda: build_store(big_path, graphs, big, work), args.rebuild, big)
    dedup_info = ensure(dedup_path, lambda: build_dedup(dedup_path, big_path, work), args.rebuild)
    sub_info = ensure(sub_path, lambda: build_store(sub_path, graphs, subset, work), True)
    ensure(sub_dedup_path, lambda: build_dedup(sub_dedup_path, sub_path, work), True)
    dup = duplication(big_path)
    print(f"big store: {big_info['quads']:,} quads, {big_info['documents']} document graphs; "
          f"deduplicated: {dedup_info['quads']:,} triples; subset: {sub_info['quads']:,} quads")
    print(f"label triples repeated across graphs: median {dup['median_copies']}, max {dup['max_copies']} "
          f"({dup['max_copies_entity']})")

    catalogue = load_catalogue()
    skipped = [n for n, saved in catalogue.items() if "SERVICE" in saved.text.upper()]
    with KGStore(sub_path, create=False) as store:
        todo = cases(catalogue, store)
        bindings = {label: {rdflib.Variable(v.value): to_rdflib(t)
                            for v, t in substitutions(catalogue[query], params, store).items()}
                    for label, query, params in todo}
        nquads = store.store.dump(format=RdfFormat.N_QUADS).decode("utf-8")
    if args.only:
        todo = [case for case in todo if args.only in case[0]]
    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=nquads, format="nquads")
    rdflib_load = time.perf_counter() - start
    print(f"rdflib: loaded the subset in {rdflib_load:.1f} s; budget {budget:.0f} s per query\n", flush=True)

    measured = {}
    for key, path in (("big", big_path), ("big_dedup", dedup_path), ("subset", sub_path),
                      ("subset_dedup", sub_dedup_path)):
        start = time.perf_counter()
        measured[key] = measure_all(path, todo, runs, budget)
        print(f"newskg on {path.name}: {time.perf_counter() - start:.0f} s", flush=True)

    def fmt(ms):
        return f">{budget * 1000:.0f}" if ms is None else ms

    def ratio(entry, key):
        ox, rd = entry[key]["ms"], entry["rdflib"]["ms"]
        if ox and rd:
            return rd / ox, f"{rd / ox:.1f}x"
        if "error" in entry["rdflib"]:
            return None, "rdflib error"
        if ox is None and rd is None:
            return None, "both >budget"
        return None, (f">{budget * 1000 / ox:.0f}x" if ox else f"<{rd / (budget * 1000):.2f}x")

    rows, results = [], {}
    for index, (label, query, _) in enumerate(todo):
        entry = {key: measured[key][index] for key in measured}
        entry["rdflib"] = rdflib_measure(dataset, for_rdflib(catalogue[query].text), bindings[label], rdflib_runs,
                                         budget, limit=catalogue[query].limit)
        (entry["speedup"], speedup), (entry["speedup_dedup"], speedup_dedup) = \
            ratio(entry, "subset"), ratio(entry, "subset_dedup")
        entry["under_50ms"] = entry["big"]["ms"] is not None and entry["big"]["ms"] < LATENCY_TARGET_MS
        results[label] = entry
        rows.append([label if len(label) <= 44 else label[:43] + "…", fmt(entry["big"]["ms"]),
                     fmt(entry["big_dedup"]["ms"]), fmt(entry["subset"]["ms"]), fmt(entry["subset_dedup"]["ms"]),
                     fmt(entry["rdflib"]["ms"]), speedup, speedup_dedup, entry["subset_dedup"]["rows"],
                     entry["rdflib"]["rows"]])
        print("  " + "  ".join(str(c) if not isinstance(c, float) else f"{c:.1f}" for c in rows[-1]), flush=True)

    size_big, size_sub = f"{big_info['quads'] / 1e6:.2f}M", f"{sub_info['quads'] / 1e3:.0f}k"
    print()
    print(table(["query", f"ms @{size_big}", "dedup", f"ms @{size_sub}", "dedup", f"rdflib ms @{size_sub}",
                 "speedup", "dedup", "rows", "rdflib rows"], rows))
    fast = [k for k, v in results.items() if v["under_50ms"]]
    ahead = [k for k, v in results.items() if v["speedup"] is not None and v["speedup"] >= SPEEDUP_TARGET]
    ahead_dedup = [k for k, v in results.items() if v["speedup_dedup"] and v["speedup_dedup"] >= SPEEDUP_TARGET]
    fast_dedup = [k for k, v in results.items() if v["big_dedup"]["ms"] is not None
                  and v["big_dedup"]["ms"] < LATENCY_TARGET_MS]
    print(f"\nunder {LATENCY_TARGET_MS:.0f} ms at {size_big}: {len(fast)}/{len(results)} "
          f"(deduplicated union: {len(fast_dedup)}/{len(results)})")
    print(f">= {SPEEDUP_TARGET:.0f}x faster than rdflib at {size_sub}: {len(ahead)}/{len(results)} "
          f"(deduplicated union: {len(ahead_dedup)}/{len(results)}; a query past the budget or an rdflib "
          f"error counts as missed)")
    print(f"skipped (SERVICE): {', '.join(skipped)}")
    shutil.rmtree(work, ignore_errors=True)
    save("queries", quick, {"big_store": big_info, "dedup_store": dedup_info, "subset_store": sub_info,
                            "duplication": dup, "rdflib_load_s": rdflib_load, "runs": runs,
                            "rdflib_runs": rdflib_runs, "budget_s": budget, "skipped": skipped,
                            "under_50ms": len(fast), "under_50ms_dedup": len(fast_dedup), "ahead_10x": len(ahead),
                            "ahead_10x_dedup": len(ahead_dedup), "queries": results})


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main()
