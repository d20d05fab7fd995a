"""Serve a store over HTTP with the real Oxigraph server (SPARQL 1.1 protocol, plus a query UI).

The ``oxigraph`` executable comes from the PyPI package ``oxigraph``, pinned to the same version
as ``pyoxigraph`` because the two share the on-disk format. By default the server is read-only
(``oxigraph serve-read-only``): the store is not changed by anyone querying it. ``writable=True``
runs ``oxigraph serve``, which also accepts SPARQL updates and the Graph Store protocol.
Either way the default graph of a query is the union of all named graphs, as in ``kg query``.

>>> server_command("/data/store", "127.0.0.1", 7878, executable="oxigraph")[1:]
['serve-read-only', '--location', '/data/store', '--bind', '127.0.0.1:7878', '--union-default-graph']
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import KGError, StoreError, UsageError
from .store import KGStore


class ServerError(KGError):
    """The Oxigraph server cannot be found or stopped with an error."""


def oxigraph_executable() -> str:
    """The ``oxigraph`` CLI of this Python environment (beside the interpreter), else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside_python = Path(sys.executable).parent / name
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the `oxigraph` server executable is not installed "
                      "(pip install oxigraph==<the pyoxigraph version>)")


def server_command(store_path: str | Path, host: str, port: int, *, writable: bool = False,
                   executable: str | None = None) -> list[str]:
    """The command line that serves ``store_path`` on ``host:port``."""
    if not 0 < int(port) < 65536:
        raise UsageError(f"bad port {port} (expected 1-65535)")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [executable or oxigraph_executable(), "serve" if writable else "serve-read-only",
            "--location", str(store_path), "--bind", bind, "--union-default-graph"]


def check_store(store_path: str | Path) -> None:
    """Fail early, with our messages, if there is no store or another process holds it."""
    path = Path(store_path)
    if not path.is_dir():
        raise StoreError(f"no store at {path} (run `kg build` or `kg ingest` first)")
    # Opening the store for writing takes its lock: this is how a running `kg ingest`
    # (or another server) shows up. The lock is released before the server starts.
    KGStore(path, create=False).close()


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 7878, *,
          writable: bool = False, announce: Callable[[str], object] | None = None) -> int:
    """Run the Oxigraph HTTP server on the store until it stops (Ctrl-C or SIGTERM).

    ``announce`` is called with a one-line message once the server process has started.
    Returns 0 when stopped by a signal; a server that fails (port in use) raises ServerError.
    """
    command = server_command(store_path, host, port, writable=writable)
    check_store(store_path)
    try:
        process = subprocess.Popen(command)
    except OSError as exc:
        raise ServerError(f"cannot start {command[0]}: {exc.strerror or exc}") from None
    if announce is not None:
        mode = "read-write" if writable else "read-only"
        url_host = f"[{host}]" if ":" in host else host
        announce(f"serving {store_path} ({mode}) at http://{url_host}:{port}/ ; Ctrl-C stops")
    forwarded = []

    def forward(signum, frame):
        # `kill`, systemd or docker stop `kg serve`: stop the server too, never orphan it.
        forwarded.append(signum)
        process.send_signal(signum)

    previous = _handle_signal(signal.SIGTERM, forward)
    try:
        status = process.wait()
    except KeyboardInterrupt:
        # The server got the same SIGINT from the terminal; give it a moment to exit.
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait()
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if status != 0 and not forwarded:
        raise ServerError(f"the Oxigraph server stopped with status {status} "
                          f"(is {host}:{port} already in use?)")
    return 0


def _handle_signal(signum, handler):
    """Install a handler if we can (main thread only); return the previous one, or None."""
    try:
        return signal.signal(signum, handler)
    except ValueError:
        return None
