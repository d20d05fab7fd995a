"""Read source documents (.txt, .md, .html) and their metadata; clean the text.

The cleaned text is what newskg stores (``kg:content``) and every character offset in the graph
points into it. Cleaning therefore only drops whole lines at the edges (a repeated title,
a trailing "Related Articles" block) and folds characters one-for-one (no-break spaces,
look-alike letters from other scripts), so that the text stays a faithful copy of the source.

>>> doc = document_from_text("Title\\n\\nTitle\\n\\nBy Jane Roe\\n\\nBody text.\\n\\nRelated Articles\\n", doc_id="t")
>>> doc.text
'Title\\n\\nBy Jane Roe\\n\\nBody text.'
>>> doc.author
'Jane Roe'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import DocumentError, MetadataError
from .lexicon import load_mapping, load_patterns
from .terms import slugify

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
META_KEYS = ("id", "title", "author", "publisher", "dateline", "date", "language", "url")
# A news article is a few kB; past this size a file is almost surely not one (a dump, a log, a book),
# and parsing it would take minutes and gigabytes. Refused with a clear message.
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Document:
    """A cleaned source text with its metadata."""

    id: str
    text: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    dateline: str | None = None
    date: dt.date | None = None
    language: str = "en"
    url: str | None = None
    path: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Changes whenever the text or any metadata changes: re-ingest is skipped otherwise."""
        meta = json.dumps(
            [self.id, self.title, self.author, self.publisher, self.dateline,
             self.date.isoformat() if self.date else None, self.language, self.url],
            ensure_ascii=False,
        )
        return hashlib.sha256((meta + "\n" + self.text).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- decoding


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (with or without BOM); UTF-16 with a BOM or Windows-1252 with a warning;
    binary refused.

    >>> decode("Café".encode("cp1252"), "a.txt")
    ('Café', ['a.txt: not valid UTF-8 (byte 3); decoded as Windows-1252'])
    """
    if not data.strip():
        raise DocumentError(f"{name}: file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Notepad's "Unicode": text, though full of NUL bytes. Its byte order mark says so.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{name}: not UTF-16 text despite its byte order mark "
                                f"(invalid byte at offset {exc.start})") from None
        return _checked_text(text, name, [f"{name}: UTF-16 text (byte order mark); decoded as UTF-16"])
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{name}: looks like a binary file (NUL bytes), not text")
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DocumentError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None
        warnings.append(f"{name}: not valid UTF-8 (byte {exc.start}); decoded as Windows-1252")
    return _checked_text(text, name, warnings)


def _checked_text(text: str, name: str, warnings: list[str]) -> tuple[str, list[str]]:
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise DocumentError(f"{name}: looks like a binary file (control characters), not text")
    if not text.strip():
        raise DocumentError(f"{name}: file has no text")
    return text, warnings


# ---------------------------------------------------------------- cleaning


def fold_characters(text: str) -> str:
    """Fold no-break spaces and look-alike letters one-for-one, so offsets stay valid."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = text.replace("\u200b", " ").replace("\ufeff", " ")
    homoglyphs = load_mapping("homoglyphs.tsv")

    def fold_word(match: re.Match) -> str:
        word = match.group(0)
        # Only words that are mostly Latin: a Russian word stays Russian.
        latin = sum(1 for c in word if "a" <= c.lower() <= "z")
        if latin * 2 < len(word):
            return word
        return "".join(homoglyphs.get(c, c) for c in word)

    return re.sub(r"\w+", fold_word, text)


def strip_boilerplate(text: str, title: str | None) -> str:
    """Drop a title repeated at the top and trailing blocks such as "Related Articles"."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))]
    paragraphs = [p for p in paragraphs if p]
    # A title printed twice (once as page title, once as headline) is kept once.
    while len(paragraphs) > 1 and _same_line(paragraphs[0], paragraphs[1]):
        paragraphs.pop(1)
    if title and len(paragraphs) > 1 and _same_line(paragraphs[1], title) and _same_line(paragraphs[0], title):
        paragraphs.pop(1)
    enders = load_patterns("boilerplate.txt")
    for index, paragraph in enumerate(paragraphs):
        first_line = paragraph.splitlines()[0].strip()
        if index > 0 and any(p.fullmatch(first_line) for p in enders):
            paragraphs = paragraphs[:index]
            break
    return "\n\n".join(paragraphs)


def _same_line(a: str, b: str) -> bool:
    squash = lambda s: re.sub(r"\W+", " ", s).strip().casefold()  # noqa: E731
    return squash(a) == squash(b)


class _HTMLText(HTMLParser):
    """Collect the article body of an HTML page: <article> if there is one, else all <p>."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "div", "br", "article", "section"}
    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "figure"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._in_article = 0
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._in_article += 1
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            if key in ("og:title", "author", "article:published_time", "og:site_name", "og:url"):
                self.meta[key] = attrs.get("content") or ""
        if tag in self.BLOCKS:
            self._emit("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "article" and self._in_article:
            self._in_article -= 1
        if tag in self.BLOCKS:
            self._emit("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._emit(re.sub(r"\s+", " ", data))

    def _emit(self, text):
        self.parts.append(text)
        if self._in_article:
            self.article_parts.append(text)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.article_parts) if "".join(parser.article_parts).strip() else "".join(parser.parts)
    body = "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", body) if p.strip())
    meta = {}
    title = parser.meta.get("og:title") or html.unescape(parser.title).strip()
    if title:
        meta["title"] = title
    if parser.meta.get("author"):
        meta["author"] = parser.meta["author"]
    if parser.meta.get("article:published_time"):
        meta["date"] = parser.meta["article:published_time"][:10]
    if parser.meta.get("og:site_name"):
        meta["publisher"] = parser.meta["og:site_name"]
    if parser.meta.get("og:url"):
        meta["url"] = parser.meta["og:url"]
    return body, meta


