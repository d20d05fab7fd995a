"""What extraction produces: plain dataclasses, no RDF.

``graph.py`` turns an :class:`Extraction` into quads. Entities are referred to by ``key``
(``"person/amina-okafor"``), which is also the tail of their IRI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..keys import ENTITY_CLASSES, slugify


def document_key(document) -> str:
    """The key of a document (anything with an ``id``): ``"document/{slug}"``."""
    return "document/" + slugify(document.id)


def entity_key(kind: str, label: str) -> str:
    """``entity_key("Person", "Amina Okafor")`` → ``"person/amina-okafor"``.

    >>> entity_key("Person", "Amina Okafor")
    'person/amina-okafor'
    """
    return f"{ENTITY_CLASSES[kind]}/{slugify(label)}"


# Date precision follows the text: xsd:date, xsd:gYearMonth or xsd:gYear.
DAY, MONTH, YEAR = "date", "gYearMonth", "gYear"


@dataclass(frozen=True)
class DateValue:
    """A date with the precision the text gives.

    >>> DateValue(1992, 10).lexical, DateValue(1992, 10).datatype
    ('1992-10', 'gYearMonth')
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def datatype(self) -> str:
        return DAY if self.day else MONTH if self.month else YEAR

    @property
    def lexical(self) -> str:
        if self.day:
            return dt.date(self.year, self.month, self.day).isoformat()
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        """The first and the last day the value can mean.

        >>> DateValue(2024, 2).days
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
        """
        if self.day:
            day = dt.date(self.year, self.month, self.day)
            return day, day
        if self.month:
            following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return dt.date(self.year, self.month, 1), following - dt.timedelta(days=1)
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    @classmethod
    def of(cls, day: dt.date) -> DateValue:
        return cls(day.year, day.month, day.day)


@dataclass(frozen=True)
class Span:
    """Character offsets [begin, end) into the document text."""

    begin: int
    end: int


@dataclass
class Mention:
    span: Span
    text: str
    method: str = "ner"


@dataclass
class Entity:
    key: str                     # "{kind-segment}/{slug}"
    kind: str                    # Person, Organisation, Country, Place, Event, Document, Position
    label: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    role: str | None = None      # for a Position: the role words ("President")


# The value of a fact: another entity's key, or a literal.
@dataclass(frozen=True)
class EntityRef:
    key: str


Value = EntityRef | DateValue | int | float | str | bool


@dataclass
class Fact:
    """One extracted triple (subject key, kg property local name, value) and its evidence."""

    subject: str
    predicate: str
    value: Value
    sentence: Span
    confidence: float
    method: str


@dataclass
class Statement:
    """Who said what, where and when: a quote or reported speech."""

    speaker: str                 # entity key (a Person, Organisation, Country or Document)
    text: str
    is_direct_quote: bool
    span: Span                   # the quoted or reported content
    sentence: Span               # the sentence(s) that carry it
    confidence: float
    method: str
    stated_at: str | None = None
    delivered_by: str | None = None
    date: DateValue | None = None


@dataclass
class Extraction:
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
