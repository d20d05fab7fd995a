"""A local stand-in for the Wikidata action API, so tests exercise the real HTTP client.

It serves ``wbsearchentities`` from the ``search-*.json`` files of this folder (keyed by their
``searchinfo.search``) and ``wbgetentities`` from ``entities.json``, on 127.0.0.1 and a free port.
A script can replace the answer to a given request by a list of replies (an HTTP 429, a 500, a
slow answer, malformed JSON…); each request takes the next reply and the last one repeats.
Every request is recorded, so a test can count them.

>>> with ReplayServer() as server:
...     status, body = _get(server.url + "?action=wbsearchentities&search=Georgia&format=json")
>>> status, [hit["id"] for hit in json.loads(body)["search"]][:2], len(server.requests)
(200, ['Q230', 'Q1428'], 1)
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent


@dataclass
class Reply:
    """One scripted answer. ``body`` None means the recorded answer; a str is sent as it is."""

    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def request_key(params: dict[str, str]) -> tuple[str, str]:
    """(action, term): the search text (case-folded) or the sorted ``|``-joined ids."""
    action = params.get("action", "")
    if action == "wbgetentities":
        return action, "|".join(sorted(params.get("ids", "").split("|")))
    return action, params.get("search", "").casefold()


class ReplayServer:
    """``with ReplayServer(script) as server:`` serves at ``server.url`` until the block ends.

    ``script`` maps a :func:`request_key` (or ``(action, "*")`` for every request of that action)
    to a list of :class:`Reply`.
    """

    def __init__(self, script: dict[tuple[str, str], list[Reply]] | None = None, fixtures: Path = FIXTURES):
        self.script = {key: list(replies) for key, replies in (script or {}).items()}
        self.requests: list[dict[str, str]] = []
        self.user_agents: list[str] = []
        self._lock = threading.Lock()
        self._searches = {}
        for path in sorted(fixtures.glob("search-*.json")):
            answer = json.loads(path.read_text(encoding="utf-8"))
            self._searches[answer["searchinfo"]["search"].casefold()] = answer
        self._entities = json.loads((fixtures / "entities.json").read_text(encoding="utf-8"))["entities"]

    def recorded(self, params: dict[str, str]) -> dict:
        action, term = request_key(params)
        if action == "wbsearchentities":
            return self._searches.get(term, {"searchinfo": {"search": params.get("search", "")},
                                             "search": [], "success": 1})
        if action == "wbgetentities":
            return {"entities": {qid: self._entities.get(qid, {"id": qid, "missing": ""})
                                 for qid in params.get("ids", "").split("|")}, "success": 1}
        return {"error": {"code": "badvalue", "info": f"Unrecognized value for parameter \"action\": {action}."}}

    def reply_for(self, params: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(params)
            key = request_key(params)
            replies = self.script.get(key) or self.script.get((key[0], "*"))
            if not replies:
                return Reply()
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def __enter__(self) -> ReplayServer:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                replay.user_agents.append(self.headers.get("User-Agent", ""))
                reply = replay.reply_for(params)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if reply.body is not None else replay.recorded(params)
                data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests): nothing to answer

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # do not wait for a deliberately slow reply at exit
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/w/api.php"
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def count(self, action: str | None = None) -> int:
        return sum(1 for p in self.requests if action is None or p.get("action") == action)


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")
