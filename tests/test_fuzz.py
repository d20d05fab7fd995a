"""Property-based tests (hypothesis): any text, any name and any metadata give valid RDF or a clean error.

Arbitrary Unicode (right-to-left scripts, combining marks, emoji, control and format characters;
lone surrogates cannot be encoded and are left out) goes through the whole path a document takes:
``document_from_text`` → ``extract`` → ``document_quads``. The result is either a
:class:`kg.errors.DocumentError` (nothing left after cleaning) or quads that pyoxigraph writes as
N-Quads, rdflib reads back to the same number of quads, and whose IRIs are all well formed.

Examples are few and small (the spaCy model is loaded once per process) so the suite stays fast.
"""

from __future__ import annotations

import io
import re

import pytest
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, RdfFormat, serialize

from kg.documents import META_KEYS, document_from_text, read_document
from kg.errors import DocumentError, KGError

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# RFC 3987 with the characters an IRI may not hold left out: spaces, controls, <>"{}|\^` .
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff]+")
# The IRIs newskg mints itself: ASCII slugs only.
NEWSKG_IRI = re.compile(
    r"https://w3id\.org/newskg/(ontology#[A-Za-z]+|id/[a-z]+/[a-z0-9][a-z0-9-]*|graph/[a-z0-9][a-z0-9-]*)")

# Every kind of character a news text may carry, surrogates (unencodable) excepted.
any_char = st.characters(
    categories=["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
                "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Co"])
special = st.sampled_from([
    "\u202e", "\u200f", "\u200b", "\ufeff", "\u0301", "\u0336", "\U0001f600", "\U0001f1f0\U0001f1ff",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\x00", "\x07", "\x1b[31m", "\r", "\t", "\x85",
    "\u2028", "\u2029", "\n\n", "“", "”", "\"", "'", "’", "<", ">", "\\", "{", "}", "#", "%20", "&amp;",
])
words = st.sampled_from([
    "President", "Jane", "Roe", "of", "Freedonia", "said", "that", "peace", "matters", "Forum", "Summit",
    "Astana", "Minister", "Foreign", "Affairs", "United", "Nations", "(UN)", "on", "July", "16,", "2023",
    "the", "at", "in", "told", "he", "she", ".", ",", "“", "”", "Kazakhstan", "Secretary", "General",
])
token = st.one_of(words, words, st.text(any_char, min_size=1, max_size=6), special)
article_text = st.lists(token, min_size=1, max_size=40).map(" ".join) | st.text(any_char, max_size=60)
name = st.text(any_char, max_size=20) | st.lists(st.one_of(words, special), max_size=4).map(" ".join)


def nquads(quads) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS) or b""


def reparsed_count(data: bytes) -> int:
    dataset = rdflib.Dataset()
    dataset.parse(io.BytesIO(data), format="nquads")
    return sum(1 for _ in dataset.quads((None, None, None, None)))


def iris(quads):
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, NamedNode):
                yield term.value


def check_graph(doc):
    """Extract ``doc`` and check its quads: they round-trip and every IRI is well formed."""
    from kg.pipeline import extract_quads

    quads = extract_quads(doc)
    assert quads
    data = nquads(quads)
    assert reparsed_count(data) == len(set(quads))
    for iri in iris(quads):
        assert IRI.fullmatch(iri), iri
        if iri.startswith("https://w3id.org/newskg/"):
            assert NEWSKG_IRI.fullmatch(iri), iri
    assert {q.graph_name for q in quads} == {NamedNode("https://w3id.org/newskg/graph/" + _slug(doc.id))}
    return quads


def _slug(doc_id):
    from kg.terms import slugify

    return slugify(doc_id)


@SETTINGS
@given(text=article_text, doc_id=name, title=name, author=name)
@example(text="\u202ePresident Jane Roe\u202c said “peace\u0301 matters” \U0001f600", doc_id="\u05e9\u05dc\u05d5\u05dd",
         title="\x00", author="\u200b")
@example(text="President J\u0336ane \x1b[31mRoe of Freedonia said that peace matters.", doc_id="<>\"{}",
         title="a\nb", author="\\")
def test_any_text_and_names_give_valid_rdf(text, doc_id, title, author):
    try:
        doc = document_from_text(text, doc_id=doc_id or "d", meta={"title": title, "author": author})
    except DocumentError:
        return
    check_graph(doc)


scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), name,
                   st.sampled_from(["2023-07-16", "2023-02-30", "2023-07-16T10:00:00Z", "0000-01-01", "16/07/2023",
                                    "9999-12-31", "", " ", "http://example.org/a b", "javascript:alert(1)"]))
metadata = st.dictionaries(st.sampled_from(META_KEYS + ("notes", "extra")),
                           st.one_of(scalar, st.lists(scalar, max_size=2), st.dictionaries(name, scalar, max_size=2)),
                           max_size=6)


@SETTINGS
@given(meta=metadata)
@example(meta={"author": {"a": 1}})
@example(meta={"url": 3.5, "dateline": True, "publisher": []})
@example(meta={"title": "\ud800"})
@example(meta={"id": ["x"], "date": 20230716})
def test_any_metadata_is_accepted_or_refused_cleanly(meta):
    try:
        doc = document_from_text("President Jane Roe of Freedonia said that peace matters.", doc_id="d", meta=meta)
    except KGError:
        return
    check_graph(doc)


@SETTINGS
@given(sidecar=st.one_of(st.binary(max_size=40), st.text(any_char, max_size=40).map(str.encode),
                         metadata.map(lambda m: __import__("json").dumps(m).encode())))
@example(sidecar=b'{"title": "\\ud800"}')
@example(sidecar=b"\xef\xbb\xbf{}")
def test_any_sidecar_bytes_are_read_or_refused_cleanly(tmp_path_factory, sidecar):
    folder = tmp_path_factory.mktemp("sidecar")
    (folder / "a.txt").write_text("President Jane Roe of Freedonia said that peace matters.", encoding="utf-8")
    (folder / "a.meta.json").write_bytes(sidecar)
    try:
        doc = read_document(folder / "a.txt")
    except KGError as exc:
        assert "a.meta.json" in str(exc) or "a.txt" in str(exc)
        return
    check_graph(doc)
