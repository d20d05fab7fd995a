"""The front of ``kg serve``: newskg's pages, and the SPARQL protocol forwarded to Oxigraph.

Routes of the public port:

- ``/`` the index: saved queries (each opens in the query page) and the entities by class;
- ``/ui`` Oxigraph's query page (YASGUI), its endpoint pointed at this server;
- ``/entity/{type}/{slug}`` an entity: HTML, or its description as Turtle or JSON-LD when the
  client's ``Accept`` asks for RDF (``text/turtle``, ``application/ld+json``), or with a
  ``.ttl`` / ``.jsonld`` / ``.html`` suffix;
- ``/id/{type}/{slug}`` 303 See Other to the entity page: ``https://w3id.org/newskg/id/…`` IRIs
  resolve here once ``/newskg/id/`` points at this server;
- ``/query``, ``/update``, ``/sparql`` the SPARQL protocol: the text is checked by
  :func:`kg.sparql_guard.check_nesting` (400 and one line when refused) and the body size capped
  (413), then forwarded; anything else (``/store``, the query page's scripts) is forwarded as is.

>>> negotiate("text/turtle;q=0.9, text/html;q=0.5")
'turtle'
>>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
'html'
>>> negotiate("application/ld+json"), negotiate(""), negotiate("application/n-triples")
('jsonld', 'html', 'ntriples')
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pyoxigraph import RdfFormat, Variable, serialize

from ..errors import KGError, QueryError
from ..explain import explain
from ..export import jsonld_bytes
from ..queries import load_catalogue
from ..sparql_guard import check_nesting
from . import pages
from .remote import RemoteStore

MAX_SPARQL_BODY = 1_000_000          # bytes of a query or update (kg.sparql_guard refuses longer text too)
MAX_UPLOAD_BODY = 1 << 30            # bytes sent to /store (a writable server's Graph Store protocol)
DRAIN_LIMIT = 16_000_000              # bytes of an over-long body still read, so that its sender gets the 413
SPARQL_PATHS = ("/query", "/update", "/sparql")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "server", "date"}
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'"
_MEDIA = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "turtle",
          "application/x-turtle": "turtle", "application/ld+json": "jsonld", "application/json": "jsonld",
          "application/n-triples": "ntriples"}
_SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".html": "html"}
_CONTENT_TYPES = {"turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
                  "ntriples": "application/n-triples", "html": "text/html; charset=utf-8"}
_ENTITY = re.compile(r"/(entity|id)/([^/?#]+)/([^/?#]+?)(\.ttl|\.jsonld|\.nt|\.html)?")
# Oxigraph's page computes its endpoint from its own address; served at /ui it must use the origin.
_UI_ENDPOINT = re.compile(r"const url = window\.location\.href[^;\n]*;")


def negotiate(accept: str | None) -> str:
    """html, turtle, jsonld or ntriples for an ``Accept`` header (HTML unless RDF is preferred)."""
    best, best_q = "html", 0.0
    for item in (accept or "").split(","):
        media, *params = [part.strip() for part in item.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = _MEDIA.get(media.lower())
        # Equal preference: the first listed wins, and HTML wins over RDF only when listed first.
        if kind and q > best_q:
            best, best_q = kind, q
    return best


class FrontServer(ThreadingHTTPServer):
    """The public HTTP server of ``kg serve``; ``backend`` is Oxigraph's loopback (host, port)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, backend: tuple[str, int], *, timeout: float, store_name: str):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.backend = backend
        self.forward_timeout = timeout + 30          # Oxigraph stops a query itself after `timeout`
        self.store_name = store_name
        self.remote = RemoteStore(f"http://{backend[0]}:{backend[1]}/query", timeout=timeout + 5)
        super().__init__(address, FrontHandler)


