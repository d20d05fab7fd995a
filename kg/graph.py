"""Facts to RDF: deterministic IRIs, one named graph per document, mentions and evidence.

This is the only module that turns extraction results into RDF terms. Every triple of a
document lands in the document's named graph, so replacing that graph replaces the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from .documents import Document
from .extract.model import DateValue, EntityRef, Extraction, Span, Value, document_key  # noqa: F401
from .terms import ID, KG, RDF, RDFS, SKOS, XSD, entity_iri, graph_iri, slugify


def node(key: str) -> NamedNode:
    segment, _, slug = key.partition("/")
    return entity_iri(segment, slug)


def literal(value: Value) -> Literal:
    """A typed literal for a Python value.

    >>> literal(DateValue(2008)).datatype.value
    'http://www.w3.org/2001/XMLSchema#gYear'
    >>> literal(19800000).value
    '19800000'
    """
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(str(Decimal(str(value)).normalize()) if value % 1 else str(int(value)),
                       datatype=XSD.decimal)
    if isinstance(value, DateValue):
        return Literal(value.lexical, datatype=XSD[value.datatype])
    return Literal(str(value))


def term(value: Value) -> NamedNode | Literal:
    return node(value.key) if isinstance(value, EntityRef) else literal(value)


def _digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]


def confidence(value: float) -> Literal:
    return Literal(f"{max(0.0, min(1.0, value)):.2f}", datatype=XSD.decimal)


def document_quads(doc: Document, extraction: Extraction) -> Iterator[Quad]:
    """Every quad of one document, all in the document's named graph."""
    graph = graph_iri(doc.id)
    doc_node = node(document_key(doc))
    doc_slug = slugify(doc.id)
    text = doc.text

    def q(s, p, o):
        return Quad(s, p, o, graph)

    yield q(doc_node, RDF.type, KG.Document)
    yield q(doc_node, RDFS.label, Literal(doc.title or doc.id))
    if doc.title:
        yield q(doc_node, KG.title, Literal(doc.title))
    yield q(doc_node, KG.content, Literal(text))
    yield q(doc_node, KG.contentHash, Literal(doc.content_hash))
    yield q(doc_node, KG.language, Literal(doc.language))
    if doc.url:
        yield q(doc_node, KG.url, Literal(doc.url, datatype=XSD.anyURI))

    for entity in extraction.entities.values():
        subject = node(entity.key)
        if subject != doc_node:
            yield q(subject, RDF.type, KG[entity.kind])
            yield q(subject, RDFS.label, Literal(entity.label))
        for alias in sorted(entity.aliases - {entity.label}):
            yield q(subject, SKOS.altLabel, Literal(alias))
        if entity.role:
            yield q(subject, KG.role, Literal(entity.role))
        for mention in entity.mentions:
            mention_node = NamedNode(f"{ID}mention/{doc_slug}-{mention.span.begin}-{mention.span.end}")
            yield q(mention_node, RDF.type, KG.Mention)
            yield q(mention_node, KG.denotes, subject)
            yield q(mention_node, KG.source, doc_node)
            yield q(mention_node, KG.anchorOf, Literal(mention.text))
            yield from _offsets(q, mention_node, mention.span)

    for fact in extraction.facts:
        subject, predicate, obj = node(fact.subject), KG[fact.predicate], term(fact.value)
        yield q(subject, predicate, obj)
        evidence = NamedNode(f"{ID}evidence/{doc_slug}-{_digest(subject, predicate, obj, fact.sentence)}")
        yield q(evidence, RDF.type, KG.Evidence)
        yield q(evidence, RDF.subject, subject)
        yield q(evidence, RDF.predicate, predicate)
        yield q(evidence, RDF.object, obj)
        yield from _offsets(q, evidence, fact.sentence)
        yield from _support(q, evidence, doc_node, text, fact.sentence, fact.confidence, fact.method)

    for index, statement in enumerate(extraction.statements, 1):
        st = NamedNode(f"{ID}statement/{doc_slug}-{index}")
        yield q(st, RDF.type, KG.Statement)
        yield q(st, KG.speaker, node(statement.speaker))
        yield q(st, KG.text, Literal(statement.text))
        yield q(st, KG.isDirectQuote, literal(statement.is_direct_quote))
        if statement.stated_at:
            yield q(st, KG.statedAt, node(statement.stated_at))
        if statement.delivered_by:
            yield q(st, KG.deliveredBy, node(statement.delivered_by))
        if statement.date:
            yield q(st, KG.date, literal(statement.date))
        yield from _offsets(q, st, statement.span)
        yield from _support(q, st, doc_node, text, statement.sentence, statement.confidence, statement.method)


def _offsets(q, subject, span: Span):
    yield q(subject, KG.beginIndex, literal(span.begin))
    yield q(subject, KG.endIndex, literal(span.end))


def _support(q, subject, doc_node, text, sentence: Span, score: float, method: str):
    """Source document, supporting sentence, confidence and method of a fact or statement."""
    yield q(subject, KG.source, doc_node)
    yield q(subject, KG.sentence, Literal(text[sentence.begin:sentence.end]))
    yield q(subject, KG.confidence, confidence(score))
    yield q(subject, KG.method, Literal(method))


def source_file_quad(doc: Document, source: str) -> Quad:
    """Which file a stored document was read from (written at ingest, not by `kg extract`)."""
    return Quad(node(document_key(doc)), KG.sourceFile, Literal(source), graph_iri(doc.id))
