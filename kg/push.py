"""Publish a store to another triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is sent with one ``PUT ENDPOINT?graph=IRI`` whose body is the graph as
N-Triples, so the remote graph is *replaced*: pushing twice leaves the same data, never twice
the data. The store's default graph, if anything was written to it, goes with ``?default``.
Apache Jena Fuseki (``http://host:3030/DATASET/data``), GraphDB
(``http://host:7200/repositories/REPO/rdf-graphs/service``), Virtuoso
(``http://host:8890/sparql-graph-crud-auth``), Amazon Neptune (``https://host:8182/sparql/gsp/``)
and Oxigraph (``http://host:7878/store``) all speak it.

Memory stays flat in the size of the store: a graph is serialised from the store's indexes into
a temporary file, which is then streamed as the request body (with its length, which some
servers require). Connection errors and 5xx answers are retried with exponential backoff. A
graph the server refuses (4xx) is reported with the server's reason and the others are still
sent; an endpoint that cannot be reached, turns the credentials away (401, 403), does not accept
PUT there (404, 405, 501), or refuses every graph is one :class:`PushError`.

Blank nodes are scoped to one request by the protocol, so a blank node shared between two
graphs would arrive as two; newskg itself writes IRIs only.

>>> graph_url("http://localhost:7878/store", NamedNode("https://w3id.org/newskg/graph/a?b"))
'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fnewskg%2Fgraph%2Fa%3Fb'
>>> graph_url("http://h/ds/data?x=1", None)
'http://h/ds/data?x=1&default'
"""

from __future__ import annotations

import base64
import http.client
import os
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, RdfFormat

from .errors import KGError, UsageError
from .store import PENDING, STAGING

CONTENT_TYPE = "application/n-triples"
# Answers that say the endpoint, not the graph, is the problem: no point sending the others.
ENDPOINT_STATUSES = {401: "credentials refused (check --user and --password-env)",
                     403: "forbidden (is the endpoint read-only, or are credentials needed?)",
                     404: "no Graph Store endpoint at this address",
                     405: "the endpoint does not accept PUT (read-only, or not a Graph Store endpoint)",
                     501: "the endpoint does not implement PUT"}


class PushError(KGError):
    """The endpoint cannot be reached, turns the request away, or refuses every graph."""


@dataclass
class GraphPush:
    """What became of one graph: ``pushed`` or ``refused`` (with the HTTP status and reason)."""

    graph: str                      # the graph IRI, or "default"
    status: str
    triples: int = 0
    http_status: int | None = None
    message: str = ""
    attempts: int = 1


@dataclass
class PushReport:
    endpoint: str
    results: list[GraphPush] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pushed(self) -> list[GraphPush]:
        return [r for r in self.results if r.status == "pushed"]

    @property
    def refused(self) -> list[GraphPush]:
        return [r for r in self.results if r.status == "refused"]

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        triples = sum(r.triples for r in self.pushed)
        text = (f"pushed {len(self.pushed)} of {len(self.results)} graphs ({triples} triples) "
                f"to {self.endpoint} in {self.seconds:.1f} s")
        return text + (f"; {len(self.refused)} refused" if self.refused else "")


def graph_url(endpoint: str, graph: NamedNode | None) -> str:
    """The Graph Store address of ``graph`` (None: the default graph) at ``endpoint``."""
    query = "default" if graph is None else urllib.parse.urlencode({"graph": graph.value})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _graphs_to_push(oxigraph_store, graphs: Iterable[NamedNode] | None) -> list[NamedNode | None]:
    if graphs:
        return list(dict.fromkeys(graphs))
    chosen: list[NamedNode | None] = []
    if next(iter(oxigraph_store.quads_for_pattern(None, None, None, DefaultGraph())), None) is not None:
        chosen.append(None)
    chosen += sorted((g for g in oxigraph_store.named_graphs()
                      if isinstance(g, NamedNode) and g != PENDING and not g.value.startswith(STAGING)),
                     key=lambda g: g.value)
    return chosen


