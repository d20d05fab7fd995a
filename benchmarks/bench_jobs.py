"""Throughput of `kg ingest --jobs N` (and optionally the Dask LocalCluster path) vs `--jobs 1`.

Each run is the real command in a fresh process (`python -m kg.cli ingest DIR --jobs N
--no-link` into a new store), so worker start-up and spaCy loading count. Runs are interleaved
and repeated; medians are reported with the ratio against `--jobs 1` measured in the same
run, the peak memory of the whole process tree (sum of RSS of the command and its workers,
sampled every 50 ms), the load average before and after (the machine is shared), and a check
that every store holds the same sorted N-Quads.

    python benchmarks/bench_jobs.py [--quick] [--docs N] [--repeats R] [--cluster]
    python benchmarks/bench_jobs.py --scale 100000,1000000,10000000 [--budget S]

``--scale`` sizes stores instead (docs/scaling.md): for each number of quads, the extracted
corpus copied under new document ids (benchmarks/common.py) is bulk-loaded into a fresh
on-disk store through ``KGStore.add_documents`` (as ingest writes), which gives write time, bytes on disk per quad and per document, and the median
latency of every saved query without SERVICE (child processes killed past ``--budget``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import REPO, arguments, corpus, median, save, table, words


def write_corpus(docs, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        meta = {k: v for k, v in {"id": doc.id, "title": doc.title, "author": doc.author, "publisher": doc.publisher,
                                  "dateline": doc.dateline, "date": doc.date.isoformat() if doc.date else None,
                                  "url": doc.url}.items() if v}
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        (folder / f"{doc.id}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _tree(root: int, sched: dict) -> float:
    """RSS of ``root`` and its descendants (MB); records each one's scheduler times in ``sched``.

    ``sched[pid] = (start s since boot, last seen s since boot, s on a CPU, s waiting for one)``
    (from /proc/PID/stat and /proc/PID/schedstat).
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        stats[pid] = fields
    with open("/proc/uptime") as handle:
        now = float(handle.read().split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
        try:
            if pid not in sched:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if b"resource_tracker" in handle.read():     # multiprocessing's helper: idle by design
                        continue
            with open(f"/proc/{pid}/schedstat") as handle:
                on_cpu, waiting, _ = (int(x) for x in handle.read().split())
            sched[pid] = (int(stats[pid][19]) / os.sysconf("SC_CLK_TCK"), now, on_cpu / 1e9, waiting / 1e9)
        except (OSError, KeyError, ValueError):
            pass
    return total / 1e6


def cpu_seconds() -> float:
    """CPU time (user + system) of every finished descendant of this process."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str]) -> tuple[float, float, str]:
    """Seconds, peak tree RSS (MB) and stdout of ``command``; its CPU seconds go to CPU[-1]."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    sched: dict = {}

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree(process.pid, sched))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    CPU.append(cpu_seconds() - cpu)
    SCHED.append(_shares(process.pid, sched))
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    return seconds, peak[0], out


CPU: list[float] = []
SCHED: list[dict] = []


def _shares(root: int, sched: dict) -> dict:
    """Of the lifetime of the command's processes (main, then its descendants): the share spent
    on a CPU, waiting for a CPU (the machine busy), and idle (waiting for work or for I/O)."""
    out = {}
    for role, pids in (("main", [root]), ("workers", [p for p in sched if p != root])):
        life = sum(sched[p][1] - sched[p][0] for p in pids if p in sched)
        if life <= 0:
            continue
        on_cpu = sum(sched[p][2] for p in pids if p in sched)
        waiting = sum(sched[p][3] for p in pids if p in sched)
        out[role] = {"processes": len([p for p in pids if p in sched]), "on_cpu": on_cpu / life,
                     "waiting_for_cpu": waiting / life, "idle": max(0.0, 1 - (on_cpu + waiting) / life)}
    return out


def sorted_nquads(store: Path) -> str:
    from pyoxigraph import Store

    from kg.terms import INTERNAL_GRAPHS

    quads = Store.read_only(str(store))
    return "".join(sorted(f"{q} .\n" for q in quads if not q.graph_name.value.startswith(INTERNAL_GRAPHS)))


