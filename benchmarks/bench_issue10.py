"""Issue 10's table in one run: saved queries (in-process and CLI, 10^5 and 10^6 quads), rdflib at
10^5, ingest vs bare spaCy, `kg validate` at 100 and 500 documents, and the `kg query` floor.

Every figure has its baseline measured in the same run (the machine is shared):

1. **Queries, in-process**: each saved query without SERVICE (parameters optional: unbound; each
   parameter also bound to a busy value picked from that store) through the same code path as
   `kg query`: ``kg.queries.open_results`` (the saved query's ``# limit:`` as the page, pushed into
   the SPARQL by ``with_page``) + ``write_result(…, "table", <null stream>)``; one warm-up, then
   the median of ``--runs`` (5). Each store is read in a child process killed past ``--budget`` s.
2. **Queries, CLI**: ``kg query NAME [-p P=V] --store S`` (the installed entry script, not the
   pyenv shim), wall-clock, median of 3, output to /dev/null.
3. **rdflib** at 10^5: the 10^5 store's N-Quads in ``rdflib.Dataset(default_union=True)``, the
   same paged text (``for_rdflib``: LATERAL unwrapped), the same bindings; the ratio counts only
   where rdflib gives the same rows (as multisets; when the first pages differ only by ORDER BY
   ties, the unpaged results are compared).
4. **Ingest**: ``kg ingest DIR --jobs 1 --no-link --store NEW`` (validation on, the default) vs a
   process running bare ``spacy.load(model).pipe(texts, batch_size=8)`` on the same texts, both
   wall-clock including start-up and model load, interleaved.
5. **Validate**: stores of 100 and 500 documents written with ``KGStore.add_documents``;
   ``kg validate`` (first check: everything unmarked), again (nothing changed), after 5 new
   documents, and ``--all``.
6. **Floor**: ``kg query posts --store SEED`` from process start to its first row, vs
   ``python -c "import pyoxigraph, click"``, interleaved, median of 10.

With ``--before-queries DIR`` (the ``queries/`` of an earlier commit) each in-process case also runs
with that text, interleaved with the current one in the same child (alternating order per round);
with ``--rdflib-queries DIR[,DIR…]`` rdflib, when the current text (LATERAL unwrapped) fails or gives
other rows, runs the earlier texts of the same query in those folders instead (counted only if its rows are
the same; the fastest of them: an earlier text rdflib answers in 77 ms can be the one to compare with);
with ``--before-code DIR`` (``git archive COMMIT kg queries | tar -x -C DIR``) the floor also runs
``kg query`` from that tree (``PYTHONPATH``), interleaved, and so does the ingest (``kg ingest`` of that tree
as a third process in each round), and the in-process queries (children importing that tree's kg alternate
with this tree's, ``--repeats`` (3) rounds each: ``code before`` in the table; the ratio to rdflib of both).
``--skip 1m`` leaves out the 10^6 store. The floor is measured as the environment
is and, when ``PYTHONDONTWRITEBYTECODE`` is set, also with bytecode caches (a private
``PYTHONPYCACHEPREFIX``), as an installed newskg runs.

    python benchmarks/bench_issue10.py [--s100k DIR] [--s1m DIR] [--runs 5] [--budget S] [--skip PARTS]
        [--before-queries DIR] [--before-code DIR] [--rdflib-queries DIR] [--work DIR]
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_queries
import common  # noqa: F401
from bench_queries import for_rdflib
from common import REPO, arguments, save, table

PYTHON = sys.executable
KG = str(Path(PYTHON).with_name("kg"))        # the entry script itself, not the pyenv shim
WORK = Path(tempfile.gettempdir()) / "bench-issue10"
LIMIT_MS = 50.0


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


class Null:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


# ---------------------------------------------------------------- 1. in-process


def worker(spec: str) -> None:
    """Child: time each case on one store, one JSON line per case."""
    job = json.loads(spec)
    if job.get("code"):                  # kg of an earlier tree (common.py imported this one's already)
        for module in [m for m in sys.modules if m == "kg" or m.startswith("kg.")]:
            del sys.modules[module]
        sys.path.insert(0, job["code"])
    import kg
    from kg.queries import load_catalogue, open_results, parse_query_file, write_result
    from kg.store import KGStore

    if job.get("code") and not kg.__file__.startswith(str(Path(job["code"]).resolve())):
        raise RuntimeError(f"kg imported from {kg.__file__}, not from {job['code']}")
    catalogue = load_catalogue()
    before = job.get("before")
    with KGStore(job["store"], read_only=True) as store:
        for query, params in job["cases"]:
            saved = catalogue[query]
            rows = [0]
            old = parse_query_file(Path(before) / f"{query}.rq") if before else None

            def once(saved=saved, params=params, rows=rows):
                result = open_results(store, saved.text, params, saved, limit=saved.limit)
                counted = []

                def counting(rows_in=result.rows):
                    for row in rows_in:
                        counted.append(1)
                        yield row

                result.rows = counting()
                write_result(result, "table", Null())
                rows[0] = len(counted)

            signal.setitimer(signal.ITIMER_REAL, job["budget"])   # default action: the child ends
            start = time.perf_counter()
            once()
            warm = time.perf_counter() - start
            if old is not None:
                once(old, rows=[0])
            times, before_times = [], []
            for round_ in range(job["runs"] if warm < 3 else 3):
                order = [(saved, times), (old, before_times)] if old is not None else [(saved, times)]
                for text, into in (order if round_ % 2 == 0 else order[::-1]):
                    start = time.perf_counter()
                    once(text, rows=rows if text is saved else [0])
                    into.append(time.perf_counter() - start)
            signal.setitimer(signal.ITIMER_REAL, 0)
            print(json.dumps({"times": times, "before": before_times, "rows": rows[0]}), flush=True)


def in_process(store: Path, todo, runs: int, budget: float, before: str | None = None,
               code: str | None = None) -> list[dict]:
    out, remaining = [], [(query, params) for _, query, params in todo]
    while remaining:
        spec = json.dumps({"store": str(store), "cases": remaining, "runs": runs, "budget": budget, "before": before,
                           "code": code})
        child = subprocess.run([PYTHON, __file__, "--worker", spec], capture_output=True, text=True)
        lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
        out += [{"ms": 1000 * statistics.median(r["times"]), "rows": r["rows"], "n": len(r["times"]), "times": r["times"],
                 "before_ms": 1000 * statistics.median(r["before"]) if r.get("before") else None} for r in lines]
        remaining = remaining[len(lines):]
        if child.returncode == -signal.SIGALRM:
            out.append({"ms": None, "rows": None, "n": 0})
            remaining = remaining[1:]
        elif child.returncode:
            raise RuntimeError(f"worker on {store} failed: {child.stderr[-2000:]}")
    return out


def in_process_codes(store: Path, todo, runs: int, budget: float, before: str | None, code_before: str,
                     rounds: int) -> list[dict]:
    """:func:`in_process` with this tree and with ``code_before``'s kg in alternating children, ``rounds``
    times each; every case's median over all its runs, the earlier code's as ``code_before_ms``."""
    now: list[list[dict]] = []
    earlier: list[list[dict]] = []
    for round_ in range(rounds):
        for code in ([None, code_before] if round_ % 2 == 0 else [code_before, None]):
            (earlier if code else now).append(in_process(store, todo, runs, budget, before, code))
    out = []
    for index in range(len(todo)):
        mine = [r[index] for r in now]
        theirs = [r[index] for r in earlier]
        entry = dict(mine[0])
        times = [t for r in mine if r["ms"] is not None for t in r["times"]]
        old_times = [t for r in theirs if r["ms"] is not None for t in r["times"]]
        entry.update(ms=1000 * statistics.median(times) if times else None, n=len(times), times=times,
                     code_before_ms=1000 * statistics.median(old_times) if old_times else None)
        out.append(entry)
    return out


def cases_for(store_path: Path):
    from kg.queries import load_catalogue
    from kg.store import KGStore

    catalogue = load_catalogue()
    with KGStore(store_path, read_only=True) as store:
        return catalogue, bench_queries.cases(catalogue, store)


# ---------------------------------------------------------------- 2. CLI


def cli_times(store: Path, todo, runs: int) -> list[dict]:
    out = []
    for label, query, params in todo:
        command = [KG, "query", query, "--store", str(store)]
        for name, value in params.items():
            command += ["-p", f"{name}={value}"]
        times, code = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times.append(time.perf_counter() - start)
            code = code or done.returncode
        out.append({"ms": 1000 * statistics.median(times), "code": code})
        print(f"  cli {store.name} {label}: {out[-1]['ms']:.0f} ms", flush=True)
    return out


# ---------------------------------------------------------------- 3. rdflib


class Timeout(Exception):
    pass


def _key(term) -> str:
    """A term as text comparable between pyoxigraph and rdflib."""
    if term is None:
        return ""
    value = getattr(term, "value", None)
    if value is not None and not hasattr(term, "n3"):
        return value                       # pyoxigraph NamedNode / Literal / BlankNode
    return str(term)                       # rdflib URIRef / Literal


def rdflib_case(dataset, saved, bindings, budget: float, runs: int, ox_rows) -> dict:
    from kg.queries import with_page
    from kg.terms import PREFIXES

    paged = for_rdflib(with_page(saved.text, saved.limit, 0) or saved.text)
    previous = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(Timeout()))

    def page(text):
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            rows = [[_key(t) for t in row] for row in dataset.query(text, initBindings=bindings, initNs=PREFIXES)]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return rows

    try:
        times, rows = [], None
        for _ in range(runs):
            start = time.perf_counter()
            rows = page(paged)
            times.append(time.perf_counter() - start)
            if times[-1] > budget / 2:
                break
        rows = rows[:saved.limit] if saved.limit else rows
        same = collections.Counter(map(tuple, rows)) == collections.Counter(map(tuple, ox_rows))
        how = "page"
        if not same and len(rows) == len(ox_rows):          # ORDER BY ties may pick other rows
            try:
                full = page(for_rdflib(saved.text))
                same = collections.Counter(map(tuple, full)) == ox_full_rows.get(saved.name + str(bindings), None)
                how = "unpaged"
            except Timeout:
                pass
        return {"ms": 1000 * statistics.median(times), "rows": len(rows), "same": same, "compared": how}
    except Timeout:
        return {"ms": None, "rows": None, "same": None, "timeout": True}
    except Exception as exc:  # noqa: BLE001 - rdflib bugs (NotBoundError on GROUP_CONCAT of unbound …)
        return {"ms": None, "rows": None, "same": False, "error": f"{type(exc).__name__}: {str(exc)[:120]}"}
    finally:
        signal.signal(signal.SIGALRM, previous)


ox_full_rows: dict[str, collections.Counter] = {}


def oxigraph_rows(store_path: Path, todo, catalogue) -> list[list[list[str]]]:
    """The first page (and, for the tie check, all rows) of each case on the 10^5 store."""
    import rdflib

    from kg.queries import run, substitutions
    from kg.store import KGStore

    pages, bindings = [], []
    with KGStore(store_path, read_only=True) as store:
        for _, query, params in todo:
            saved = catalogue[query]
            result = run(store, saved.text, params, saved, limit=saved.limit)
            pages.append([[_key(t) for t in row] for row in result.rows])
            bound = {rdflib.Variable(v.value): bench_queries.to_rdflib(t)
                     for v, t in substitutions(saved, params, store).items()}
            bindings.append(bound)
            full = run(store, saved.text, params, saved, limit=None)
            ox_full_rows[query + str(bound)] = collections.Counter(tuple(_key(t) for t in row) for row in full.rows)
    return pages, bindings


# ---------------------------------------------------------------- 4. ingest


SPACY_CHILD = """
import sys, time, json, pathlib
t0 = time.perf_counter()
import spacy
from kg.nlp import model_name
nlp = spacy.load(model_name())
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
t1 = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=8):
    pass