def _spool(oxigraph_store, graph: NamedNode | None):
    """The graph as N-Triples in a temporary file (rewound); returns (file, triples, bytes)."""
    counted = [0]

    def triples():
        for quad in oxigraph_store.quads_for_pattern(None, None, None, DefaultGraph() if graph is None else graph):
            counted[0] += 1
            yield quad.triple

    spool = tempfile.TemporaryFile()
    try:
        pyoxigraph.serialize(triples(), spool, RdfFormat.N_TRIPLES)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool, counted[0], size


class _Connection:
    """One keep-alive HTTP(S) connection to the endpoint, reopened after an error."""

    def __init__(self, endpoint: str, timeout: float):
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"bad endpoint {endpoint!r} (expected http://HOST[:PORT]/PATH)")
        self.parts, self.timeout, self.connection = parts, timeout, None

    def request(self, method: str, url: str, body, headers: dict) -> tuple[int, str, str]:
        if self.connection is None:
            factory = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            self.connection = factory(self.parts.hostname, self.parts.port, timeout=self.timeout)
        target = urllib.parse.urlsplit(url)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read(4096).decode("utf-8", "replace")
            response.read()                     # drain, so the connection can be reused
            return response.status, response.reason, text
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _reason(status: int, reason: str, body: str) -> str:
    detail = " ".join(body.split())[:200]
    return f"HTTP {status} {reason}" + (f": {detail}" if detail else "")


def push(store, endpoint: str, graphs: Iterable[NamedNode] | None = None, *,
         user: str | None = None, password: str | None = None, retries: int = 4, backoff: float = 0.5,
         timeout: float = 120.0, on_graph: Callable[[GraphPush], object] | None = None) -> PushReport:
    """PUT every named graph of ``store`` (or the ``graphs`` given) to the Graph Store ``endpoint``.

    ``store`` is a KGStore or a pyoxigraph Store. ``on_graph`` is called with each graph's
    :class:`GraphPush` as soon as it is done. Raises :class:`PushError` when the endpoint cannot
    be reached after ``retries`` retries, turns the request away, or refuses every graph.
    """
    oxigraph_store = getattr(store, "store", store)
    headers = {"Content-Type": CONTENT_TYPE}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    connection = _Connection(endpoint, timeout)
    report = PushReport(endpoint)
    started = time.monotonic()
    try:
        for graph in _graphs_to_push(oxigraph_store, graphs):
            result = _push_graph(connection, oxigraph_store, endpoint, graph, headers, retries, backoff)
            report.results.append(result)
            if on_graph is not None:
                on_graph(result)
    finally:
        connection.close()
        report.seconds = time.monotonic() - started
    if report.results and not report.pushed:
        first = report.refused[0]
        raise PushError(f"{endpoint} refused all {len(report.results)} graphs "
                        f"(first: {first.graph}: {first.message})")
    return report


def _push_graph(connection, oxigraph_store, endpoint, graph, headers, retries, backoff) -> GraphPush:
    name = "default" if graph is None else graph.value
    url = graph_url(endpoint, graph)
    spool, triples, size = _spool(oxigraph_store, graph)
    with spool:
        for attempt in range(1, retries + 2):
            spool.seek(0)
            try:
                status, reason, body = connection.request(
                    "PUT", url, spool, {**headers, "Content-Length": str(size)})
            except (OSError, http.client.HTTPException) as exc:
                if attempt > retries:
                    why = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
                    raise PushError(f"cannot reach {endpoint}: {why} (tried {attempt} times)") from None
                time.sleep(backoff * 2 ** (attempt - 1))
                continue
            if 200 <= status < 300:
                return GraphPush(name, "pushed", triples, status, attempts=attempt)
            if status in ENDPOINT_STATUSES:
                raise PushError(f"{endpoint} turned the push away: {ENDPOINT_STATUSES[status]} "
                                f"({_reason(status, reason, body)})")
            if status >= 500 and attempt <= retries:
                time.sleep(backoff * 2 ** (attempt - 1))
                continue
            return GraphPush(name, "refused", triples, status, _reason(status, reason, body), attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def password_from_env(variable: str | None) -> str | None:
    """The password held by environment variable ``variable`` (never given on the command line)."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise UsageError(f"--password-env {variable}: the environment variable {variable} is not set")
    return value
