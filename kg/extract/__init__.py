"""Text to facts: spaCy for tokens, sentences and a first NER pass, then our own rules.

>>> from kg.documents import document_from_text
>>> doc = document_from_text("Leaders met.\\n\\nPresident Jane Roe of Freedonia said that peace matters.", doc_id="d")
>>> result = extract(doc)
>>> sorted(e.label for e in result.entities.values() if e.kind == "Person")
['Jane Roe']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..documents import Document
from ..nlp import load_model
from .context import Context
from .entities import build_entities, described_bodies
from .lexicon import lexicon, norm
from .model import DateValue, EntityRef, Extraction, Fact, Span
from .names import ORDINAL_RE, NameFinder, settle_kinds, title_match
from .posts import extract_posts
from .references import References
from .relations import extract_relations
from .rules import get as get_rule
from .rules import resolve, rule
from .statements import assign_reported_occasion, extract_statements

__all__ = ["extract", "extract_many", "extract_parsed", "parse_many"]


def _paragraph_breaks(doc):
    """Start a sentence after every blank line: news paragraphs never share a sentence.

    (After every token whose text holds a newline; a Doc's trailing whitespace is one space or none.
    Read and written as arrays: each distinct word is looked at once, and ``Token.is_sent_start``'s
    setter, which reads every token's dependency label on each call, is not used.)"""
    import numpy
    from spacy.attrs import ORTH, SENT_START

    words = doc.to_array(ORTH)
    strings = doc.vocab.strings
    breaks = [word for word in set(words.tolist()) if "\n" in strings[word]]
    if breaks:
        after = numpy.flatnonzero(numpy.isin(words[:-1], breaks)) + 1
        if len(after):
            starts = doc.to_array(SENT_START)
            starts[after] = 1
            doc.from_array([SENT_START], starts)
    return doc


def _pipeline(model: str | None):
    from spacy.language import Language

    nlp = load_model(model)
    if "kg_paragraphs" not in nlp.pipe_names:
        if "kg_paragraphs" not in Language.factories:
            Language.component("kg_paragraphs")(_paragraph_breaks)
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("kg_paragraphs", before=before) if before else nlp.add_pipe("kg_paragraphs", first=True)
    return nlp


def parse(nlp, text: str, chunk_chars: int = 100_000):
    """Parse ``text``; a long one in paragraph-aligned pieces joined back into one Doc."""
    if len(text) <= chunk_chars:
        return nlp(text)
    from spacy.tokens import Doc

    pieces, start = [], 0
    while start < len(text):
        end = text.rfind("\n\n", start, start + chunk_chars)
        end = len(text) if start + chunk_chars >= len(text) else (end + 2 if end > start else start + chunk_chars)
        pieces.append(text[start:end])
        start = end
    doc = Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)
    assert doc.text == text, "joined parse does not reproduce the text"
    return doc


def extract(document: Document, model: str | None = None) -> Extraction:
    nlp = _pipeline(model)
    return extract_parsed(document, parse(nlp, document.text))


def parse_many(documents, model: str | None = None, batch_size: int = 8):
    """spaCy Docs of many documents, in order, parsed in batches (long ones piece by piece)."""
    nlp = _pipeline(model)
    documents = list(documents)
    short = [d.text for d in documents if len(d.text) <= 100_000]
    parsed_short = iter(nlp.pipe(short, batch_size=batch_size))
    for document in documents:
        yield next(parsed_short) if len(document.text) <= 100_000 else parse(nlp, document.text)


def extract_many(documents, model: str | None = None, batch_size: int = 8):
    """Yield (document, extraction) pairs, parsing with spaCy's batched ``pipe`` (constant memory)."""
    nlp = _pipeline(model)
    pairs = ((document.text, document) for document in documents)
    for parsed, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield document, extract_parsed(document, parsed)


def _proposed_where_said(facts, statements) -> list[Fact]:
    """"He proposed establishing a joint working group" in what he said at the meeting: a proposal made in a
    statement is proposed at the occasion the statement was made at (when the sentence names none)."""
    rule = get_rule("proposed-at")
    placed = {f.subject for f in facts if f.predicate == "proposedAt"}
    out = []
    for fact in facts:
        if fact.predicate != "initiatedBy" or fact.subject in placed or not isinstance(fact.value, EntityRef):
            continue
        said = next((s for s in statements if s.speaker == fact.value.key and s.stated_at
                     and s.sentence.begin <= fact.sentence.begin < s.sentence.end), None)
        if said and said.stated_at != fact.subject:
            out.append(Fact(fact.subject, "proposedAt", EntityRef(said.stated_at), fact.sentence,
                            rule.confidence_of("where-said"), rule.name))
            placed.add(fact.subject)
    return out


