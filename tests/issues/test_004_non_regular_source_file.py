"""Issue 4: a named pipe given as a source blocked ingest forever; an unreadable file crashed it.

``kg ingest pipe.txt`` on a FIFO waited for a writer that never came; a file that cannot be
read (permissions, I/O error) raised OSError with a traceback. Both are now one error line.
"""

import os
import signal
from pathlib import Path

import pytest

from kg.documents import read_document
from kg.errors import DocumentError


def test_fifo_is_refused(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def blocked(signum, frame):
        raise AssertionError("reading the FIFO blocked")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(10)
    try:
        with pytest.raises(DocumentError, match=r"pipe\.txt: not a regular file$"):
            read_document(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_unreadable_file_is_one_error(tmp_path, monkeypatch):
    source = tmp_path / "locked.txt"
    source.write_text("Leaders met in Vienna.\n", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(DocumentError, match=r"locked\.txt: cannot read \(Permission denied\)$"):
        read_document(source)
