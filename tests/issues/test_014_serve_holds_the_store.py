"""Issue 8, item 3: ``kg serve`` took no lock, announced itself on a busy port, and could orphan its server.

While ``kg serve`` ran, ``kg ingest`` and ``kg restore`` succeeded under it (the server then
answered from stale data or deleted files); on a busy port it printed "serving … at …" before
failing; killed with SIGKILL it left the ``oxigraph`` server running. Now the server holds the
store for as long as it runs (shared, read-only): writers get the usual "in use" error, readers
run; a busy port is one ``Error:`` line before anything is announced; the ``oxigraph`` child dies
with ``kg serve`` (PR_SET_PDEATHSIG).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import alive  # noqa: E402 - tests/ is on sys.path
from conftest import child_pids as children

from kg.cli import cli

LOCKED = re.compile(r"^Error: store \S+ is in use by another process \(close it and retry\)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def serve(store: Path, port: int, cwd: Path) -> subprocess.Popen:
    # cwd outside the repository: the `kg` package is the installed one (or PYTHONPATH's).
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_listening(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while not listening(port):
        if process.poll() is not None:
            pytest.fail(f"kg serve stopped: {process.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("kg serve did not listen within 60 s")
        time.sleep(0.1)






def stop(process: subprocess.Popen) -> None:
    for child in children(process.pid):
        os.kill(child, signal.SIGKILL)
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()


@pytest.fixture
def store(small_store_path, tmp_path):
    """The small store, opened once for writing (a v0.1-shaped fixture is migrated then)."""
    from kg.store import KGStore

    with KGStore(small_store_path) as opened:
        opened.backup(tmp_path / "backup")       # for `kg restore`
    return small_store_path


@pytest.fixture
def served(store, tmp_path):
    port = free_port()
    process = serve(store, port, tmp_path)
    try:
        wait_listening(process, port)
        yield store
    finally:
        stop(process)


def test_writers_are_refused_while_kg_serve_runs(runner, served, tmp_path):
    backup = tmp_path / "backup"
    story = tmp_path / "story.txt"
    story.write_text("Leaders met in Vienna on Monday.\n", encoding="utf-8")
    for args in (["ingest", str(story)], ["restore", str(backup)], ["link"]):
        result = runner.invoke(cli, [*args, "--store", str(served)])
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert result.stderr.count("Error: ") == 1 and LOCKED.match(result.stderr.strip()), (args, result.stderr)
    assert not served.with_name(served.name + ".before-restore").exists()


def test_readers_run_while_kg_serve_runs(runner, served, tmp_path):
    for args in (["query", "--format", "csv", "--sparql", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"],
                 ["stats"], ["export", "--format", "nquads"]):
        result = runner.invoke(cli, [*args, "--store", str(served)])
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip()


def test_a_busy_port_is_one_error_and_nothing_is_announced(store, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "serving" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and f"{port}" in errors[0], result.stderr


def test_sigkill_of_kg_serve_also_stops_its_server(store, tmp_path):
    port = free_port()
    process = serve(store, port, tmp_path)
    server = None
    try:
        wait_listening(process, port)
        (server,) = children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while alive(server) or listening(port):
            assert time.monotonic() < deadline, "the oxigraph server outlived `kg serve` killed with SIGKILL"
            time.sleep(0.1)
    finally:
        if server is not None and alive(server):
            os.kill(server, signal.SIGKILL)
        stop(process)
    # The store is free again for a writer.
    from kg.store import KGStore

    KGStore(store).close()
