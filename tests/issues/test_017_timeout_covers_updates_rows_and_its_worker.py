"""Issue 8, item 7: ``--timeout`` ignored updates and rows, and its worker outlived ``kg query``.

``--timeout`` was ignored with ``--update``; killing ``kg query --timeout`` left its worker child
running with no deadline, holding the store; and the deadline stopped counting once the results
arrived (2M rows with ``--timeout 120`` ran 143 s). Now updates run in the worker too (a killed
update is one transaction, so nothing of it is kept), the worker dies with its parent (Linux
PR_SET_PDEATHSIG), and the deadline covers the whole run, rows included.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import alive, finish  # noqa: E402 - tests/ is on sys.path
from conftest import child_pids as children
from conftest import store_quads as quads

from kg.cli import cli

G = "https://w3id.org/newskg/graph/added"
# Never ends on the small store (about 500^4 solutions), and inserts one quad if it did. (An
# update's default graph is empty: its patterns name the graphs.)
SLOW_UPDATE = (f"INSERT {{ GRAPH <{G}> {{ <http://e/s> <http://e/p> ?n }} }} WHERE {{ SELECT (COUNT(*) AS ?n) "
               "{ GRAPH ?w { ?a ?b ?c } GRAPH ?x { ?d ?e ?f } GRAPH ?y { ?g ?h ?i } GRAPH ?z { ?j ?k ?l } } }")
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# 20,000 rows come at once (a fraction of a second), more than a pipe holds.
MANY_ROWS = "SELECT ?a ?d { ?a ?b ?c . ?d ?e ?f } LIMIT 20000"
LOCKED = re.compile(r"^Error: store \S+ is in use by another process \(close it and retry\)$")


def kg(*args, cwd: Path, **kwargs) -> subprocess.Popen:
    # cwd outside the repository: the child imports the same `kg` as this test.
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)








@pytest.fixture
def store(small_store_path):
    from kg.store import KGStore

    KGStore(small_store_path).close()       # a v0.1-shaped fixture is migrated now, not under a reader
    return small_store_path


def test_an_update_over_its_timeout_is_stopped_and_leaves_the_store_unchanged(store, tmp_path):
    before = quads(store)
    process = kg("query", "--update", "--timeout", "1", "--sparql", SLOW_UPDATE, "--store", store, cwd=tmp_path)
    out, err = finish(process, 120, "`kg query --update --timeout 1` ran on for 120 s: the timeout was ignored")
    assert process.returncode == 1, err
    assert err.strip() == "Error: query stopped after the 1 s timeout"
    assert quads(store) == before


def test_an_update_with_a_timeout_runs_and_is_kept(runner, store):
    insert = f'INSERT DATA {{ GRAPH <{G}> {{ <http://e/s> <http://e/p> "kept" }} }}'
    result = runner.invoke(cli, ["query", "--update", "--timeout", "5", "--sparql", insert, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "update done: +1 quads"
    assert any(q.graph_name.value == G for q in quads(store))


def test_an_update_with_a_timeout_on_a_held_store_is_refused(runner, store, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom kg.store import KGStore\n"
                               "s = KGStore(sys.argv[1])\nprint('started', flush=True)\ntime.sleep(120)", str(store)],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "started", holder.stderr.read()
        insert = f'INSERT DATA {{ GRAPH <{G}> {{ <http://e/s> <http://e/p> "no" }} }}'
        result = runner.invoke(cli, ["query", "--update", "--timeout", "5", "--sparql", insert, "--store", str(store)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert LOCKED.match(result.stderr.strip()), result.stderr
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
        holder.stderr.close()


def test_killing_kg_query_also_kills_its_worker_and_frees_the_store(store, tmp_path):
    process = kg("query", "--timeout", "60", "--sparql", SLOW_QUERY, "--store", store, cwd=tmp_path)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "kg query started no worker"
            time.sleep(0.1)
            workers = children(process.pid)
        time.sleep(1)                               # the worker is now inside the query
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "the query worker outlived `kg query` killed with SIGKILL"
            time.sleep(0.1)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.communicate()
    from kg.store import KGStore

    KGStore(store).close()                          # free for a writer


def test_the_deadline_counts_while_rows_are_written(store, tmp_path):
    process = kg("query", "--timeout", "3", "--format", "csv", "--sparql", MANY_ROWS, "--store", store, cwd=tmp_path)
    try:
        time.sleep(8)            # a slow reader: the rows cannot all be written before the deadline
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1, (len(out.splitlines()), err)
    assert err.strip().splitlines()[-1] == "Error: query stopped after the 3 s timeout"
    assert out.startswith("a,d\n")                 # the first rows were written as they came
    assert len(out.splitlines()) < 20001
