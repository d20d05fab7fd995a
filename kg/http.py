"""One HTTP request with retries, for the Wikidata API client (kg.link) and the SPARQL client (kg.reconcile).

:func:`fetch` sends a request until it gets an answer: 429, 5xx, timeouts and network errors are retried
with exponential backoff (a ``Retry-After`` header wins, every wait is capped at ``max_wait``), no retry
starts after an overall ``deadline``, and the body is read under one deadline for the whole of it. Other
HTTP errors raise :class:`Refused` at once; when the attempts run out :class:`Exhausted` says why. The
caller turns both into its one-line error and may ask for another attempt from ``accept`` by raising
:class:`Retry` (the Wikidata API's ``maxlag`` answer). ``sleep`` and ``clock`` are injectable so tests do
not wait.

>>> retry_after({"Retry-After": "3"})
3.0
"""

from __future__ import annotations

import math
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TypeVar

MAX_RESPONSE = 20_000_000  # bytes of one answer

T = TypeVar("T")


class Refused(Exception):
    """An HTTP error that is not worth retrying (4xx other than 429)."""

    def __init__(self, code: int, reason: str, detail: str = ""):
        super().__init__(f"HTTP {code} {reason}")
        self.code, self.reason, self.detail = code, reason, detail


class Exhausted(Exception):
    """No answer after the retries or before the deadline; ``failure`` is the last reason."""

    def __init__(self, failure: str, attempts: int = 0):
        super().__init__(failure)
        self.failure, self.attempts = failure, attempts


class Retry(Exception):
    """Raised by ``accept`` to ask for another attempt, after ``wait`` seconds if given."""

    def __init__(self, failure: str, wait: float | None = None):
        super().__init__(failure)
        self.failure, self.wait = failure, wait


def fetch(request: urllib.request.Request, *, accept: Callable[[bytes, object], T], timeout: float,
          retries: int, backoff: float = 1.0, max_wait: float = math.inf, deadline: float | None = None,
          before: Callable[[], object] | None = None,
          sleep: Callable[[float], object] = time.sleep, clock: Callable[[], float] = time.monotonic) -> T:
    """What ``accept(body, headers)`` makes of the first answer, trying ``retries + 1`` times at most.

    ``before`` runs just before each attempt (a politeness interval, a request counter). With a
    ``deadline`` (seconds from now) no wait runs past it and each request's timeout shrinks to fit.
    """
    give_up = clock() + deadline if deadline is not None else math.inf
    failure, wait, attempts = "", None, 0
    for attempt in range(retries + 1):
        if attempt:
            pause = min(max_wait, wait if wait is not None else backoff * 2 ** (attempt - 1))
            if clock() + pause >= give_up:
                failure += f"; gave up at the {deadline:g} s deadline"
                break
            sleep(pause)
        if before is not None:
            before()
        attempts += 1
        wait = None
        limit = max(0.1, min(timeout, give_up - clock()))
        try:
            with urllib.request.urlopen(request, timeout=limit) as response:
                body = read_within(response, limit)
                headers = response.headers
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines() if exc.fp else []
            exc.close()
            if exc.code != 429 and exc.code < 500:
                raise Refused(exc.code, str(exc.reason), detail[0][:200] if detail else "") from None
            failure, wait = f"HTTP {exc.code}", retry_after(exc.headers)
            continue
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            failure = "timed out" if isinstance(reason, TimeoutError) else f"network error: {reason}"
            continue
        try:
            return accept(body, headers)
        except Retry as again:
            failure, wait = again.failure, again.wait
    raise Exhausted(failure, attempts)


def read_within(response, seconds: float) -> bytes:
    """The body, read in pieces under one deadline for the whole of it.

    A socket timeout bounds each read only, so a server that sends one byte every few seconds
    would never trip it; this raises TimeoutError once the answer as a whole is late.
    """
    deadline = time.monotonic() + seconds
    parts, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the answer took more than {seconds:g} s")
        part = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
        if not part:
            return b"".join(parts)
        parts.append(part)
        size += len(part)
        if size > MAX_RESPONSE:
            raise TimeoutError(f"the answer is larger than {MAX_RESPONSE:,} bytes")


def retry_after(headers) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP date)."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class Client:
    """What both clients hold: the identity they send, their retry policy, injectable ``sleep`` and
    ``clock``, and the count of requests sent (retries included); :meth:`send` is :func:`fetch` with them."""

    def __init__(self, *, user_agent: str, timeout: float, retries: int, backoff: float,
                 max_wait: float = math.inf, deadline: float | None = None,
                 sleep: Callable[[float], object] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.deadline = deadline
        self._sleep = sleep
        self._clock = clock
        self.requests = 0

    def send(self, request: urllib.request.Request, accept: Callable[[bytes, object], T],
             before: Callable[[], object] | None = None) -> T:
        """``fetch`` with this client's policy; ``before`` runs before every attempt, which is counted."""
        def counted() -> None:
            if before is not None:
                before()
            self.requests += 1

        return fetch(request, accept=accept, timeout=self.timeout, retries=self.retries, backoff=self.backoff,
                     max_wait=self.max_wait, deadline=self.deadline, before=counted, sleep=self._sleep,
                     clock=self._clock)
