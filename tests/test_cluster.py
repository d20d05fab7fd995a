"""`kg extract-batch` on a real Dask LocalCluster (2 worker processes) and `kg load`: the same store
as `kg ingest`, nothing lost when a worker is killed, one Error line when the scheduler is missing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed (pip install -e '.[cluster]')")

from kg.cli import cli  # noqa: E402
from kg.store import KGStore  # noqa: E402

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent / "golden"
ARTICLES = ["nordvik-battery-plant", "vietnam-peru-trade-agreement", "caricom-cyber-strategy"]   # the shortest


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cluster") / "articles"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copyfile(GOLDEN / name / "article.txt", folder / f"{name}.txt")
        if (GOLDEN / name / "article.meta.json").is_file():
            shutil.copyfile(GOLDEN / name / "article.meta.json", folder / f"{name}.meta.json")
    return folder


@pytest.fixture(scope="module")
def ingested(articles, tmp_path_factory) -> list[str]:
    """The sorted N-Quads of `kg ingest` of the articles (the reference)."""
    from click.testing import CliRunner

    store = tmp_path_factory.mktemp("ingested") / "store"
    result = CliRunner().invoke(cli, ["ingest", str(articles), "--store", str(store), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return all_nquads(store)


def all_nquads(store_path: Path) -> list[str]:
    with KGStore(store_path, create=False, read_only=True) as store:
        return sorted(str(q) for q in store.store)


def shard_files(out: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(out.glob("part-*"))}


def test_extract_batch_then_load_is_the_store_of_kg_ingest(runner, articles, ingested, tmp_path):
    out, store = tmp_path / "shards", tmp_path / "store"
    result = runner.invoke(cli, ["extract-batch", str(articles), "--out", str(out), "--workers", "2",
                                 "--partition-size", "1"])
    assert result.exit_code == 0, result.output
    assert "3 shards (3 written, 0 already complete, 0 not written)" in result.stdout
    assert len(list(out.glob("part-*.nq"))) == 3 and len(list(out.glob("part-*.json"))) == 3
    loaded = runner.invoke(cli, ["load", str(out), "--store", str(store)])
    assert loaded.exit_code == 0, loaded.output
    assert "3 added, 0 replaced, 0 unchanged, 0 failed" in loaded.stdout
    assert all_nquads(store) == ingested
    again = runner.invoke(cli, ["load", str(out), "--store", str(store)])
    assert "0 added, 0 replaced, 3 unchanged, 0 failed" in again.stdout
    assert all_nquads(store) == ingested
    # the same run again writes nothing: every shard is complete (no cluster is even started)
    before = shard_files(out)
    rerun = runner.invoke(cli, ["extract-batch", str(articles), "--out", str(out), "--partition-size", "1"])
    assert rerun.exit_code == 0, rerun.output
    assert "3 shards (0 written, 3 already complete" in rerun.stdout
    assert shard_files(out) == before


def test_a_worker_killed_mid_run_loses_nothing_after_a_rerun(articles, ingested, tmp_path):
    import dask
    from distributed import Client, LocalCluster

    from kg.cluster import extract_batch
    from kg.pipeline import load_shards

    out = tmp_path / "shards"
    # No retry of a task whose worker died: the first run must report it, the re-run finish it.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        pids = client.run(os.getpid)                     # worker address -> its process id
        first: dict = {}
        run = threading.Thread(target=lambda: first.update(report=_try(extract_batch, [articles], out,
                                                                          scheduler=cluster.scheduler_address,
                                                                          partition_size=1)))
        run.start()
        victim = _busy_worker(client, deadline=time.monotonic() + 60)
        os.kill(pids[victim], signal.SIGKILL)            # mid-task: it is loading spaCy or extracting
        run.join(timeout=240)
        assert not run.is_alive()
        written_first = shard_files(out)
        killed = first["report"]
        assert killed.errors and "not written" in killed.errors[0], killed     # reported, not fatal
        assert killed.written + len(killed.errors) == 3
        report = extract_batch([articles], out, scheduler=cluster.scheduler_address, partition_size=1)
    assert not report.errors and report.shards == 3 and report.written + report.skipped == 3
    # shards complete after the first run were not written again
    assert all(shard_files(out)[name] == mtime for name, mtime in written_first.items() if name.endswith(".json"))
    store = tmp_path / "store"
    with KGStore(store) as kg_store:
        loaded = load_shards(kg_store, out)
        from kg.link import cache_path_for, link_store

        link_store(kg_store.store, online=False, cache_path=cache_path_for(store))
    assert [r.status for r in loaded.results] == ["added"] * 3
    assert all_nquads(store) == ingested


def _try(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the first run may fail: the re-run must finish it
        return exc


def _busy_worker(client, deadline: float) -> str:
    while time.monotonic() < deadline:
        for worker, keys in client.processing().items():
            if keys:
                return worker
        time.sleep(0.05)
    raise AssertionError("no task started on the cluster within 60 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_scheduler_is_one_error_line(runner, articles, tmp_path):
    result = runner.invoke(cli, ["extract-batch", str(articles), "--out", str(tmp_path / "shards"),
                                 "--scheduler", f"tcp://127.0.0.1:{_free_port()}", "--timeout", "2"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "cannot reach the Dask scheduler" in errors[0], result.stderr
    assert not list((tmp_path / "shards").glob("part-*"))


def test_load_without_shards_is_one_error_line(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        result = runner.invoke(cli, ["load", str(folder), "--store", str(tmp_path / "store")])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1, result.stderr
    assert not (tmp_path / "store").exists()


def test_a_missing_model_is_one_error_line_not_a_worker_traceback(articles, tmp_path):
    import subprocess
    import sys

    # a real process: the workers' own log lines would reach the terminal, not a CliRunner
    done = subprocess.run([sys.executable, "-m", "kg.cli", "extract-batch", str(articles), "--out",
                           str(tmp_path / "shards"), "--workers", "1", "--model", "no_such_spacy_model"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [done.stderr.splitlines()[0]] and done.stderr.startswith("Error: "), done.stderr
    assert "no_such_spacy_model" in done.stderr


def test_a_changed_file_is_extracted_again_and_another_file_list_is_refused(runner, articles, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(articles, folder)
    out, store = tmp_path / "shards", tmp_path / "store"
    batch = ["extract-batch", str(folder), "--out", str(out), "--workers", "1", "--partition-size", "2"]
    assert runner.invoke(cli, batch).exit_code == 0
    assert runner.invoke(cli, ["load", str(out), "--store", str(store), "--no-link"]).exit_code == 0
    changed = folder / f"{ARTICLES[0]}.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nThe talks resume next week.\n", encoding="utf-8")
    again = runner.invoke(cli, batch)
    assert again.exit_code == 0, again.output
    assert "2 shards (1 written, 1 already complete" in again.stdout
    loaded = runner.invoke(cli, ["load", str(out), "--store", str(store), "--no-link"])
    assert "0 added, 1 replaced, 2 unchanged, 0 failed" in loaded.stdout, loaded.output
    other = runner.invoke(cli, ["extract-batch", str(changed), "--out", str(out), "--workers", "1"])
    assert other.exit_code == 1 and "Traceback" not in other.output
    assert other.stderr.startswith("Error: ") and "another list of files" in other.stderr, other.stderr
