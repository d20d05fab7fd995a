"""Date expressions to dates with the precision the text gives, relative ones resolved.

>>> import datetime as dt
>>> anchor = dt.date(2023, 7, 16)
>>> [d.lexical for d in parse_dates("in October 1992", anchor)]
['1992-10']
>>> [d.lexical for d in parse_dates("on Thursday and Friday", anchor)]
['2023-07-13', '2023-07-14']
>>> [d.lexical for d in parse_dates("on June 8", anchor)]
['2023-06-08']
>>> [d.lexical for d in parse_dates("in Sept 2020", anchor)]
['2020-09']
>>> [d.lexical for d in parse_dates("which starts on October 1 next year", anchor)]
['2024-10-01']
>>> [d.lexical for d in parse_dates("at its meeting on 16 and 17 June", anchor)]
['2023-06-16', '2023-06-17']
>>> [d.lexical for d in parse_dates("will present them in Auckland in March", anchor)]
['2024-03']
>>> [d.lexical for d in parse_dates("talks held in May", anchor)]
['2023-05']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import DateValue

MONTHS = {m: i for i, names in enumerate([
    (), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")]) for m in names}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday",
                                        "saturday", "sunday"])}
# words after which a date lies ahead; "opens"/"begins" in the present tense announce what is to come
FUTURE = re.compile(r"\b(will|shall|would|next|expected|scheduled|due|to be held|plans to|planning to|"
                    r"(?:we|they|i|you)\s+plan\s+to|opens|begins|starts|"
                    r"kicks off|gets under way)\b[^.]*$", re.I)
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
PATTERNS = [
    # "Thursday, May 7", "Wednesday, 20 May 2026": the weekday names the date written after it
    ("wmd", re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+" + MONTH +
                       r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?", re.I)),
    ("wdm", re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?P<day>\d{1,2})\s+" +
                       MONTH + r"\b(?:,?\s+(?P<year>\d{4})\b)?", re.I)),
    ("dmy", re.compile(r"\b(?P<day>\d{1,2})\s+" + MONTH + r",?\s+(?P<year>\d{4})\b", re.I)),
    ("mdy", re.compile(r"\b" + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I)),
    # "October 1 next year", "on 5 March last year": the day, in the year the words name
    ("mdrel", re.compile(r"\b" + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<which>next|last|this)\s+year\b",
                         re.I)),
    ("dmrel", re.compile(r"\b(?P<day>\d{1,2})\s+" + MONTH + r",?\s+(?P<which>next|last|this)\s+year\b", re.I)),
    ("my", re.compile(r"\b" + MONTH + r",?\s+(?P<year>\d{4})\b", re.I)),
    ("md", re.compile(r"\b" + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})", re.I)),
    ("dm", re.compile(r"\b(?P<day>\d{1,2})\s+" + MONTH + r"\b(?!,?\s*\d{4})", re.I)),
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b")),
    # a month alone: after a preposition, or at the start of what a caller cut after "in"/"on"
    ("m", re.compile(r"(?:^|\b(?:in|during|until|since|from|by|early|late|mid-?|next|last|this)\s+)(?P<month>" +
                     "|".join(sorted((m for m in MONTHS if len(m) > 3 or m == "may"), key=len, reverse=True)) +
                     r")\b(?!\s*\d)", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                           re.I)),
    ("relative-year", re.compile(r"\b(?P<which>last|this|next)\s+year\b", re.I)),
    ("year", re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d{2})(?![\d-])")),
]


def _weekday(anchor: dt.date, weekday: int, future: bool) -> dt.date:
    """The nearest such weekday: news reports what has happened ("on Thursday" in a Sunday
    paper is three days back, "on Sunday" is the paper's own day), unless it says "will"."""
    if future:
        return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def _near_past(anchor: dt.date, month: int, day: int) -> dt.date | None:
    """"June 8" in a July article is this year's; "December 8" in a July article, last year's."""
    try:
        candidate = dt.date(anchor.year, month, day)
    except ValueError:
        return None
    if candidate > anchor + dt.timedelta(days=31):
        try:
            candidate = dt.date(anchor.year - 1, month, day)
        except ValueError:
            return None
    return candidate


def _near_future(anchor: dt.date, month: int, day: int) -> dt.date | None:
    """"to be held on Nov 14" in a June article: the next one (a few days back still counts as this one)."""
    try:
        candidate = dt.date(anchor.year, month, day)
        if candidate < anchor - dt.timedelta(days=7):
            candidate = dt.date(anchor.year + 1, month, day)
    except ValueError:
        return None
    return candidate


@dataclass(frozen=True)
class FoundDate:
    """A date expression: character offsets [start, end) into the text searched, and its value."""

    start: int
    end: int
    value: DateValue


# "16 and 17 June", "16-17 June 2026": the first day takes the month (and year) written after the second
DAY_RANGE = re.compile(r"\b(?P<day>\d{1,2})(?=\s*(?:and|-|–|to)\s*\d{1,2}\s+" + MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b)",
                       re.I)


MONTH_DAY_RANGE = re.compile(r"\b" + MONTH + r"\s+(?P<day>\d{1,2})\s*(?:-|–|to|and)\s*(?P<day2>\d{1,2})\b"
                             r"(?!\s*(?:" + "|".join(MONTHS) + r")\b)(?:,?\s+(?P<year>\d{4}))?", re.I)