def markdown_to_text(text: str) -> str:
    """Drop Markdown markup that is not prose; character offsets refer to the result."""
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.MULTILINE)
    # Bounded lengths and no newlines in link text: 40 KB of unmatched "[a" must not backtrack
    # over the rest of the file from each bracket (3.4 s in v0.1; now linear).
    text = re.sub(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)", "", text)
    text = re.sub(r"\[([^\[\]\n]{1,500})\]\([^)\n]{0,2000}\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return text


# ---------------------------------------------------------------- metadata


# Dates newskg accepts: relative expressions ("last year", "on Monday") are resolved against the
# document date, and Python's dates end at years 1 and 9999.
FIRST_YEAR, LAST_YEAR = 1000, 9998


def parse_date(value: str, where: str) -> dt.date:
    """An ISO date (2023-07-16); a full timestamp must be a valid one, and is cut to its date.

    >>> parse_date("2023-07-13T10:30:00Z", "x")
    datetime.date(2023, 7, 13)
    >>> parse_date("2023-07-13T25:99:99Z", "x")
    Traceback (most recent call last):
    kg.errors.MetadataError: x: impossible date '2023-07-13T25:99:99Z'
    """
    value = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](.*))?", value)
    shown = repr(value if len(value) <= 40 else value[:40] + "…")
    if not match:
        raise MetadataError(f"{where}: bad date {shown} (expected YYYY-MM-DD)")
    try:
        date = dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match[4] is not None:
            dt.datetime.fromisoformat(f"{date.isoformat()}T{match[4].strip().replace('Z', '+00:00')}")
    except ValueError:
        raise MetadataError(f"{where}: impossible date {shown}") from None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise MetadataError(f"{where}: date {shown} out of range (years {FIRST_YEAR}-{LAST_YEAR})")
    return date


