"""Issue 3: some malformed sidecars escaped as tracebacks instead of one error line.

``[[[[…`` nested 100 000 deep raised RecursionError, a 5 000-digit number ValueError, a
``NAME.meta.json`` that is a directory IsADirectoryError; a sidecar in Windows-1252 gave
Python's decoder message. Each is now a MetadataError naming the sidecar.
"""

import sys

import pytest

from kg.documents import read_document
from kg.errors import MetadataError


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b"[" * 100_000), "malformed JSON (nested too deeply)"),
    pytest.param(lambda p: p.write_bytes(b'{"title": ' + b"9" * 5000 + b"}"), "malformed JSON (Exceeds the limit",
                 marks=pytest.mark.skipif(not hasattr(sys, "get_int_max_str_digits"),
                                          reason="Python without a limit on integer digits")),
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: p.write_bytes(b'\xef\xbb\xbf{"title": "Caf\xe9"}'), "not UTF-8 (invalid byte 0xe9 at offset 17)"),
], ids=["nested", "huge-number", "directory", "windows-1252"])
def test_sidecar_errors_name_the_sidecar(tmp_path, make, message):
    (tmp_path / "a.txt").write_text("Leaders met in Vienna.\n", encoding="utf-8")
    make(tmp_path / "a.meta.json")
    with pytest.raises(MetadataError) as error:
        read_document(tmp_path / "a.txt")
    assert str(error.value).startswith(f"{tmp_path / 'a.meta.json'}: {message}")
    assert "\n" not in str(error.value)
