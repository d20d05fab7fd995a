"""Issue 1: metadata that is not text crashed ingest with a traceback.

A ``.meta.json`` holding ``"author": {"name": "X"}``, ``"url": 3.5``, ``"dateline": true`` or a
title with a lone surrogate (``"\\ud800"``, valid JSON) reached the extractor or the RDF literal
as is and raised AttributeError, TypeError or ValueError. Now each is one ``Error:`` line naming
the sidecar and the key (exit 1); numbers are taken as text.
"""

import json

import pytest

from kg.cli import cli
from kg.documents import document_from_text
from kg.errors import MetadataError

TEXT = "Leaders met in Vienna.\n"


@pytest.mark.parametrize(("meta", "message"), [
    ({"author": {"name": "X"}}, "metadata 'author' must be text, not an object"),
    ({"url": [3.5]}, "metadata 'url' must be text, not a list"),
    ({"dateline": True}, "metadata 'dateline' must be text, not a boolean"),
    ({"title": "\ud800"}, "metadata 'title' is not valid Unicode text (a lone surrogate)"),
])
def test_metadata_that_is_not_text_is_refused(runner, tmp_path, meta, message):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == f"Error: {tmp_path / 'a.meta.json'}: {message}\n"


def test_library_callers_get_the_same_error():
    with pytest.raises(MetadataError, match=r"^d: metadata 'publisher' must be text, not a list$"):
        document_from_text(TEXT, doc_id="d", meta={"publisher": ["A", "B"]})


def test_numbers_are_text():
    doc = document_from_text(TEXT, doc_id="d", meta={"id": 7, "title": 2024, "url": 3.5, "author": None})
    assert (doc.id, doc.title, doc.url, doc.author) == ("7", "2024", "3.5", None)
