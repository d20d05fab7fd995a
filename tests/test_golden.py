"""Golden extraction cases: one folder per article under tests/golden/.

Each folder holds ``article.txt``, its ``article.meta.json`` sidecar and ``expected.tsv``: the rows a careful
reader finds in the article, in the gold format of ``shared/gold/*.tsv`` (kind, subject, property, object,
extra; names list accepted spellings separated by '|'). The rows are checked against ``kg.extract.extract``
with the matching semantics of ``shared/tools/kg_score.py`` (its ``norm`` is copied below: CI only has the
repository), applied to the :class:`~kg.extract.model.Extraction` instead of an exported graph:

- ``entity``: some entity whose label or alias matches one of the names has the class (a Country is a Place);
- ``alias``: an entity named by the subject also carries the alias as label or alias;
- ``fact``: a fact with that predicate, from an entity matching the subject, to a matching value
  (an entity by its label/aliases; a date by its lexical form; a number by value; a string by ``norm``);
- ``position``: a ``holdsPosition`` fact from the person to a Position whose names contain the role and whose
  ``positionOf`` target (or its label) names the organisation or country;
- ``statement``: a statement whose speaker matches and whose text contains one key phrase, made at the event
  (``kg:statedAt``) unless the object is '-'.

Optional rows (``entity?``, ``fact?``, ``statement?``) are never required; they only excuse extractions.
Two guards go beyond row matching: at most ``MAX_NOISE`` entities of a scored class may match no entity row,
and a key phrase of one speaker must not turn up in a statement of another (a quotation mark left open must
not carry the rest of the article into one speaker's quote). Every failure of a case is reported in one
assertion message, so the extractor's author sees the whole list at once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.tsv").is_file()) if GOLDEN.is_dir() else []
SCORED_CLASSES = ("Person", "Organisation", "Country", "Place", "Event", "Document")
CLASS_ALIASES = {"Organisation": {"Organisation", "Organization"}, "Place": {"Place", "Country", "City", "Region"}}
MAX_NOISE = 2

# --- copied from shared/tools/kg_score.py (keep in step with it) -------------------------------------------
CONFUSABLES = str.maketrans({"і": "i", "І": "I", "а": "a", "е": "e", "о": "o", "с": "c", "р": "p", "х": "x",
                             "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).translate(CONFUSABLES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def names_of(alternatives: str) -> set[str]:
    return {norm(a) for a in alternatives.split("|") if a.strip()}


LITERAL_RE = re.compile(r"^-?\d+(\.\d+)?$|^\d{4}(-\d{2}(-\d{2})?)?$")
# ------------------------------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, 5 columns) for every row of an expected.tsv."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        rows.append((number, (line.split("\t") + [""] * 5)[:5]))
    return rows


@cache
def extracted(case: str):
    """(document, extraction) of one case, computed once per session."""
    try:
        from kg.documents import read_document
        from kg.extract import extract
    except ImportError as exc:  # pragma: no cover - the extractor is not importable yet
        pytest.skip(f"kg.extract is not available: {exc}")
    document = read_document(GOLDEN / case / "article.txt")
    return document, extract(document)


class Index:
    """Names, classes, facts and statements of an Extraction, matched the way kg_score.py matches a graph."""

    def __init__(self, extraction):
        self.x = extraction
        self.names = {key: {norm(e.label)} | {norm(a) for a in e.aliases} for key, e in extraction.entities.items()}

    def kind(self, key):
        entity = self.x.entities.get(key)
        return entity.kind if entity else None

    def has_class(self, key, cls):
        return self.kind(key) in CLASS_ALIASES.get(cls, {cls})

    def keys_named(self, alternatives):
        wanted = names_of(alternatives)
        return [k for k, names in self.names.items() if names & wanted]

    def objects(self, subjects, predicate):
        subjects = set(subjects)
        return [f.value for f in self.x.facts if f.predicate == predicate and f.subject in subjects]

    def value_matches(self, value, alternatives):
        from kg.extract.model import DateValue, EntityRef

        if isinstance(value, EntityRef):
            return bool(self.names.get(value.key, set()) & names_of(alternatives))
        if isinstance(value, bool):
            lexical = "true" if value else "false"
        elif isinstance(value, DateValue):
            lexical = value.lexical
        else:
            lexical = str(value).strip()
        for alt in alternatives.split("|"):
            try:
                if LITERAL_RE.match(alt) and "-" not in alt[1:] and float(lexical) == float(alt):
                    return True
            except ValueError:
                pass
            if lexical == alt.strip():
                return True
        return norm(lexical) in names_of(alternatives)

    def show(self, key):
        entity = self.x.entities.get(key)
        return f"{entity.label!r} [{entity.kind}]" if entity else key


def check_case(case: str) -> list[str]:
    """Every failing row of a case, as readable lines."""
    rows = read_rows(GOLDEN / case / "expected.tsv")
    _, extraction = extracted(case)
    ix = Index(extraction)
    failures = []

    def fail(number, row, why):
        failures.append(f"line {number}: {' | '.join(c for c in row if c)}  ->  {why}")

    for number, row in rows:
        kind, subject, prop, obj, _ = row
        if kind == "entity":
            keys = ix.keys_named(subject)
            if not keys:
                fail(number, row, "no entity with that name")
            elif not any(ix.has_class(k, prop) for k in keys):
                fail(number, row, f"found only as {', '.join(ix.show(k) for k in keys)}")
        elif kind == "alias":
            alias = norm(obj)
            keys = ix.keys_named("|".join(a for a in subject.split("|") if norm(a) != alias))
            if not any(alias in ix.names[k] for k in keys):
                fail(number, row, f"alias missing on {', '.join(ix.show(k) for k in keys) or 'no entity of that name'}")
        elif kind == "fact":
            subjects = ix.keys_named(subject)
            values = ix.objects(subjects, prop)
            if not any(ix.value_matches(v, obj) for v in values):
                got = ", ".join(ix.show(v.key) if hasattr(v, "key") else getattr(v, "lexical", repr(v)) for v in values)
                fail(number, row, f"got {got}" if values else
                     ("no such fact" if subjects else "no entity named like the subject"))
        elif kind == "position":
            if not position_found(ix, subject, prop, obj):
                posts = ix.objects(ix.keys_named(subject), "holdsPosition")
                fail(number, row, f"holds {', '.join(ix.show(p.key) for p in posts) or 'no position'}")
        elif kind == "statement":
            hits = [s for s in extraction.statements if said(ix, subject, prop, s)]
            if not hits:
                fail(number, row, "no statement by that speaker with that phrase"
                     + nearest_statement(ix, prop, extraction.statements))
            elif obj != "-" and not any(s.stated_at and ix.names.get(s.stated_at, set()) & names_of(obj)
                                        for s in hits):
                where = ", ".join(ix.show(s.stated_at) if s.stated_at else "no event" for s in hits)
                fail(number, row, f"found, but statedAt {where}")
        elif kind not in ("entity?", "fact?", "statement?", "link"):  # links come from kg.link, not extraction
            fail(number, row, f"unknown row kind {kind!r}")

    failed_lines = {int(f.split(":")[0].split()[1]) for f in failures}
    failures.extend(misattributed(ix, [(n, r) for n, r in rows if n not in failed_lines], extraction.statements))
    failures.extend(noise(ix, rows))
    return failures


def position_found(ix, person, role, organisation):
    role, orgs = norm(role), names_of(organisation)
    for post in ix.objects(ix.keys_named(person), "holdsPosition"):
        key = getattr(post, "key", None)
        if key is None:
            continue
        label = " ".join(sorted(ix.names.get(key, set())))
        if role not in label:
            continue
        owners = ix.objects([key], "positionOf")
        if any(ix.names.get(o.key, set()) & orgs for o in owners if hasattr(o, "key")) or any(o in label for o in orgs):
            return True
    return False


def said(ix, speakers, phrases, statement):
    return bool(ix.names.get(statement.speaker, set()) & names_of(speakers)) and \
        any(norm(k) in norm(statement.text) for k in phrases.split("|"))


def nearest_statement(ix, phrases, statements):
    """Who got the phrase instead, if anyone (helps the extractor's author)."""
    for s in statements:
        if any(norm(k) in norm(s.text) for k in phrases.split("|")):
            return f" (the phrase is in a statement by {ix.show(s.speaker)})"
    return ""


def misattributed(ix, rows, statements):
    """A key phrase of one speaker inside a statement of another: a quote ran on past its speaker.

    Only rows that are otherwise found (or optional) are looked at: a missed row already names the statement
    that holds its phrase.
    """
    out = []
    for number, row in rows:
        kind, speakers, phrases = row[0], row[1], row[2]
        if kind not in ("statement", "statement?"):
            continue
        for s in statements:
            if any(norm(k) in norm(s.text) for k in phrases.split("|")) and \
                    not ix.names.get(s.speaker, set()) & names_of(speakers):
                out.append(f"line {number}: {phrases.split('|')[0]!r} (of {speakers.split('|')[0]}) is inside a "
                           f"statement by {ix.show(s.speaker)}: {s.text[:100]!r}")
    return out


def noise(ix, rows):
    """Entities of a scored class that match no entity/entity? row; more than MAX_NOISE is a failure."""
    known = set().union(*[names_of(r[1]) for _, r in rows if r[0] in ("entity", "entity?")] or [set()])
    extra = [ix.show(k) for k, e in ix.x.entities.items()
             if e.kind in SCORED_CLASSES and not ix.names[k] & known]
    if len(extra) > MAX_NOISE:
        return [f"{len(extra)} entities match no entity row (at most {MAX_NOISE} allowed): {', '.join(sorted(extra))}"]
    return []


def known_gaps(case) -> dict[int, str]:
    """Lines of expected.tsv listed in known-gaps.tsv: rows the extractor is known to miss, and why."""
    path = GOLDEN / case / "known-gaps.tsv"
    if not path.is_file():
        return {}
    gaps = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            number, _, reason = line.partition("\t")
            gaps[int(number)] = reason
    return gaps


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case):
    failures = check_case(case)
    gaps = known_gaps(case)
    unexpected = [f for f in failures if int(re.match(r"line (\d+)", f).group(1) if f.startswith("line ") else 0)
                  not in gaps]
    assert not unexpected, f"{case}: {len(unexpected)} failing rows\n  " + "\n  ".join(unexpected)
    failing_lines = {int(m.group(1)) for f in failures if (m := re.match(r"line (\d+)", f))}
    fixed = sorted(set(gaps) - failing_lines)
    assert not fixed, f"{case}: known gaps now pass, delete them from known-gaps.tsv: lines {fixed}"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads parser