def extract_parsed(document: Document, doc) -> Extraction:
    lex = lexicon()
    ctx = Context(document, doc, lex)
    table = ctx.table
    found_metadata = _metadata_entities(ctx)
    skip = found_metadata.skip
    finder = NameFinder(lex)
    spans = finder.chunks(doc, skip)
    if found_metadata.headline:
        # the headline is skipped (title case makes every word look like a name), but the countries and
        # places it names are the article's: "Sri Lanka's government doctors call off strike"
        spans = sorted(spans + finder.headline_places(doc, found_metadata.headline, spans), key=lambda s: s.start)
    spans = finder.split_leading_titles(doc, spans)
    finder.attach_acronyms(doc, spans)
    spans = finder.join_known(doc, spans, {norm(s.text) for s in spans if s.acronym})
    spans = _with_editions(doc, finder, spans)
    acronyms = {}
    for span in spans:
        if span.acronym:
            finder.type_span(doc, span, {})
            acronyms[span.acronym] = span
    for span in spans:
        if not span.acronym:
            finder.type_span(doc, span, acronyms)
    _surnames(doc, spans)
    _short_names(doc, spans)
    settle_kinds(doc, spans)
    _edition_prefixes(doc, spans)
    build_entities(doc, spans, table)
    described_bodies(doc, table)
    unnamed = get_rule("unnamed-event").function(ctx) + get_rule("lead-occasion").function(ctx) \
        + get_rule("proposed-body").function(ctx)
    ctx.index()
    metadata = metadata_facts(document, ctx.doc_key, found_metadata.links)
    posts = extract_posts(ctx)
    refs = References(ctx, posts)
    statements = extract_statements(ctx, refs)
    relations = extract_relations(ctx, refs)
    assign_reported_occasion(ctx, statements, [*unnamed, *relations])
    relations += _proposed_where_said(relations, statements)
    relations += get_rule("dateline-occasion").function(ctx, [*unnamed, *relations])
    facts = resolve([*metadata, *posts, *unnamed, *relations], table.entities)
    return Extraction(entities=table.entities, facts=facts, statements=statements)


def _edition_prefixes(doc, spans) -> None:
    """"the 2027 Rugby World Cup", "the next Andean Summit": a year or "next"/"last" before an event's
    name names one edition of it, an event of its own (the year is part of its name)."""
    for span in spans:
        if span.kind != "Event" or span.start < 2 or span.method == "edition":
            continue
        before = doc[span.start - 1]
        if re.fullmatch(r"(?:19|20)\d{2}", before.text) or before.lower_ in ("next", "last", "previous"):
            if doc[span.start - 2].lower_ in ("the", "a", "its", "this"):
                span.start -= 1
                span.text = doc[span.start:span.end].text
                span.label = f"{before.text} {span.label}" if span.label else None


def _surnames(doc, spans) -> None:
    """A lone "Diallo" is the person "Fatoumata Diallo" named elsewhere, whatever the model said."""
    parts = set()
    for span in spans:
        if span.kind == "Person" and span.end - span.start >= 2:
            words = doc[span.start:span.end].text.split()
            parts.update({words[0], words[-1]})
    for span in spans:
        if " " not in span.text and span.text in parts and span.method in ("chunk", "ner", "city"):
            # one word, hyphenated ones too ("Ofori-Atta")
            span.kind, span.method = "Person", "surname"


def _short_names(doc, spans) -> None:
    """A lone "Tarang" is "Tarang Software", named in full elsewhere in the article."""
    firsts = {}
    for span in spans:
        if span.kind == "Organisation" and span.end - span.start >= 2 and doc[span.start].pos_ == "PROPN":
            firsts.setdefault(doc[span.start].text, span.label or span.text)
    lex = lexicon()
    for span in spans:
        if span.end - span.start == 1 and span.text in firsts and span.method in ("chunk", "ner") \
                and not (doc[span.start].lower_ in lex.portfolios and span.end < len(doc)
                         and title_match(doc, span.end, lex)):
            # (not "Energy" in "Energy Secretary X": a portfolio before a title)
            span.kind, span.label, span.method = "Organisation", firsts[span.text], "short-name"


def _with_editions(doc, finder, spans):
    """Add "47th Session of the X" events; keep X itself as a mention of its own."""
    out = list(spans)
    for edition in finder.editions(doc):
        inner = [s for s in out if s.start <= edition.end < s.end or s.start == edition.end]
        if not inner:
            continue
        org = inner[0]
        end = org.end
        if org.start < edition.end:      # "Session of the United Nations General Assembly" chunked as one
            out.remove(org)
            out.append(type(org)(edition.end, end, doc[edition.end:end].text))
        out = [s for s in out if not (edition.start <= s.start < edition.end)]
        edition.end = end
        edition.text = doc[edition.start:end].text
        edition.label = edition.text[0].upper() + edition.text[1:]
        edition.label = " ".join(w.capitalize() if w.lower() in ("session", "summit", "meeting", "plenary")
                                 else w for w in edition.label.split(" "))
        out.append(edition)
    return _numbered_editions(doc, finder, sorted(out, key=lambda s: s.start))