def read_metadata(path: Path) -> dict:
    """The ``NAME.meta.json`` sidecar of ``NAME.txt``, or {} when there is none."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.exists():
        return {}
    if not sidecar.is_file():
        raise MetadataError(f"{sidecar}: not a regular file")
    try:
        raw = sidecar.read_bytes()
    except OSError as exc:
        raise MetadataError(f"{sidecar}: cannot read ({exc.strerror or exc})") from None
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        meta = json.loads(raw[bom:].decode("utf-8"))
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        raise MetadataError(f"{sidecar}: not UTF-8 (invalid byte 0x{raw[offset]:02x} at offset {offset})") from None
    # ValueError covers JSONDecodeError and over-long integers; RecursionError, absurd nesting.
    except (ValueError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:160] if not isinstance(exc, RecursionError) else "nested too deeply"
        raise MetadataError(f"{sidecar}: malformed JSON ({detail})") from None
    if not isinstance(meta, dict):
        raise MetadataError(f"{sidecar}: expected a JSON object")
    return check_metadata(meta, str(sidecar))


# A title, an author, a URL: no metadata value of a real article comes near this, and the SHACL
# check of a 1 MB title took 10 s.
MAX_METADATA_CHARS = 2_000


def check_metadata(meta: dict, where: str) -> dict:
    """The metadata with every known key holding text: numbers become text, blanks are dropped.

    A list, an object, a boolean or text that is not valid Unicode (a lone surrogate, which
    JSON's ``\\ud800`` escapes can produce) is refused with a :class:`MetadataError`.

    >>> check_metadata({"title": " Peace ", "id": 7, "author": "", "notes": ["kept as is"]}, "a.meta.json")
    {'title': 'Peace', 'id': '7', 'notes': ['kept as is']}
    >>> check_metadata({"author": ["A", "B"]}, "a.meta.json")
    Traceback (most recent call last):
    kg.errors.MetadataError: a.meta.json: metadata 'author' must be text, not a list
    """
    checked = {}
    for key, value in meta.items():
        if key not in META_KEYS:
            checked[key] = value
            continue
        if value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise MetadataError(f"{where}: metadata {key!r} must be text, not {value}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            kind = {list: "a list", dict: "an object", bool: "a boolean"}.get(type(value), type(value).__name__)
            raise MetadataError(f"{where}: metadata {key!r} must be text, not {kind}")
        if not _encodable(value):
            raise MetadataError(f"{where}: metadata {key!r} is not valid Unicode text (a lone surrogate)")
        value = value.strip()
        if len(value) > MAX_METADATA_CHARS:
            raise MetadataError(f"{where}: metadata {key!r} is too long ({len(value):,} characters; "
                                f"limit {MAX_METADATA_CHARS:,})")
        if value:
            checked[key] = value
    return checked


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


BYLINE = re.compile(r"^By\s+([A-Z][\w.'’\- ]{2,60}?)\s*(?:,[^,\n]{2,60})?$")     # "By X" or "By X, Health Reporter"
DATELINE = re.compile(      # "NAIROBI, Feb 10 (Reuters) -"; "CHOLPON-ATA, May 21. /TASS/." (the agency between slashes)
    r"^(?P<place>[A-Z][A-Z .'\-]{2,40}?),?\s+(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})"
    r"(?:,?\s*(?P<year>\d{4}))?\s*(?:(?:\((?P<agency>[^)]{2,40})\))?\s*[—–-]|\.\s*/(?P<slashed>[A-Z]{2,12})/\.)"
)


def document_from_text(text: str, *, doc_id: str, meta: dict | None = None, path: str | None = None,
                       warnings: list[str] | None = None) -> Document:
    """Clean ``text`` and combine it with metadata (sidecar values overridden by ``meta``)."""
    where = path or doc_id
    meta = check_metadata(meta or {}, where)
    if not _encodable(text):
        raise DocumentError(f"{where}: text is not valid Unicode (it holds a lone surrogate)")
    text = fold_characters(text)
    title = meta.get("title")
    text = strip_boilerplate(text, title)
    if not text.strip():
        raise DocumentError(f"{where}: no article text left after cleaning")
    paragraphs = text.split("\n\n")
    title = title or (paragraphs[0] if len(paragraphs) > 1 and len(paragraphs[0]) < 200 else None)
    author = meta.get("author")
    dateline = meta.get("dateline")
    publisher = meta.get("publisher")
    for paragraph in paragraphs[:4]:
        byline = BYLINE.match(paragraph.split("\n", 1)[0])      # (a title may follow on the next line)
        if byline and not author:
            author = byline.group(1).strip()
        head = DATELINE.match(paragraph)
        if head:
            dateline = dateline or head.group("place").title()
            publisher = publisher or head.group("agency") or head.group("slashed")
    date = parse_date(meta["date"], where) if meta.get("date") else None
    language = str(meta.get("language") or "en")
    return Document(
        id=str(meta.get("id") or doc_id), text=text, title=title and fold_characters(str(title)),
        author=author, publisher=publisher, dateline=dateline, date=date, language=language,
        url=meta.get("url"), path=path, warnings=list(warnings or []),
    )


def read_document(path: str | Path, overrides: dict | None = None) -> Document:
    """Read one source file with its sidecar metadata; ``overrides`` (flags) win."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise DocumentError(f"{name}: no such file")
    if path.is_dir():
        raise DocumentError(f"{name}: is a directory")
    if not path.is_file():
        # A FIFO or a device would block the read forever or never end.
        raise DocumentError(f"{name}: not a regular file")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{name}: unsupported file type {path.suffix or '(none)'} "
                            f"(expected {', '.join(SUPPORTED_SUFFIXES)})")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(f"{name}: file is too large ({size // 1_000_000} MB; limit {MAX_BYTES // 1_000_000} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read ({exc.strerror or exc})") from None
    text, warnings = decode(data, name)
    meta = read_metadata(path)
    if path.suffix.lower() in (".html", ".htm"):
        text, html_meta = html_to_text(text)
        meta = {**html_meta, **meta}
        if not text.strip():
            raise DocumentError(f"{name}: no article text found in the HTML")
    elif path.suffix.lower() in (".md", ".markdown"):
        text = markdown_to_text(text)
    meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    unknown = set(meta) - set(META_KEYS) - {"notes"}
    if unknown:
        warnings.append(f"{name}: ignored metadata keys {', '.join(sorted(unknown))}")
    return document_from_text(text, doc_id=slugify(path.stem), meta=meta, path=name, warnings=warnings)


def find_sources(paths) -> list[Path]:
    """Expand directories to the source files they hold (sorted, sidecars excluded)."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(path)
    return found
