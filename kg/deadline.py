"""Run a query or an update in a child process that is killed when it overruns its deadline.

Oxigraph cannot interrupt a running SPARQL query from Python, so ``kg query --timeout`` runs
it in a forked child that opens the store itself and sends rows back in chunks; the parent
writes them out as they arrive, so memory stays constant, and the deadline covers the whole
run, rows included. On timeout the child is killed: a query never writes, and an update is
one transaction, so a killed update leaves the store as it was. The child also dies with its
parent (Linux), so killing ``kg query`` never leaves a worker running without a deadline.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode

from .errors import KGError, QueryError

CHUNK = 500          # rows per message from the child
MAX_TIMEOUT = 7 * 24 * 3600.0


def check_timeout(seconds: float) -> float:
    """A usable deadline: finite, positive, at most a week.

    >>> check_timeout(2.5)
    2.5
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: bad timeout nan (expected a number of seconds, above 0 and at most 604800)
    """
    from .errors import UsageError

    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIMEOUT:
        raise UsageError(f"bad timeout {seconds:g} (expected a number of seconds, above 0 and at most "
                         f"{MAX_TIMEOUT:.0f})")
    return seconds


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Linux: this process gets ``signum`` when its parent dies, even by SIGKILL (a no-op elsewhere).

    Called in a child: a query worker (killed outright) or, between fork and exec, the Oxigraph
    server of `kg serve` (stopped with SIGTERM), so neither outlives the process holding its lock.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signum)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _encode(term):
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("bnode", term.value)
    if isinstance(term, Literal):
        return ("literal", term.value, term.datatype.value if term.datatype else None, term.language)
    return ("literal", str(term), None, None)


def _decode(data):
    if data is None:
        return None
    if data[0] == "iri":
        return NamedNode(data[1])
    if data[0] == "bnode":
        return BlankNode(data[1])
    _, value, datatype, language = data
    if language:
        return Literal(value, language=language)
    return Literal(value, datatype=NamedNode(datatype)) if datatype else Literal(value)


def _child(conn, store_path, sparql, params, saved_path, limit, offset, update):
    die_with_parent()
    from .queries import open_results, parse_query_file, run_update
    from .store import KGStore

    try:
        saved = parse_query_file(saved_path) if saved_path else None
        if update:
            with KGStore(store_path, create=False) as store:
                conn.send(("updated", run_update(store, sparql)))
            return
        with KGStore(store_path, read_only=True) as store:
            result = open_results(store, sparql, params, saved, limit=limit, offset=offset)
            conn.send(("head", result.columns, result.boolean))
            chunk = []
            for row in result.rows:
                chunk.append([_encode(t) for t in row])
                if len(chunk) == CHUNK:
                    conn.send(("rows", chunk))
                    chunk = []
            conn.send(("rows", chunk))
            conn.send(("end", result.truncated))
    except KGError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        conn.send(("error", "QueryError", f"query failed: {exc}"))
    finally:
        conn.close()


class _Child:
    """The worker process and the time left to it."""

    def __init__(self, store_path, sparql, params, saved, timeout, limit=None, offset=0, update=False):
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        saved_path = str(saved.path) if saved is not None and saved.path else None
        self.process = ctx.Process(target=_child, daemon=True,
                                   args=(child, str(store_path), sparql, params, saved_path, limit, offset, update))
        self.process.start()
        child.close()

    def receive(self):
        left = self.deadline - time.monotonic()
        if left <= 0 or not self.conn.poll(left):
            self.stop()
            raise QueryError(f"query stopped after the {self.timeout:g} s timeout")
        try:
            message = self.conn.recv()
        except EOFError:
            self.stop()
            raise QueryError("the query worker stopped without an answer") from None
        if message[0] == "error":
            from . import errors

            self.stop()
            raise getattr(errors, message[1], QueryError)(message[2])
        return message

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def run_with_deadline(store_path: str | Path, sparql: str, params: dict | None, saved, timeout: float,
                      *, limit: int | None = None, offset: int = 0):
    """Like :func:`kg.queries.open_results`, but gives up after ``timeout`` seconds in all.

    The rows are an iterator: reading them past the deadline raises QueryError.
    """
    from .queries import QueryResult

    child = _Child(store_path, sparql, params, saved, check_timeout(timeout), limit, offset)
    _, columns, boolean = child.receive()
    result = QueryResult(columns, iter(()), boolean)

    def rows() -> Iterator[list]:
        try:
            while True:
                message = child.receive()
                if message[0] == "end":
                    result.truncated = message[1]
                    return
                for row in message[1]:
                    yield [_decode(t) for t in row]
        finally:
            child.stop()

    result.rows = rows()
    return result


def update_with_deadline(store_path: str | Path, sparql: str, timeout: float) -> int:
    """Run a SPARQL update in a child killed after ``timeout`` seconds (nothing of it is then kept)."""
    child = _Child(store_path, sparql, None, None, check_timeout(timeout), update=True)
    try:
        return child.receive()[1]
    finally:
        child.stop()
