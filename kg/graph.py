"""Facts to RDF: deterministic IRIs, one named graph per document, mentions and evidence.

This is the only module that turns extraction results into RDF terms. Every triple of a
document lands in the document's named graph (:func:`document_quads`); the store keeps the
entity triples once (:func:`split_document`, docs/graph-layout.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from .documents import Document
from .extract.model import DateValue, EntityRef, Extraction, Span, Value, document_key  # noqa: F401
from .terms import ID, INTERNAL_GRAPHS, KG, RDF, RDFS, SKOS, XSD, Namespace, entity_iri, graph_iri, slugify


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

    # A place that owns posts (a city's mayor and councillors) stands for its local government:
    # an Agent as well as a Place, as a Country is (kg:positionOf points to an Agent).
    post_owning_places = {fact.value.key for fact in extraction.facts
                          if fact.predicate == "positionOf" and isinstance(fact.value, EntityRef)
                          and getattr(extraction.entities.get(fact.value.key), "kind", None) == "Place"}
    for entity in extraction.entities.values():
        subject = node(entity.key)
        if subject != doc_node:
            yield q(subject, RDF.type, KG[entity.kind])
            if entity.key in post_owning_places:
                yield q(subject, RDF.type, KG.Agent)
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


# ---------------------------------------------------------------- the store's layout
#
# `document_quads` gives a self-contained document graph (what `kg extract` prints and the scorer
# reads). In the store, what is true of an entity is kept once: its description (type, label,
# aliases, role) and its extracted facts go to the shared entities graph, and the document's graph
# records each such triple it supports as a `kgx:supports` literal (the triple in N-Triples), so
# removing the last document that supports a triple removes the triple. See docs/graph-layout.md.

INTERNAL = "https://w3id.org/newskg/internal#"
KGX = Namespace(INTERNAL)
ENTITIES_GRAPH = NamedNode(INTERNAL_GRAPHS + "entities")
VALIDATED_GRAPH = NamedNode(INTERNAL_GRAPHS + "validated")
DESCRIPTION_PREDICATES = frozenset({RDF.type, RDFS.label, SKOS.altLabel, KG.role})
PER_DOCUMENT_CLASSES = frozenset({KG.Mention, KG.Evidence, KG.Statement})


@dataclass
class StoredDocument:
    """One document's quads as the store keeps them."""

    graph: NamedNode
    own: list[Quad]                 # the document's graph: its own nodes, support records, counts
    shared: list[Triple]            # entity triples it supports (kept once, in ENTITIES_GRAPH)
    supports: set[Literal]          # the support records' objects (one per shared triple)
    denoted: set[NamedNode]         # entities its mentions denote (their counts change with it)
    # what a bulk write reads without another pass over ``own``: its kg:contentHash quads (the last
    # ones of ``own``) and, for each entity, the IRIs of the mentions in ``own`` that denote it
    hashes: list[Quad] = field(default_factory=list)
    mentions: dict[NamedNode, set[str]] = field(default_factory=dict)


def support_literal(triple: Triple) -> Literal:
    return Literal(str(triple))


def support_triple(value: Literal) -> Triple:
    """The triple a support record names (its N-Triples form, read back)."""
    for quad in parse(input=(value.value + " .\n").encode("utf-8"), format=RdfFormat.N_TRIPLES):
        return quad.triple
    raise ValueError(f"not a support record: {value.value!r}")