class FrontHandler(BaseHTTPRequestHandler):
    server: FrontServer
    server_version = "newskg"
    protocol_version = "HTTP/1.0"                    # one request per connection: simple and safe

    def log_message(self, format, *args):            # noqa: A002 - the base class's signature
        pass                                          # quiet like Oxigraph; errors reach the client

    # ------------------------------------------------------------ dispatch

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_OPTIONS(self):
        self._dispatch("OPTIONS")

    def _dispatch(self, method: str) -> None:
        try:
            path, _, query = self.path.partition("?")
            if method in ("GET", "HEAD") and path == "/":
                self._index(method)
            elif method in ("GET", "HEAD") and path == "/ui":
                self._query_page(method)
            elif method in ("GET", "HEAD") and _ENTITY.fullmatch(path):
                self._entity(method, _ENTITY.fullmatch(path))
            elif path in SPARQL_PATHS:
                self._sparql(method, query)
            else:
                self._forward(method, self._upload_body(method))
        except (BrokenPipeError, ConnectionResetError):
            pass
        except _Refused as refused:
            self._text(refused.status, refused.message)
        except Exception as exc:                      # a bug must not cost the client its answer
            self._text(500, f"Error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")

    # ------------------------------------------------------------ answers

    def _send(self, status: int, body: bytes, content_type: str, method: str = "GET", headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, line: str) -> None:
        self._send(status, (line.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _html(self, status: int, body: bytes, method: str, headers=()) -> None:
        self._send(status, body, "text/html; charset=utf-8", method,
                   [("Content-Security-Policy", PAGE_POLICY), ("X-Content-Type-Options", "nosniff"), *headers])

    # ------------------------------------------------------------ pages

    def _index(self, method: str) -> None:
        entities = pages.listed_of(self.server.remote.query(pages.ENTITIES))
        self._html(200, pages.index_html(load_catalogue(), entities, self.server.store_name), method)

    def _query_page(self, method: str) -> None:
        status, headers, body = self._backend_get("/")
        text = body.decode("utf-8", "replace")
        text = _UI_ENDPOINT.sub("const url = window.location.origin;", text, count=1)
        self._send(status, text.encode("utf-8"), headers.get("content-type", "text/html"), method)

    def _entity(self, method: str, match: re.Match) -> None:
        route, kind, slug, suffix = match.groups()
        iri = pages.entity_iri(kind, slug)
        if iri is None:
            raise _Refused(404, "Error: no entity page at this address")
        local = f"/entity/{kind}/{slug}"
        if route == "id":
            # Linked Data: the IRI names the thing, not a document; send the client to its description.
            self.send_response(303)
            self.send_header("Location", local + (suffix or ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        shape = _SUFFIXES[suffix] if suffix else negotiate(self.headers.get("Accept"))
        vary = [] if suffix else [("Vary", "Accept")]
        substitutions = {_ENTITY_VARIABLE: iri}
        if shape != "html":
            triples = self.server.remote.construct(pages.DESCRIPTION, substitutions)
            if not triples:
                raise _Refused(404, f"Error: nothing is known about {iri.value}")
            body = (pages.turtle(triples) if shape == "turtle" else jsonld_bytes(triples) if shape == "jsonld"
                    else serialize(triples, format=RdfFormat.N_TRIPLES))
            self._send(200, body, _CONTENT_TYPES[shape], method, vary)
            return
        try:
            explanation = explain(self.server.remote, iri.value)
        except QueryError as exc:
            if "nothing is known" not in str(exc):
                raise
            self._html(404, pages.message_html("Not found", f"Nothing is known about {iri.value}."), method, vary)
            return
        documents = pages.documents_of(self.server.remote.query(pages.DOCUMENTS, substitutions))
        self._html(200, pages.entity_html(pages.EntityPage(explanation, documents), local), method, vary)

    # ------------------------------------------------------------ the SPARQL protocol

    def _sparql(self, method: str, query_string: str) -> None:
        body = None
        texts = []
        if method == "POST":
            body = self._read_body(MAX_SPARQL_BODY)
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                texts += form.get("query", []) + form.get("update", [])
            else:
                texts.append(body.decode("utf-8", "replace"))
        elif len(query_string) > 3 * MAX_SPARQL_BODY:
            raise _Refused(414, "Error: request line too long")
        form = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        texts += form.get("query", []) + form.get("update", [])
        for text in texts:
            try:
                check_nesting(text)
            except KGError as exc:
                raise _Refused(400, f"Error: {exc}") from None
        self._forward(method, body)

    def _read_body(self, limit: int) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise _Refused(411, "Error: send the request body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Refused(400, "Error: bad Content-Length") from None
        if length < 0:
            raise _Refused(400, "Error: bad Content-Length")
        if length > limit:
            # Read (and drop) a body up to a few times the limit before answering: a server that
            # answers and closes while the client is still sending resets the connection, and the
            # client never sees the 413. Beyond that the connection is closed regardless.
            if length <= DRAIN_LIMIT:
                self._drain(length)
            self.close_connection = True
            raise _Refused(413, f"Error: request body too large ({length:,} bytes; limit {limit:,})")
        return self.rfile.read(length) if length else b""

    def _drain(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return
            length -= len(chunk)

    def _upload_body(self, method: str):
        if method not in ("POST", "PUT"):
            return None
        return self._read_body(MAX_UPLOAD_BODY)

    # ------------------------------------------------------------ forwarding

    def _backend(self) -> http.client.HTTPConnection:
        host, port = self.server.backend
        return http.client.HTTPConnection(host, port, timeout=self.server.forward_timeout)

    def _backend_get(self, path: str):
        connection = self._backend()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        except OSError as exc:
            raise _Refused(502, f"Error: the Oxigraph server is not answering ({exc})") from None
        finally:
            connection.close()

    def _forward(self, method: str, body: bytes | None) -> None:
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        connection = self._backend()
        try:
            try:
                connection.request(method, self.path, body=body, headers=headers)
                response = connection.getresponse()
            except OSError as exc:
                raise _Refused(502, f"Error: the Oxigraph server is not answering ({exc})") from None
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.end_headers()
            if method != "HEAD":
                shutil.copyfileobj(response, self.wfile, 64 * 1024)
        finally:
            connection.close()


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


_ENTITY_VARIABLE = Variable("entity")


def start(address: tuple[str, int], backend: tuple[str, int], *, timeout: float, store_name: str) -> FrontServer:
    """Bind the front server and serve it from a daemon thread; ``shutdown()`` stops it."""
    front = FrontServer(address, backend, timeout=timeout, store_name=store_name)
    threading.Thread(target=front.serve_forever, name="kg-serve-front", daemon=True).start()
    return front

