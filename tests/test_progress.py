"""Progress: a bar in a terminal (a real pseudo-terminal), nothing new in pipes and CliRunner, rare
plain lines in logs, nothing with --quiet."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import cli
from kg.progress import Progress

REPO = Path(__file__).resolve().parent.parent
BAR = re.compile(r"export: +\d+%\|.*\| *\d+/\d+ .*\[.*<.*\]")   # tqdm: count, rate and time left


def run_in_terminal(args: list[str], cwd: Path, **env) -> tuple[int, str]:
    """Run `kg ARGS` with stdout and stderr on a pseudo-terminal; its exit code and everything it showed."""
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=cwd, stdin=child, stdout=child,
                               stderr=child, env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "120", **env})
    os.close(child)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:                     # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return process.wait(timeout=120), shown.decode("utf-8", "replace")


def test_a_bar_in_a_terminal(small_store_path, tmp_path):
    status, shown = run_in_terminal(["export", "-f", "nquads", "-o", str(tmp_path / "kg.nq"),
                                     "--store", str(small_store_path)], tmp_path, KG_PROGRESS_DELAY="0")
    assert status == 0, shown
    assert BAR.search(shown), shown
    assert (tmp_path / "kg.nq").read_bytes().count(b"\n") > 300


def test_quiet_in_a_terminal(small_store_path, tmp_path):
    status, shown = run_in_terminal(["export", "-f", "nquads", "-o", str(tmp_path / "kg.nq"), "--quiet",
                                     "--store", str(small_store_path)], tmp_path, KG_PROGRESS_DELAY="0")
    assert status == 0 and shown.strip() == "", shown


def test_nothing_new_through_pipes(small_store_path, tmp_path):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "export", "-f", "nquads", "-o", str(tmp_path / "kg.nq"),
                           "--store", str(small_store_path)], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), "KG_PROGRESS_DELAY": "0"}, timeout=120)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_export_to_a_pipe_is_byte_for_byte_the_same(runner, small_store_path):
    from kg.export import export
    from kg.store import KGStore

    for fmt in ("nquads", "turtle", "trig"):
        shown = runner.invoke(cli, ["export", "-f", fmt, "--store", str(small_store_path)])
        assert shown.exit_code == 0 and shown.stderr == ""
        with KGStore(small_store_path, create=False, read_only=True) as store:
            assert shown.stdout_bytes == export(store, fmt)


@pytest.mark.slow
def test_ingest_shows_a_bar_and_its_lines_in_a_terminal(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("one", "two"):
        (articles / f"{name}.txt").write_text("Leaders met in Vienna on Monday. Anna Berger, Austria's minister "
                                              "of environment, said the plan would help.\n", encoding="utf-8")
    status, shown = run_in_terminal(["ingest", str(articles), "--store", str(tmp_path / "store")], tmp_path,
                                    KG_PROGRESS_DELAY="0")
    assert status == 0, shown
    assert re.search(r"ingest: +\d+%\|.*\| *[0-2]/2 ", shown), shown
    assert re.search(r"added +\S*one\.txt", shown) and re.search(r"added +\S*two\.txt", shown)


# ---------------------------------------------------------------- the Progress object


def test_plain_lines_are_rare_and_short_work_prints_none():
    times = iter([0.0, 1.0, 2.0, 3.0])
    log = io.StringIO()
    with Progress("push", 3, unit="graph", stream=log, interval=30, clock=lambda: next(times)) as progress:
        for _ in range(3):
            progress.advance()
    assert log.getvalue() == ""


def test_plain_lines_every_interval_with_rate_and_time_left():
    times = iter([0.0, 30.0, 45.0, 60.0, 61.0])
    log = io.StringIO()
    with Progress("push", 8, unit="graph", stream=log, interval=30, clock=lambda: next(times)) as progress:
        for _ in range(4):
            progress.advance()
    assert log.getvalue().splitlines() == [
        "push: 1/8 graphs (12%), 0.03/s, about 3 min 30 s left",
        "push: 3/8 graphs (37%), 0.05/s, about 1 min 40 s left",
    ]


def test_unknown_totals_show_count_and_rate():
    times = iter([0.0, 40.0])
    log = io.StringIO()
    Progress("link", None, unit="name", stream=log, interval=30, clock=lambda: next(times)).advance(20)
    assert log.getvalue() == "link: 20 names, 0.50/s\n"


def test_a_bar_on_a_terminal_and_result_lines_above_it():
    screen = io.StringIO()
    with Progress("ingest", 4, unit="document", stream=screen, terminal=True, delay=0) as progress:
        progress.advance()
        with progress.paused():
            screen.write("added  a.txt\n")
        progress.advance()
    text = screen.getvalue()
    assert "ingest:" in text and "0/4" in text and "documents/s" in text and "added  a.txt\n" in text


def test_quiet_shows_nothing_even_on_a_terminal():
    screen = io.StringIO()
    with Progress("ingest", 4, stream=screen, terminal=True, delay=0, quiet=True) as progress:
        progress.advance(4)
    assert screen.getvalue() == "" and progress.count == 4
