"""Progress of long commands: a bar on a terminal, a rare plain line in logs, nothing when quiet.

The library reports progress through callbacks (``on_result`` of :func:`kg.pipeline.ingest_paths`,
``on_graph`` of :func:`kg.push.push` …); the CLI feeds them to a :class:`Progress`, which picks
its shape from the stream it writes to (standard error):

- a terminal: a tqdm bar with the count, the rate and the time left, shown once the work has
  lasted ``delay`` seconds (short commands never show one) and cleared when done;
- anything else (a log file, CI, a pipe): one plain line every ``interval`` seconds at most, and
  none at all for work shorter than that, so logs stay as they were;
- ``quiet``: nothing.

``KG_PROGRESS_DELAY`` and ``KG_PROGRESS_INTERVAL`` (seconds) override the two defaults.

>>> import io
>>> clock = iter(range(0, 100, 4)).__next__
>>> log = io.StringIO()
>>> with Progress("ingest", total=5, unit="document", stream=log, interval=10, clock=clock) as progress:
...     for _ in range(5):
...         progress.advance()
>>> print(log.getvalue(), end="")
ingest: 3/5 documents (60%), 0.25/s, about 8 s left
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable

DEFAULT_DELAY = 1.0         # seconds before a bar appears on a terminal
DEFAULT_INTERVAL = 30.0     # seconds between two plain lines


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= 0 and value == value and value != float("inf") else default


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _plural(unit: str, count: float) -> str:
    return unit if count == 1 or unit.endswith("s") else unit + "s"


class Progress:
    """Count ``advance()`` calls towards ``total`` (None when unknown) and show it on ``stream``."""

    def __init__(self, description: str, total: int | None = None, *, unit: str = "item", quiet: bool = False,
                 stream=None, terminal: bool | None = None, delay: float | None = None,
                 interval: float | None = None, unit_scale: bool = False,
                 clock: Callable[[], float] = time.monotonic):
        self.description = description
        self.total = total
        self.unit = unit
        self.count = 0
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.interval = _seconds("KG_PROGRESS_INTERVAL", DEFAULT_INTERVAL) if interval is None else interval
        self.started = clock()
        self.last_line = self.started
        self.bar = None
        self.quiet = quiet
        if quiet:
            return
        if terminal if terminal is not None else _is_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=description, unit=f" {unit}s" if not unit_scale else unit,
                            unit_scale=unit_scale, file=self.stream, leave=False,
                            delay=_seconds("KG_PROGRESS_DELAY", DEFAULT_DELAY) if delay is None else delay,
                            mininterval=0.2)

    def advance(self, amount: int = 1) -> None:
        self.count += amount
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(amount)
            return
        now = self.clock()
        if now - self.last_line >= self.interval:
            self.last_line = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.count / elapsed
        done = f"{self.count:,}"
        if self.total:
            done += f"/{self.total:,} {_plural(self.unit, self.total)} ({100 * self.count // self.total}%)"
        else:
            done += f" {_plural(self.unit, self.count)}"
        text = f"{self.description}: {done}, {rate:,.2f}/s"
        if self.total and rate > 0 and self.count < self.total:
            text += f", about {_duration((self.total - self.count) / rate)} left"
        return text

    @contextlib.contextmanager
    def paused(self):
        """Write something else to the terminal (a result line) without tearing the bar."""
        if self.bar is None:
            yield
            return
        self.bar.clear()
        try:
            yield
        finally:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class CountingWriter:
    """A binary stream that reports what passes through it: lines (``unit="quad"``) or bytes."""

    def __init__(self, stream, progress: Progress, *, lines: bool):
        self.stream = stream
        self.progress = progress
        self.lines = lines

    def write(self, data) -> int:
        written = self.stream.write(data)
        self.progress.advance(bytes(data).count(b"\n") if self.lines else len(data))
        return written

    def __getattr__(self, name):
        return getattr(self.stream, name)
