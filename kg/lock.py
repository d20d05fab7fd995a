"""Who may use a store: any number of readers, or one writer — across processes.

Oxigraph's own lock (RocksDB's ``LOCK`` file) admits one read-write process and says nothing
to read-only opens, and Oxigraph calls reading while another process writes undefined
behaviour. So newskg keeps its own advisory lock beside the store, ``STORE.lock``, taken with
``flock``: shared by readers (``kg query``, ``stats``, ``export``, ``serve`` read-only …),
exclusive by writers (``ingest``, ``build``, ``link``, ``restore``, ``serve --writable``).
The file sits beside the store, not inside it, so that ``kg restore`` can hold it while it swaps
one store directory for another.

Locks are re-entrant within a process (``kg build`` opens the store, then a helper opens it
again) and never wait: a held store is an immediate, clear error.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     store = pathlib.Path(d) / "store"
...     with StoreLock(store, shared=True), StoreLock(store, shared=True):
...         held = StoreLock.held(store)
...     (held, StoreLock.held(store))
('shared', None)
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: Oxigraph's own lock is all there is
    fcntl = None

from .errors import StoreError, StoreLockedError

# path of the lock file -> [open file, mode ("shared"/"exclusive"), depth, exclusive holders]
_HELD: dict[str, list] = {}


def lock_path(store_path: str | Path) -> Path:
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".lock")


def in_use(store_path) -> StoreLockedError:
    return StoreLockedError(f"store {store_path} is in use by another process (close it and retry)")


class StoreLock:
    """Hold the store at ``store_path`` shared (reading) or exclusive (writing) until released."""

    def __init__(self, store_path: str | Path, *, shared: bool):
        self.store_path = Path(store_path)
        self.shared = shared
        self._key: str | None = None

    @staticmethod
    def held(store_path: str | Path) -> str | None:
        """How this process holds the store: "shared", "exclusive" or None."""
        entry = _HELD.get(str(lock_path(store_path).absolute()))
        return entry[1] if entry else None

    def acquire(self) -> StoreLock:
        if fcntl is None:
            return self
        path = lock_path(self.store_path)
        key = str(path.absolute())
        entry = _HELD.get(key)
        if entry is not None:
            if entry[1] == "shared" and not self.shared:
                self._flock(entry[0], exclusive=True)       # upgrade: fails if others read
                entry[1] = "exclusive"
            entry[2] += 1
            entry[3] += 0 if self.shared else 1
            self._key = key
            return self
        handle = self._open(path)
        if handle is None:       # a read-only place nobody can write to: nothing to guard against
            return self
        try:
            self._flock(handle, exclusive=not self.shared)
        except BaseException:
            os.close(handle)
            raise
        _HELD[key] = [handle, "shared" if self.shared else "exclusive", 1, 0 if self.shared else 1]
        self._key = key
        return self

    def _open(self, path: Path) -> int | None:
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except FileNotFoundError:
            if self.shared:
                return None
            raise StoreError(f"cannot lock store {self.store_path}: {path.parent} does not exist") from None
        except OSError as exc:
            if not self.shared:
                raise StoreError(f"cannot lock store {self.store_path}: {exc.strerror or exc}") from None
            try:
                return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return None

    def _flock(self, handle: int, *, exclusive: bool) -> None:
        try:
            fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise in_use(self.store_path) from None

    def release(self) -> None:
        key, self._key = self._key, None
        entry = _HELD.get(key) if key else None
        if entry is None:
            return
        entry[2] -= 1
        entry[3] -= 0 if self.shared else 1
        if entry[2] == 0:
            del _HELD[key]
            os.close(entry[0])      # closing the descriptor releases the flock
        elif entry[3] == 0 and entry[1] == "exclusive":
            # the writer inside a reader is done (recovery at open): let other readers in again
            fcntl.flock(entry[0], fcntl.LOCK_SH)
            entry[1] = "shared"

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def check_no_foreign_writer(store_path: str | Path) -> None:
    """Refuse to read a store that a process outside newskg holds open for writing.

    Such a process (a plain ``pyoxigraph.Store(path)``, an ``oxigraph serve``) holds RocksDB's
    ``LOCK`` file with a POSIX record lock, which a test lock of our own reveals. POSIX locks
    belong to the process and closing any descriptor of the file drops them all, so this is
    only done when this process does not hold the store itself.
    """
    if fcntl is None or StoreLock.held(store_path) == "exclusive":
        return
    try:
        handle = os.open(Path(store_path) / "LOCK", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        raise in_use(store_path) from None
    finally:
        os.close(handle)
