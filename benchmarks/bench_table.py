"""`kg query`'s in-process path (``open_results`` + ``write_result(…, "table")`` into a null stream),
this tree's ``kg/queries.py`` against an earlier one, in one process.

The earlier ``kg/queries.py`` (``--before DIR``: a tree such as ``git worktree add DIR COMMIT``) is
loaded beside this one as ``kg.queries_before`` (the rest of kg is this tree's), and the two run
each saved query (without SERVICE; parameters as in bench_queries.cases) in alternating order,
``--runs`` rounds: the machine's noise then falls on both alike, unlike children started one after
the other. Before timing, every case is written in every format (first page, second page) by both
and the bytes compared; a difference is reported and the script exits 1.

    python benchmarks/bench_table.py --before DIR [--store S100K] [--runs 60] [--only posts,facts-with-evidence]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import sys
import time
from pathlib import Path

import bench_queries
import common  # noqa: F401  (puts the repository first on sys.path)


class Null:
    def write(self, text):
        return len(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="an earlier tree holding kg/queries.py")
    parser.add_argument("--store", default="/tmp/h10/s100k")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--only", default="", help="comma-separated query names")
    args = parser.parse_args()

    from kg import queries as now
    from kg.store import KGStore

    spec = importlib.util.spec_from_file_location("kg.queries_before", Path(args.before) / "kg" / "queries.py")
    before = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = before
    spec.loader.exec_module(before)
    catalogue = now.load_catalogue()
    only = set(filter(None, args.only.split(",")))
    differ = 0
    with KGStore(args.store, read_only=True) as store:
        cases = [c for c in bench_queries.cases(catalogue, store) if not only or c[1] in only]
        for label, name, params in cases:
            saved = catalogue[name]
            for offset in (0, saved.limit or 0):
                for fmt in now.FORMATS:
                    texts = []
                    for module in (before, now):
                        buffer = io.StringIO()
                        result = module.open_results(store, saved.text, params, saved, limit=saved.limit, offset=offset)
                        module.write_result(result, fmt, buffer)
                        texts.append(buffer.getvalue())
                    if texts[0] != texts[1]:
                        differ += 1
                        print(f"DIFFERENT: {label} {fmt} offset {offset}", flush=True)
        print(f"output: {len(cases)} cases x {len(now.FORMATS)} formats x 2 pages, {differ} different", flush=True)
        print(f"{'query':50s}  {'before ms':>9s}  {'now ms':>7s}  now/before  (min before / now)")
        for label, name, params in cases:
            saved = catalogue[name]
            times = {before: [], now: []}

            def once(module, saved=saved, params=params):
                start = time.perf_counter()
                module.write_result(module.open_results(store, saved.text, params, saved, limit=saved.limit),
                                    "table", Null())
                return time.perf_counter() - start

            once(before), once(now)
            for round_ in range(args.runs):
                for module in ((before, now) if round_ % 2 else (now, before)):
                    times[module].append(once(module))
            old, new = statistics.median(times[before]), statistics.median(times[now])
            print(f"{label[:50]:50s}  {1e3 * old:9.3f}  {1e3 * new:7.3f}  {new / old:10.3f}  "
                  f"({1e3 * min(times[before]):.3f} / {1e3 * min(times[now]):.3f})", flush=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