def main() -> None:
    args = arguments(__doc__.splitlines()[0], docs={"type": int, "default": None},
                     cluster={"action": "store_true", "help": "also time extract-batch + load on a LocalCluster"},
                     scale={"default": None, "help": "comma-separated store sizes in quads (see above)"},
                     budget={"type": float, "default": 5.0, "help": "--scale: seconds per query before it is killed"})
    if args.scale:
        return scale([int(float(n)) for n in args.scale.split(",")], args.budget)
    n_docs = args.docs or (60 if args.quick else 200)
    repeats = args.repeats or (1 if args.quick else 2)
    docs = corpus(n_docs)
    n_words = words(docs)
    work = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    articles = work / "articles"
    write_corpus(docs, articles)
    python = sys.executable
    runs = {
        "jobs 1": lambda store: [python, "-m", "kg.cli", "ingest", str(articles), "--store", str(store),
                                 "--jobs", "1", "--no-link"],
        "jobs 2": lambda store: [python, "-m", "kg.cli", "ingest", str(articles), "--store", str(store),
                                 "--jobs", "2", "--no-link"],
    }
    if args.cluster:
        runs["LocalCluster 2x1"] = None
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in runs}
    peaks: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    scheds: dict[str, list[dict]] = {name: [] for name in runs}
    sizes: dict[str, int] = {}
    reference = None
    same = True
    names = list(runs)
    print(f"{n_docs} documents, {n_words:,} words; load average {load_before[0]:.2f}", flush=True)
    for round_ in range(repeats):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            store = work / f"store-{name.replace(' ', '-')}-{round_}"
            if runs[name] is None:
                shards = work / f"shards-{round_}"
                s1, p1, _ = run_measured([python, "-m", "kg.cli", "extract-batch", str(articles), "--out", str(shards),
                                          "--workers", "2"])
                s2, p2, _ = run_measured([python, "-m", "kg.cli", "load", str(shards), "--store", str(store),
                                          "--no-link"])
                seconds, peak = s1 + s2, max(p1, p2)
                CPU[-2:] = [CPU[-2] + CPU[-1]]
                shutil.rmtree(shards)
            else:
                seconds, peak, _ = run_measured(runs[name](store))
            times[name].append(seconds)
            cpus[name].append(CPU[-1])
            peaks[name].append(peak)
            sizes[name] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
            nquads = sorted_nquads(store)
            reference = reference if reference is not None else nquads
            same = same and nquads == reference
            shares = " ".join(f"{role}: {v['on_cpu']:.0%} on cpu, {v['waiting_for_cpu']:.0%} waiting for one, "
                              f"{v['idle']:.0%} idle;" for role, v in SCHED[-1].items())
            scheds[name].append(SCHED[-1])
            print(f"  round {round_ + 1}/{repeats}  {name:<18} {seconds:7.1f} s  cpu {CPU[-1]:7.1f} s  peak {peak:6.0f} MB  "
                  f"load {os.getloadavg()[0]:.2f}  [{shares}]", flush=True)
            shutil.rmtree(store)
    load_after = os.getloadavg()
    base = median(times["jobs 1"])
    rows, data = [], {}
    for name in runs:
        t = median(times[name])
        rows.append([name, t, n_docs / t, n_words / t, base / t, median(cpus[name]), max(peaks[name]),
                     sizes[name] / 1e6])
        data[name] = {"seconds": times[name], "median_s": t, "docs_per_s": n_docs / t, "words_per_s": n_words / t,
                      "ratio_vs_jobs_1": base / t,
                      "cpu_seconds": cpus[name], "scheduler_shares": scheds[name], "words_per_cpu_s": n_words / median(cpus[name]), "peak_tree_rss_mb": max(peaks[name]), "store_bytes": sizes[name]}
    print()
    print(table(["run", "median s", "docs/s", "words/s", "x jobs 1", "CPU s", "peak MB (tree)", "store MB"], rows))
    print(f"\nsorted N-Quads identical in every store: {same}")
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} cpus")
    save("jobs", args.quick, {"documents": n_docs, "words": n_words, "repeats": repeats, "runs": data,
                              "same_nquads": same, "loadavg_before": load_before, "loadavg_after": load_after})
    shutil.rmtree(work)
    if not same:
        raise SystemExit("the stores differ")


def scale(sizes: list[int], budget: float) -> None:
    from bench_queries import cases, measure_all
    from common import FULL_DOCS, add_replicated, extracted

    from kg.queries import load_catalogue
    from kg.store import KGStore

    graphs = extracted(corpus(FULL_DOCS))
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    out = {}
    for size in sizes:
        store_path = work / f"store-{size}"
        start = time.perf_counter()
        # Written as kg ingest writes (KGStore.add_documents, 48 per call): the layout of
        # docs/graph-layout.md (entity triples once, support records, counts) is built there.
        with KGStore(store_path) as kg_store:
            documents = add_replicated(kg_store, graphs, size)
            quads = len(kg_store)
        load_s = time.perf_counter() - start
        size_bytes = sum(f.stat().st_size for f in store_path.rglob("*") if f.is_file())
        with KGStore(store_path, create=False) as kg_store:
            todo = cases(load_catalogue(), kg_store)
        results = measure_all(store_path, todo, runs=5, budget=budget)
        rows = [[label, "killed" if r["ms"] is None else r["ms"], r["rows"]] for (label, _, _), r in zip(todo, results, strict=True)]
        print(f"\n{quads:,} quads, {documents:,} documents: written in {load_s:.1f} s ({quads / load_s:,.0f} quads/s), "
              f"{size_bytes / 1e6:,.0f} MB on disk ({size_bytes / quads:.0f} B/quad, "
              f"{size_bytes / documents * 1000 / 1e6:,.1f} MB per 1,000 documents)", flush=True)
        print(table(["query", f"ms (median, >{budget:g} s killed)", "rows"], rows), flush=True)
        out[size] = {"quads": quads, "documents": documents, "write_s": load_s, "bytes": size_bytes,
                     "queries": {label: r for (label, _, _), r in zip(todo, results, strict=True)}}
        shutil.rmtree(store_path)
    save("scale", False, {"sizes": out, "budget_s": budget})
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