NUMBERED_HEADS = ("assembly",)      # an organisation's head word that, numbered, is one of its sittings


def _numbered_editions(doc, finder, spans):
    """"the 153rd IPU Assembly", "the 7th Gas Summit": an ordinal before an event's name makes one
    numbered edition of it, an event whose name keeps the number; "the 153rd Assembly" later is the
    same edition when a longer name with that number and head word was given."""
    numbered = []
    for span in spans:
        if span.kind or span.method == "edition" or span.start == 0 or not ORDINAL_RE.match(doc[span.start - 1].text):
            continue
        words = doc[span.start:span.end]
        head = words[-1].text
        if any(t.lower_ in ("of", "for", "on") for t in words) or not (
                finder.lex.head_type(head) == "Event" or head.lower() in NUMBERED_HEADS):
            continue
        span.start -= 1
        span.text = doc[span.start:span.end].text
        span.kind, span.method = "Event", "edition"
        numbered.append(span)
    for span in numbered:
        number, head = doc[span.start].lower_, doc[span.end - 1].lower_
        longer = [o for o in numbered if o.end - o.start > span.end - span.start
                  and doc[o.start].lower_ == number and doc[o.end - 1].lower_ == head]
        if longer:
            span.label = longer[0].text
    return spans


@dataclass(frozen=True)
class MetadataLink:
    """"author", "publisher" or "dateline": the entity it names and the line that names it."""

    prop: str
    key: str
    sentence: Span


@dataclass
class MetadataEntities:
    skip: list[tuple[int, int]] = field(default_factory=list)   # character spans the name finder skips
    links: list[MetadataLink] = field(default_factory=list)
    headline: tuple[int, int] | None = None                        # the title line, if the text starts with it


@rule("metadata")
def metadata_facts(document: Document, doc_key: str, links: list[MetadataLink]) -> list[Fact]:
    """The document's author, publisher, dateline and date (rule ``metadata``)."""
    this = get_rule("metadata")
    facts = [Fact(doc_key, link.prop, EntityRef(link.key), link.sentence, this.confidence, this.name)
             for link in links]
    if document.date:
        first_line = document.text.split("\n", 1)[0]
        facts.append(Fact(doc_key, "datePublished", DateValue.of(document.date), Span(0, len(first_line)),
                          this.confidence, this.name))
    return facts


def _metadata_entities(ctx: Context) -> MetadataEntities:
    """The document, its author, publisher and dateline: entities from metadata, found in the text."""
    document, text, table = ctx.document, ctx.document.text, ctx.table
    found = MetadataEntities()
    skip = found.skip
    doc_key = ctx.doc_key
    title = document.title or document.id
    table.entities[doc_key] = table.entities.get(doc_key) or _document_entity(doc_key, title)
    table.by_name.setdefault(norm(title), doc_key)
    first_line = text.split("\n", 1)[0]
    if document.title and first_line.strip() == document.title.strip():
        table.add("Document", title, mention=(0, len(first_line), first_line), method="metadata")
        skip.append((0, len(first_line)))
        found.headline = (0, len(first_line))
    for prop, value, kind in (("author", document.author, "Person"), ("publisher", document.publisher, "Organisation"),
                              ("dateline", document.dateline, "Place")):
        if not value:
            continue
        known = ctx.lex.known(value)
        kind = known.kind if known and prop == "dateline" else kind
        label = known.label if known and known.kind == kind else value
        begin = text.lower().find(value.lower(), 0, 600)
        mention = (begin, begin + len(value), text[begin:begin + len(value)]) if begin >= 0 else None
        key = table.add(kind, label, aliases=known.aliases if known else (), mention=mention, method="metadata")
        if mention:
            skip.append(mention[:2])
        line_end = text.find("\n", begin) if begin >= 0 else -1
        sentence = Span(max(0, text.rfind("\n", 0, max(begin, 0)) + 1), line_end if line_end > 0 else len(text)) \
            if begin >= 0 else Span(0, len(first_line))
        found.links.append(MetadataLink(prop, key, sentence))
    skip.extend(_byline_desk(text))
    return found


def _byline_desk(text: str) -> list[tuple[int, int]]:
    """The desk or the title after a byline ("By X, Courier Staff", "By X\nLocal Journalism Initiative Reporter"):
    words of the byline, not names of bodies (the title is read by rule byline-title)."""
    match = re.search(r"^By [^\n]{3,80}$", text[:800], re.MULTILINE)
    if not match:
        return []
    line = match.group()
    spans = []
    comma = line.find(",")
    if comma > 0:
        spans.append((match.start() + comma + 1, match.end()))
    after = text[match.end() + 1:match.end() + 100].split("\n", 1)[0]
    if after and len(after.split()) <= 6 and not re.search(r"[.!?:;]$|\d{4}", after.strip()):
        spans.append((match.end() + 1, match.end() + 1 + len(after)))
    return spans


def _document_entity(key, title):
    from .model import Entity

    return Entity(key=key, kind="Document", label=title)
