"""Shared fixtures: a CLI runner, store paths, a copy of the articles, built and small stores."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "data" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL_TRIG = FIXTURES / "small.trig"


def copy_articles(destination: Path) -> Path:
    """A writable copy of data/articles (the originals are read-only)."""
    shutil.copytree(ARTICLES, destination, copy_function=shutil.copyfile)
    return destination


def extraction_missing() -> str | None:
    """Why ``kg.extract`` cannot run here, or None when it can."""
    try:
        from kg.extract import extract  # noqa: F401
    except ImportError as exc:
        return f"kg.extract is not available: {exc}"
    return None


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def article_dir(tmp_path) -> Path:
    return copy_articles(tmp_path / "articles")


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A store built once per session by the real `kg build` (spaCy model included). Read-only use."""
    reason = extraction_missing()
    if reason:
        pytest.skip(reason)
    from kg.cli import cli

    root = tmp_path_factory.mktemp("built")
    articles = copy_articles(root / "articles")
    store = root / "store"
    result = CliRunner().invoke(cli, ["build", "--store", str(store), "--articles", str(articles)])
    if result.exit_code != 0:
        pytest.fail(f"`kg build` failed with exit code {result.exit_code}:\n{result.output}", pytrace=False)
    return store


def load_small_store(path: Path):
    """A KGStore at ``path`` holding tests/fixtures/small.trig (skips the test if it is missing)."""
    if not SMALL_TRIG.is_file():
        pytest.skip("tests/fixtures/small.trig is not there yet")
    from pyoxigraph import RdfFormat

    from kg.store import KGStore

    store = KGStore(path)
    store.store.load(path=str(SMALL_TRIG), format=RdfFormat.TRIG)
    store.close()
    # The fixture is written in the self-contained layout of `kg extract`; opening the store again
    # migrates it to the store's layout (entity triples once, counts kept), as for any older store.
    return KGStore(path)


@pytest.fixture
def small_store(tmp_path):
    """An open KGStore loaded with tests/fixtures/small.trig (no spaCy needed)."""
    store = load_small_store(tmp_path / "small-store")
    yield store
    store.close()


@pytest.fixture
def small_store_path(tmp_path) -> Path:
    """The directory of a closed store loaded with tests/fixtures/small.trig, for CLI tests."""
    path = tmp_path / "small-store"
    load_small_store(path).close()
    return path


# ---------------------------------------------------------------- a real Oxigraph server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oxigraph_server(location: Path, *, read_only: bool = False, union: bool = True, data: Path | None = None):
    """A real ``oxigraph serve`` over ``location`` (first loaded with ``data``) on a free port; yields its
    base URL. Tests that need a SPARQL endpoint (federation, push, reconcile) start one this way."""
    import subprocess

    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the `oxigraph` executable (pip package oxigraph) is not installed")
    if data is not None:
        subprocess.run([exe, "load", "--location", str(location), "--file", str(data)],
                       check=True, capture_output=True, timeout=60)
    port = free_port()
    command = [exe, "serve-read-only" if read_only else "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}"] + (["--union-default-graph"] if union else [])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(base + "/", server, 20, "oxigraph serve")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---------------------------------------------------------------- looking at stores and processes


def wait_until_answers(url: str, process, seconds: float, name: str) -> None:
    """Wait until ``url`` answers (any HTTP status counts) while ``process`` serves it; fail the test
    with the server's last words if it stops or ``seconds`` pass first."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return             # it answers: that is all we wait for
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                err = process.stderr.read() if process.stderr else ""
                err = err.decode(errors="replace") if isinstance(err, bytes) else err
                pytest.fail(f"{name} did not answer within {seconds:g} s: {err[-500:]}")
            time.sleep(0.1)


def finish(process, seconds: float, message: str) -> tuple[str, str]:
    """``process.communicate()`` within ``seconds``; past them the process is killed and the test fails
    with ``message`` (a command that ignores its own timeout is the bug these tests look for)."""
    import subprocess

    try:
        return process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(message)


def store_quads(path: Path) -> set:
    """Every quad of the store at ``path``, read as it is on disk (no newskg recovery or migration)."""
    from pyoxigraph import Store

    store = Store.read_only(str(path))
    try:
        return set(store)
    finally:
        del store


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")