@pytest.mark.parametrize("case", CASES)
def test_golden_case_round_trips_as_nquads(case):
    from pyoxigraph import RdfFormat, serialize
    from rdflib import Dataset

    from kg.graph import document_quads

    document, extraction = extracted(case)
    quads = list(document_quads(document, extraction))
    data = serialize(quads, format=RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=data.decode("utf-8"), format="nquads")
    parsed = list(dataset.quads((None, None, None, None)))
    assert len(parsed) == len(set(quads)), f"{case}: wrote {len(set(quads))} distinct quads, read {len(parsed)} back"


def test_golden_cases_are_well_formed():
    """Every case has the three files, a dated sidecar, and rows of known kinds with 5 columns at most."""
    import json

    assert len(CASES) >= 8, f"expected at least 8 golden cases, found {CASES}"
    kinds = {"entity", "entity?", "alias", "fact", "fact?", "position", "statement", "statement?", "link"}
    for case in CASES:
        folder = GOLDEN / case
        meta = json.loads((folder / "article.meta.json").read_text(encoding="utf-8"))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]), case
        assert (folder / "article.txt").read_text(encoding="utf-8").strip(), case
        for number, row in read_rows(folder / "expected.tsv"):
            assert row[0] in kinds, f"{case} line {number}: kind {row[0]!r}"
            if row[0] in ("statement", "statement?"):
                assert row[3], f"{case} line {number}: a statement row needs an event or '-'"