def _count(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


# A document's sort key: an xsd:decimal that orders documents as their IRIs do, so that a query can
# sort documents by a number Oxigraph compares in place (it compares IRIs through its dictionary, two
# lookups per comparison: 2,476 document IRIs take ~100 ms to sort, their keys ~2 ms). The key is a
# function of the IRI alone (stable whatever else is stored): the first characters after
# id/document/ as digits in base 42, in the order of the characters; an IRI outside id/document/
# gets the lowest or the highest key. Equal keys (IRIs that agree on their first 23 characters) are
# left to the IRI: queries sort by ``?key ?document``, which is exactly ``?document``'s order.
DOCUMENT_IRI = ID + "document/"
_EXACT = "-" + "0123456789" + "abcdefghijklmnopqrstuvwxyz"
_BASE = 42
_KEY_CHARACTERS = 23                  # 42**23 + 2 < 10**38: an xsd:decimal (18 digits after the point)
_DIGIT = {c: d for c, d in zip(_EXACT, [2] + list(range(4, 14)) + list(range(15, 41)), strict=True)}


def _character_digit(c: str) -> tuple[int, bool]:
    """(digit, exact): the slug characters have a digit each; any other character shares one with
    its neighbours in code point order (below "-", between "-" and "0", between "9" and "a", after "z"),
    and the encoding stops after it, so that the key never contradicts the IRI order."""
    digit = _DIGIT.get(c)
    if digit is not None:
        return digit, True
    return (1 if c < "-" else 3 if c < "0" else 14 if c < "a" else 41), False


def document_sort_key(iri: str) -> Literal:
    """The ``kgx:sortKey`` of the document ``iri``: ``a < b`` implies ``key(a) <= key(b)``.

    >>> from decimal import Decimal
    >>> keys = [Decimal(document_sort_key(ID + "document/" + s).value) for s in ("a", "a-b", "a0", "b", "b" * 30)]
    >>> keys == sorted(keys) and len(set(keys)) == 5
    True
    """
    if not iri.startswith(DOCUMENT_IRI):
        n = 0 if iri < DOCUMENT_IRI else _BASE ** _KEY_CHARACTERS + 1
    else:
        n, stopped = 0, False
        rest = iri[len(DOCUMENT_IRI):]
        for i in range(_KEY_CHARACTERS):
            digit = 0
            if not stopped and i < len(rest):
                digit, exact = _character_digit(rest[i])
                stopped = not exact
            n = n * _BASE + digit
        n += 1
    return Literal(f"{n // 10**18}.{n % 10**18:018d}", datatype=XSD.decimal)


def _document_nodes(quads: list[Quad]):
    """The document's own nodes (its mentions and statements apart), its node (the subject of
    ``kg:contentHash``) and the (s, p, o) of the facts its ``kg:Evidence`` nodes support."""
    own_nodes: set = set()
    mentions: set = set()
    statements: set = set()
    doc_node = None
    evidence: dict = {}
    rdf_type, content_hash = RDF.type, KG.contentHash
    for q in quads:
        p = q.predicate
        if p == rdf_type and q.object in PER_DOCUMENT_CLASSES:
            own_nodes.add(q.subject)
            if q.object == KG.Mention:
                mentions.add(q.subject)
            elif q.object == KG.Statement:
                statements.add(q.subject)
        elif p == content_hash:
            doc_node = q.subject
            own_nodes.add(q.subject)
        elif p in _REIFICATION:
            evidence.setdefault(q.subject, {})[p] = q.object
    facts = {(e[RDF.subject], e[RDF.predicate], e[RDF.object]) for e in evidence.values() if len(e) == 3}
    return own_nodes, mentions, statements, doc_node, facts


def split_document(graph: NamedNode, quads: Iterable[Quad]) -> StoredDocument:
    """Split a self-contained document graph into what its graph keeps and the entity triples.

    The document's own nodes are its document node (the subject of ``kg:contentHash``) and the
    nodes typed ``kg:Mention``, ``kg:Evidence`` or ``kg:Statement``: all their triples stay. Of
    the other subjects, the description triples (type, label, aliases, role) and the facts that
    the document supports with a ``kg:Evidence`` go to the entities graph; anything else stays.
    Triples with a blank node always stay (a blank node cannot be shared between graphs).
    Per-document counts (``kgx:containsMentions``, ``kgx:containsStatements``) are added when not zero,
    and every ``kg:Document`` of the graph (the document itself, documents it cites) gets its
    ``kgx:sortKey`` (:func:`document_sort_key`) as an entity triple.
    """
    quads = [q if q.graph_name == graph else Quad(q.subject, q.predicate, q.object, graph) for q in quads]
    own_nodes, mentions, statements, doc_node, facts = _document_nodes(quads)
    rdf_type = RDF.type
    own, shared, seen, hashes = [], [], set(), []
    denoted, denoting = set(), {}
    denotes, document, sort_key = KG.denotes, KG.Document, KGX.sortKey    # terms looked up once: a hot loop
    content_hash = KG.contentHash
    for q in quads:
        s, p, o = q.subject, q.predicate, q.object
        said = p == denotes and isinstance(o, NamedNode)
        if said:
            denoted.add(o)
        if p == rdf_type and o == document and isinstance(s, NamedNode):
            # every document's sort key, its own included, kept once in the entities graph
            key = Triple(s, sort_key, document_sort_key(s.value))
            if key not in seen:
                seen.add(key)
                shared.append(key)
        if (s not in own_nodes and isinstance(s, NamedNode) and not isinstance(o, BlankNode)
                and (p in DESCRIPTION_PREDICATES or (s, p, o) in facts)):
            triple = q.triple
            if triple not in seen:
                seen.add(triple)
                shared.append(triple)
        elif p == content_hash:
            hashes.append(q)
        else:
            own.append(q)
            if said:
                denoting.setdefault(o, set()).add(s.value)
    supports = {support_literal(t) for t in shared}
    supported = KGX.supports
    own += [Quad(graph, supported, value, graph) for value in sorted(supports, key=lambda v: v.value)]
    if doc_node is not None:
        if mentions:
            own.append(Quad(doc_node, KGX.containsMentions, _count(len(mentions)), graph))
        if statements:
            own.append(Quad(doc_node, KGX.containsStatements, _count(len(statements)), graph))
    own += hashes
    return StoredDocument(graph, own, shared, supports, denoted, hashes, denoting)


_REIFICATION = frozenset({RDF.subject, RDF.predicate, RDF.object})
BOOKKEEPING = frozenset({KGX.supports, KGX.containsMentions, KGX.containsStatements, KGX.sortKey})


def assemble_document(graph: NamedNode, stored: Iterable[Quad]) -> list[Quad]:
    """The self-contained document graph back from what the store keeps in ``graph``."""
    quads = []
    for q in stored:
        if q.predicate == KGX.supports:
            t = support_triple(q.object)
            if t.predicate not in BOOKKEEPING:
                quads.append(Quad(t.subject, t.predicate, t.object, graph))
        elif q.predicate not in BOOKKEEPING:
            quads.append(q)
    return quads


def entity_count_quads(entity: NamedNode, mentions: int, documents: int) -> list[Quad]:
    if not mentions:
        return []
    return [Quad(entity, KGX.mentionCount, _count(mentions), ENTITIES_GRAPH),
            Quad(entity, KGX.documentCount, _count(documents), ENTITIES_GRAPH)]
