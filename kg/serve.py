"""Serve a store over HTTP with the real Oxigraph server (SPARQL 1.1 protocol, plus a query UI).

The ``oxigraph`` executable comes from the PyPI package ``oxigraph``, pinned to the same version
as ``pyoxigraph`` because the two share the on-disk format. By default the server is read-only
(``oxigraph serve-read-only``): the store is not changed by anyone querying it. ``writable=True``
runs ``oxigraph serve``, which also accepts SPARQL updates and the Graph Store protocol.
Either way the default graph of a query is the union of all named graphs, as in ``kg query``.

The server holds the store for as long as it runs (see :mod:`kg.lock`): read-only, it shares
it with other readers (``kg query``, ``kg export`` …) and writers get the usual "in use" error;
``--writable``, it holds it alone. Queries have a time limit (``timeout``, default 60 s).

In front of Oxigraph, on the public port, runs the small app of :mod:`kg.web.app` (entity pages,
the saved-query index, SPARQL checked for deep nesting and forwarded); Oxigraph itself then
listens on a loopback port only.

>>> server_command("/data/store", "127.0.0.1", 7878, executable="oxigraph")[1:]
['serve-read-only', '--location', '/data/store', '--bind', '127.0.0.1:7878', '--union-default-graph', '--timeout-s', '60']
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .deadline import die_with_parent
from .errors import KGError, StoreError, UsageError
from .lock import StoreLock
from .store import KGStore, is_store

DEFAULT_TIMEOUT_S = 60


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
                   executable: str | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> list[str]:
    """The command line that serves ``store_path`` on ``host:port``."""
    if not 0 < int(port) < 65536:
        raise UsageError(f"bad port {port} (expected 1-65535)")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [executable or oxigraph_executable(), "serve" if writable else "serve-read-only",
            "--location", str(store_path), "--bind", bind, "--union-default-graph",
            "--timeout-s", f"{max(1, round(timeout))}"]


def hold_store(store_path: str | Path, *, writable: bool) -> StoreLock:
    """Take the store for the server's lifetime: shared when read-only, exclusive when writable."""
    path = Path(store_path)
    if not is_store(path):
        raise StoreError(f"no store at {path} (run `kg build` or `kg ingest` first)")
    lock = StoreLock(path, shared=not writable).acquire()
    try:
        # A process that holds Oxigraph's own lock without newskg's shows up here.
        if writable:
            KGStore(path, create=False).close()
        else:
            # also finishes what a killed writer left, or migrates an older layout, before serving
            KGStore(path, read_only=True).close()
    except BaseException:
        lock.release()
        raise
    return lock


def check_port(host: str, port: int) -> None:
    """Refuse a busy port before anything is announced or started."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None




def _wait_until_listening(process: subprocess.Popen, host: str, port: int, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        status = process.poll()
        if status is not None:
            raise ServerError(f"the Oxigraph server stopped with status {status} before it listened on "
                              f"{host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    process.terminate()
    process.wait()
    raise ServerError(f"the Oxigraph server did not listen on {host}:{port} within {limit:g} s")


def free_loopback_port() -> int:
    """A port nothing listens on at 127.0.0.1, for the Oxigraph server behind the front."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 7878, *,
          writable: bool = False, timeout: float = DEFAULT_TIMEOUT_S, pages: bool = True,
          announce: Callable[[str], object] | None = None) -> int:
    """Run the Oxigraph HTTP server on the store until it stops (Ctrl-C or SIGTERM).

    With ``pages`` (the default) Oxigraph listens on a loopback port only and the front app of
    :mod:`kg.web.app` takes ``host:port``: entity pages, the saved-query index, and the SPARQL
    protocol forwarded after :mod:`kg.sparql_guard` checked it. Without, Oxigraph takes
    ``host:port`` itself. ``announce`` is called with a one-line message once the server accepts
    connections. Returns 0 when stopped by a signal; a server that fails (port in use) raises
    ServerError.
    """
    lock = hold_store(store_path, writable=writable)
    try:
        check_port(host, port)
        backend = ("127.0.0.1", free_loopback_port()) if pages else (host, port)
        command = server_command(store_path, *backend, writable=writable, timeout=timeout)
        preexec = functools.partial(die_with_parent, signal.SIGTERM) if os.name == "posix" else None
        try:
            process = subprocess.Popen(command, preexec_fn=preexec, stderr=subprocess.PIPE if pages else None)
        except OSError as exc:
            raise ServerError(f"cannot start {command[0]}: {exc.strerror or exc}") from None
        if pages:
            threading.Thread(target=_relay_errors, args=(process.stderr,), daemon=True).start()
        front = (lambda: _start_front(process, (host, port), backend, timeout, store_path)) if pages else None
        return _run(process, backend, (host, port), writable, store_path, announce, front)
    finally:
        lock.release()


def _relay_errors(stream) -> None:
    """Oxigraph's messages on our stderr, but not its "Listening … at" (a loopback port nobody uses)."""
    for line in iter(stream.readline, b""):
        if not line.startswith(b"Listening for requests at "):
            sys.stderr.write(line.decode("utf-8", "replace"))
            sys.stderr.flush()


def _start_front(process, address, backend, timeout, store_path):
    from .web.app import start

    try:
        return start(address, backend, timeout=timeout, store_name=str(store_path))
    except OSError as exc:
        process.terminate()
        process.wait()
        raise ServerError(f"cannot listen on {address[0]}:{address[1]}: {exc.strerror or exc}") from None


def _run(process, backend, public, writable, store_path, announce, start_front=None) -> int:
    forwarded = []

    def forward(signum, frame):
        # `kill`, systemd or docker stop `kg serve`: stop the server too, never orphan it.
        forwarded.append(signum)
        process.send_signal(signum)

    previous = _handle_signal(signal.SIGTERM, forward)
    front = None
    try:
        _wait_until_listening(process, *backend)
        front = start_front() if start_front is not None else None
        if announce is not None:
            mode = "read-write" if writable else "read-only"
            host, port = public
            url_host = f"[{host}]" if ":" in host else host
            pages = " (entity pages at /entity/…, query page at /ui)" if front is not None else ""
            announce(f"serving {store_path} ({mode}) at http://{url_host}:{port}/{pages} ; Ctrl-C stops")
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
        if front is not None:
            front.shutdown()
            front.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if status != 0 and not forwarded:
        raise ServerError(f"the Oxigraph server stopped with status {status}")
    return 0


def _handle_signal(signum, handler):
    """Install a handler if we can (main thread only); return the previous one, or None."""
    try:
        return signal.signal(signum, handler)
    except ValueError:
        return None