# every date expression has a digit, a month's or a weekday's name, or "year": text without any has none
DATE_HINT = re.compile(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|year", re.I)


def find_dates(text: str, anchor: dt.date | None, before: str = "") -> list[FoundDate]:
    """Every date expression in ``text``, leftmost-longest, no overlaps, in order. ``before``: the words
    that precede ``text``, read only for its tense ("to be held on Nov 14" lies ahead)."""
    if not DATE_HINT.search(text):
        return []
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for m in MONTH_DAY_RANGE.finditer(text):
        # "June 9-10", "May 20 to 22, 2026": the second day takes the first's month and year
        g = m.groupdict()
        first = _value("mdy" if g.get("year") else "md", m, anchor, before)
        if first is None or first.day is None:
            continue
        try:
            second = DateValue.of(dt.date(first.year, first.month, int(g["day2"])))
        except ValueError:
            continue
        found += [FoundDate(m.start(), m.start("day") + len(g["day"]), first), FoundDate(m.start("day2"), m.end(), second)]
        taken.append((m.start(), m.end()))
    for m in DAY_RANGE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        g = m.groupdict()
        kind = "dmy" if g.get("year") else "dm"
        value = _value(kind, m, anchor, before)
        if value is not None:
            found.append(FoundDate(m.start(), m.end(), value))
            taken.append((m.start(), m.end()))
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _value(kind, m, anchor, before)
            if value is not None:
                found.append(FoundDate(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


RELATIVE_YEAR = {"last": -1, "this": 0, "next": 1}


def _value(kind, m, anchor, before: str = "") -> DateValue | None:
    g = m.groupdict()
    if kind in ("wmd", "wdm"):
        kind = ("mdy" if kind == "wmd" else "dmy") if g.get("year") else ("md" if kind == "wmd" else "dm")
    try:
        if kind in ("dmy", "mdy"):
            return DateValue.of(dt.date(int(g["year"]), MONTHS[g["month"].lower()], int(g["day"])))
        if kind == "iso":
            return DateValue.of(dt.date(int(g["year"]), int(g["m"]), int(g["day"])))
        if kind == "my":
            return DateValue(int(g["year"]), MONTHS[g["month"].lower()])
        if kind == "year":
            return DateValue(int(g["year"]))
        return _anchored(kind, m, g, anchor, before) if anchor is not None else None
    except ValueError:
        return None


# "On Thursday, Hung is scheduled to attend …": a weekday opening its clause, the cue of the future right after
FUTURE_AFTER = re.compile(r"\s*,\s*(?:[\w.'’\-]+\s+){1,5}?(?:will|is\s+(?:scheduled|due|expected)\s+to|"
                          r"are\s+(?:scheduled|due|expected)\s+to|is\s+to|are\s+to)\b", re.I)
PAST_AFTER = re.compile(r"\b(?:said|says|told|announced|added|was|were|had|met|held|signed|agreed|approved|took|"
                        r"opened|closed|ended|began|started)\b", re.I)


def _ahead(m, before: str) -> bool:
    """Is the date of match ``m`` in the future? A cue of what is to come ("will", "to be held") in its
    sentence before it, with no verb of what happened after the cue ("The regulator will set out rules at its
    board meeting in Glasgow on April 16"; not "The bank will pay, it announced on Tuesday")."""
    window = before[-300:] + m.string[max(0, m.start() - 300):m.start()]
    window = re.split(r"[.!?][\"”’]?\s+(?=[A-Z“\"])", window)[-1]
    cue = FUTURE.search(window)
    return bool(cue) and not PAST_AFTER.search(window, cue.end())


def _anchored(kind, m, g, anchor: dt.date, before: str = "") -> DateValue | None:
    """The dates that need the document's date: a day or month without a year, a weekday, "next year"."""
    future = _ahead(m, before)
    if kind in ("mdrel", "dmrel"):
        year = anchor.year + RELATIVE_YEAR[g["which"].lower()]
        return DateValue.of(dt.date(year, MONTHS[g["month"].lower()], int(g["day"])))
    if kind in ("md", "dm"):
        day = (_near_future if future else _near_past)(anchor, MONTHS[g["month"].lower()], int(g["day"]))
        return DateValue.of(day) if day else None
    if kind == "m":
        return _month_alone(m, MONTHS[g["month"].lower()], anchor, future or m.group(0).lower().startswith("next"))
    if kind == "weekday":
        future = bool(FUTURE.search((before[-60:] + m.string[max(0, m.start() - 60):m.start()])[-60:])) \
            or bool(FUTURE_AFTER.match(m.string, m.end()))
        return DateValue.of(_weekday(anchor, WEEKDAYS[g["weekday"].lower()], future))
    if kind == "relative-year":
        return DateValue(anchor.year + RELATIVE_YEAR[g["which"].lower()])
    return None


def _month_alone(m, month: int, anchor: dt.date, future: bool) -> DateValue:
    """"in September": this year's, or the nearest one in the direction the sentence looks."""
    if future:
        return DateValue(anchor.year + (month < anchor.month), month)
    if m.start() == 0:
        # no words before it to tell (a caller cut them off): the nearest such month
        ahead, back = (month - anchor.month) % 12, (anchor.month - month) % 12
        return DateValue(anchor.year + (month < anchor.month) if ahead <= back else
                         anchor.year - (month > anchor.month), month)
    return DateValue(anchor.year - (month > anchor.month + 1), month)


def parse_dates(text: str, anchor: dt.date | None) -> list[DateValue]:
    return [found.value for found in find_dates(text, anchor)]