print(json.dumps({"pipe_s": time.perf_counter() - t1, "load_s": t1 - t0}))
"""


def ingest_corpus(n: int) -> tuple[Path, int]:
    folder = WORK / f"ingest-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    articles = sorted((REPO / "tests" / "dev-corpus").glob("*/article.txt"))
    total = 0
    for index in range(n):
        source = articles[index % len(articles)]
        meta = json.loads(source.with_name("article.meta.json").read_text())
        copy = index // len(articles)
        doc_id = meta["id"] if copy == 0 else f"{meta['id']}-r{copy}"
        meta = {k: v for k, v in meta.items() if k in ("title", "author", "publisher", "dateline", "date", "url") and v}
        meta["id"] = doc_id
        text = source.read_text(encoding="utf-8")
        total += len(text.split())
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (folder / f"{doc_id}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder, total


def ingest_bench(n: int, repeats: int, before_code: str | None = None) -> dict:
    """``kg ingest`` and bare spaCy, interleaved; with ``before_code`` also ``kg ingest`` of that tree."""
    folder, n_words = ingest_corpus(n)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    times = {"kg ingest --jobs 1": [], "spaCy nlp.pipe (process)": []}
    if before_code:
        times["kg ingest --jobs 1, before"] = []
    pipe_only, codes = [], []
    for round_ in range(repeats):
        order = list(times) if round_ % 2 == 0 else list(times)[::-1]
        for name in order:
            start = time.perf_counter()
            if name.startswith("kg"):
                store = WORK / "ingest-store"
                shutil.rmtree(store, ignore_errors=True)
                arguments_ = ["ingest", str(folder), "--jobs", "1", "--no-link", "--quiet", "--store", str(store)]
                if name.endswith("before"):
                    # `python -m kg.cli` (what the entry script runs) from a folder without kg/, so that
                    # PYTHONPATH picks the earlier tree
                    done = subprocess.run([PYTHON, "-m", "kg.cli", *arguments_], capture_output=True, text=True,
                                          env={**os.environ, "PYTHONPATH": before_code}, cwd=WORK)
                else:
                    done = subprocess.run([KG, *arguments_], capture_output=True, text=True)
                codes.append(done.returncode)
                if done.returncode:
                    print(done.stdout[-1500:], done.stderr[-1500:])
            else:
                done = subprocess.run([PYTHON, "-c", SPACY_CHILD, str(folder)], capture_output=True, text=True,
                                      env=env, check=True)
                pipe_only.append(json.loads(done.stdout.strip().splitlines()[-1])["pipe_s"])
            times[name].append(time.perf_counter() - start)
            print(f"  ingest round {round_ + 1}: {name} {times[name][-1]:.1f} s", flush=True)
    kg_s, sp_s, pipe_s = (statistics.median(times["kg ingest --jobs 1"]),
                          statistics.median(times["spaCy nlp.pipe (process)"]), statistics.median(pipe_only))
    out = {"documents": n, "words": n_words, "kg_s": kg_s, "spacy_process_s": sp_s, "spacy_pipe_s": pipe_s,
           "kg_wps": n_words / kg_s, "spacy_wps": n_words / sp_s, "spacy_pipe_wps": n_words / pipe_s,
           "ratio": sp_s / kg_s, "ratio_vs_pipe_only": pipe_s / kg_s, "exit_codes": codes, "times": times}
    if before_code:
        before_s = statistics.median(times["kg ingest --jobs 1, before"])
        out.update(before_s=before_s, ratio_before=sp_s / before_s, before_code=before_code)
    return out


# ---------------------------------------------------------------- 5. validate


def graphs_200() -> dict:
    cached = Path("/tmp/h10/graphs-200.json")        # the layout-v3 author's extraction of the 200 documents
    if cached.exists():
        return json.loads(cached.read_text())
    return common.extracted(common.corpus(common.FULL_DOCS))


def write_docs(path: Path, items, fresh: bool) -> None:
    from pyoxigraph import NamedNode, RdfFormat, parse

    from kg.store import KGStore
    from kg.terms import GRAPH

    if fresh:
        shutil.rmtree(path, ignore_errors=True)
    with KGStore(path) as store:
        batch = []
        for slug, digest, text in items:
            batch.append((NamedNode(GRAPH + slug), list(parse(input=text.encode(), format=RdfFormat.N_QUADS)), digest))
            if len(batch) == 48:
                store.add_documents(batch)
                batch = []
        if batch:
            store.add_documents(batch)


def validate_run(store: Path, *extra) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run([KG, "validate", "--store", str(store), *extra], capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode, (done.stdout.strip().splitlines() or [""])[0][:80]


def validate_bench(sizes, repeats: int) -> dict:
    graphs = graphs_200()
    out = {}
    for n in sizes:
        source = common.replicated(graphs, 10**9)
        docs = [next(source) for _ in range(n + 5)]
        store = WORK / f"validate-{n}"
        write_docs(store, docs[:n], fresh=True)
        first = validate_run(store)
        again = [validate_run(store) for _ in range(repeats)]
        everything = [validate_run(store, "--all") for _ in range(repeats)]
        write_docs(store, docs[n:], fresh=False)
        changed = validate_run(store)
        out[n] = {"first_s": first[0], "first_exit": first[1], "first_out": first[2],
                  "unchanged_s": statistics.median(t for t, _, _ in again),
                  "all_s": statistics.median(t for t, _, _ in everything), "all_exit": everything[0][1],
                  "all_out": everything[0][2], "after_5_new_s": changed[0], "after_5_new_exit": changed[1]}
        print(f"  validate {n} docs: {out[n]}", flush=True)
    return out


# ---------------------------------------------------------------- 6. floor


def first_row_s(command, env=None, cwd=None) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    lines = 0
    for _ in child.stdout:
        lines += 1
        if lines == 3:                      # header, rule, first row
            break
    elapsed = time.perf_counter() - start
    child.stdout.read()
    child.wait()
    return elapsed


def floor_bench(repeats: int, before_code: str | None = None) -> dict:
    seed = WORK / "seedstore"
    if not (seed / "CURRENT").exists():
        shutil.rmtree(seed, ignore_errors=True)
        done = subprocess.run([KG, "build", "--store", str(seed), "--quiet"], capture_output=True, text=True,
                              cwd=REPO)
        print(f"  kg build seed: exit {done.returncode} {done.stdout.strip().splitlines()[-1:]}", flush=True)
    subprocess.run([KG, "query", "posts", "--store", str(seed)], stdout=subprocess.DEVNULL, check=True)  # open once
    environments = {"as is": dict(os.environ)}
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        environments["bytecode caches"] = dict(cached, PYTHONPYCACHEPREFIX=str(WORK / "pycache"))
    out = {}
    for label, env in environments.items():
        # `python -m kg.cli` (what the entry script runs) from WORK, a folder without kg/, so that PYTHONPATH
        # picks the tree (`-m` puts the current folder first on the path: from the repository, the
        # "before" runs would import this tree's kg)
        commands = {"kg query posts (to first row)": [PYTHON, "-m", "kg.cli", "query", "posts", "--store", str(seed)]}
        if before_code:
            commands["kg query posts, before (to first row)"] = commands["kg query posts (to first row)"]
        times = {name: [] for name in [*commands, "kg query posts (to exit)", "python -c 'import pyoxigraph, click'"]}
        for name, command in commands.items():                       # a first run writes the caches
            subprocess.run(command, stdout=subprocess.DEVNULL, cwd=WORK,
                           env=dict(env, PYTHONPATH=before_code) if "before" in name else env)
        for round_ in range(repeats):
            names = list(times) if round_ % 2 == 0 else list(times)[::-1]
            for name in names:
                if name in commands:
                    run_env = dict(env, PYTHONPATH=before_code) if "before" in name else env
                    times[name].append(first_row_s(commands[name], run_env, cwd=WORK))
                elif name.endswith("(to exit)"):
                    start = time.perf_counter()
                    subprocess.run([PYTHON, "-m", "kg.cli", "query", "posts", "--store", str(seed)],
                                   stdout=subprocess.DEVNULL, check=True, env=env, cwd=WORK)
                    times[name].append(time.perf_counter() - start)
                else:
                    start = time.perf_counter()
                    subprocess.run([PYTHON, "-c", "import pyoxigraph, click"], check=True, env=env)
                    times[name].append(time.perf_counter() - start)
        out[label] = {name: 1000 * statistics.median(values) for name, values in times.items()}
    return out


# ---------------------------------------------------------------- main


def main() -> None:
    args = arguments(__doc__.splitlines()[0],
                     s100k=dict(default="/tmp/h10/s100k"), s1m=dict(default="/tmp/h10/s1m"),
                     runs=dict(type=int, default=5), budget=dict(type=float, default=120.0),
                     skip=dict(default="", help="comma-separated parts to skip: queries,cli,rdflib,ingest,validate,floor; "
                                                "1m: the 10^6 store"),
                     ingest_docs=dict(type=int, default=100),
                     validate_docs=dict(default="100,500"),
                     before_queries=dict(default=None, help="queries/ of an earlier commit, run interleaved"),
                     before_code=dict(default=None, help="an earlier tree (kg/, queries/) for the floor, the ingest "
                                                         "and the in-process queries"),
                     rdflib_queries=dict(default=None, help="queries/ of earlier commits (comma-separated), for "
                                                            "rdflib when the current text needs LATERAL"),
                     work=dict(default=None, help=f"scratch folder (default {WORK})"))
    skip = set(filter(None, args.skip.split(",")))
    if args.work:
        globals()["WORK"] = Path(args.work)
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = uptime()
    print("before:", load_before, flush=True)
    s100k, s1m = Path(args.s100k), Path(args.s1m)
    sizes = ((s100k, 100_000),) if "1m" in skip else ((s100k, 100_000), (s1m, 1_000_000))
    for path, quads in sizes:
        if not (path / "CURRENT").exists():      # missing: write it with the benchmarks' generator
            bench_queries.build_store(path, graphs_200(), quads, WORK)
    data: dict = {"load_before": load_before, "stores": {}}
    for path, _ in sizes:
        stats = subprocess.run([KG, "stats", "--store", str(path)], capture_output=True, text=True).stdout
        data["stores"][path.name] = stats
        print(stats.strip().replace("\n", "; "), flush=True)

    catalogue, todo = cases_for(s100k)
    todo_1m = [] if "1m" in skip else cases_for(s1m)[1]
    data["skipped"] = {n: "SERVICE: needs the live Wikidata endpoint (no network here)"
                       for n, s in catalogue.items() if "SERVICE" in s.text.upper()}
    labels = [label for label, _, _ in todo]
    data["cases_100k"], data["cases_1m"] = todo, todo_1m

    if "queries" not in skip:
        start = time.perf_counter()
        for key, path, cases in (("inproc_100k", s100k, todo), ("inproc_1m", s1m, todo_1m)):
            if not cases:
                continue
            if args.before_code:           # this tree's kg and the earlier one's in alternating children
                data[key] = in_process_codes(path, cases, args.runs, args.budget, args.before_queries,
                                             args.before_code, args.repeats or 3)
            else:
                data[key] = in_process(path, cases, args.runs, args.budget, args.before_queries)
        print(f"in-process: {time.perf_counter() - start:.0f} s", flush=True)
        for label, a, b in itertools.zip_longest(labels, data["inproc_100k"], data.get("inproc_1m", [])):
            b = b or {}
            print(f"  {label}: {a['ms']} / {b.get('ms')} (before {a.get('before_ms')} / {b.get('before_ms')}; "
                  f"code before {a.get('code_before_ms')} / {b.get('code_before_ms')})", flush=True)
    if "cli" not in skip:
        data["cli_100k"] = cli_times(s100k, todo, 3)
        if todo_1m:
            data["cli_1m"] = cli_times(s1m, todo_1m, 3)
    if "rdflib" not in skip:
        import rdflib
        from pyoxigraph import RdfFormat

        from kg.store import KGStore

        pages, bindings = oxigraph_rows(s100k, todo, catalogue)
        with KGStore(s100k, read_only=True) as store:
            nquads = store.store.dump(format=RdfFormat.N_QUADS).decode("utf-8")
        start = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=nquads, format="nquads")
        data["rdflib_load_s"] = time.perf_counter() - start
        print(f"rdflib loaded {len(nquads.splitlines()):,} quads in {data['rdflib_load_s']:.0f} s", flush=True)
        data["rdflib"] = []
        for (label, query, _), page, bound in zip(todo, pages, bindings, strict=True):
            entry = rdflib_case(dataset, catalogue[query], bound, 30.0, 3, page)
            entry["text"] = "current"
            if not entry.get("same") and args.rdflib_queries:
                # the current text needs LATERAL (rdflib has none): the same question in an earlier
                # text rdflib runs, counted only if it gives the same rows; the fastest such text
                from kg.queries import parse_query_file

                why = (entry.get("error") or ("timeout" if entry.get("timeout") else "other rows"))[:60]
                for folder in args.rdflib_queries.split(","):
                    earlier = rdflib_case(dataset, parse_query_file(Path(folder) / f"{query}.rq"),
                                          bound, 30.0, 3, page)
                    earlier["text"] = f"earlier ({folder}); current: {why}"
                    if (earlier.get("same") and (not entry.get("same") or earlier["ms"] < entry["ms"])) \
                            or not entry.get("ms"):
                        entry = earlier
            data["rdflib"].append(entry)
            print(f"  rdflib {label}: {entry}", flush=True)
    if "ingest" not in skip:
        data["ingest"] = ingest_bench(args.ingest_docs, args.repeats or 3, args.before_code)
        print(f"  ingest: {data['ingest']}", flush=True)
    if "validate" not in skip:
        data["validate"] = validate_bench([int(n) for n in args.validate_docs.split(",")], 3)
    if "floor" not in skip:
        data["floor"] = floor_bench(10, args.before_code)
        print(f"  floor: {data['floor']}", flush=True)
    data["load_after"] = uptime()
    print("after:", data["load_after"])

    rows = []
    for index, label in enumerate(labels):
        def ms(key, index=index, field="ms"):
            entries = data.get(key) or []
            entry = entries[index] if index < len(entries) else None
            return None if entry is None else entry.get(field)
        rd = data.get("rdflib", [None] * len(labels))[index]
        ox = ms("inproc_100k")
        def ratio(ox, rd=rd):
            return f"{rd['ms'] / ox:.1f}x" if rd and rd.get("ms") and rd.get("same") and ox else \
                ("differs" if rd and rd.get("ms") and not rd.get("same") else (rd or {}).get("error", "–")[:20])
        rows.append([label[:44], ms("inproc_100k", field="before_ms"), ms("inproc_100k", field="code_before_ms"), ox,
                     ms("inproc_1m", field="before_ms"), ms("inproc_1m", field="code_before_ms"), ms("inproc_1m"),
                     ms("cli_100k"), ms("cli_1m"), rd and rd.get("ms"), ratio(ms("inproc_100k", field="code_before_ms")),
                     ratio(ox), ms("inproc_1m", field="rows") or ms("inproc_100k", field="rows")])
    print()
    print(table(["query", "before @100k", "code before @100k", "ms @100k", "before @1M", "code before @1M", "ms @1M",
                 "CLI @100k", "CLI @1M", "rdflib @100k", "rdflib/ox code before", "rdflib/ox", "rows"], rows))
    if data.get("inproc_1m"):
        fast = sum(1 for e in data["inproc_1m"] if e["ms"] is not None and e["ms"] < LIMIT_MS)
        print(f"\nunder {LIMIT_MS:.0f} ms in-process at 1M: {fast}/{len(labels)}")
        if args.before_queries:
            fast = sum(1 for e in data["inproc_1m"] if e.get("before_ms") is not None and e["before_ms"] < LIMIT_MS)
            print(f"before, same run: {fast}/{len(labels)}")
    save("issue10" if not skip else "issue10-partial", False, data)   # a partial run keeps the full one


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main()
