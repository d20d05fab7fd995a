"""Saved SPARQL queries: the catalogue under ``queries/``, typed parameters, running, formatting.

A saved query is one ``queries/NAME.rq`` file whose first comment lines form a header::

    # title: Who said what
    # description: Every statement with speaker, event, date and source sentence.
    # param: speaker  IRI or name of the speaker (optional)

The first words of a parameter's description give its kind: ``IRI or name …`` (an entity, given
by IRI or by label/alias), ``IRI …``, ``Date …``, ``Number …``/``Integer …``; anything else is a
string. ``(optional)`` marks it optional and ``(default X)`` gives a default.

Parameters are bound as RDF terms through pyoxigraph's ``substitutions``, never pasted into the
query text. Oxigraph only substitutes variables that a SELECT projects, so a saved SELECT query
projects each of its parameters (an optional parameter left out simply stays a free variable).

>>> query = parse_query_text("# title: T\\n# param: when  Date of the event (optional)\\nSELECT ?when {}", "t")
>>> query.title, query.params[0].kind, query.params[0].optional
('T', 'date', True)
>>> bind(query.params[0], "2023-07")
<Literal value=2023-07 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYearMonth>>
>>> shorten(NamedNode("https://w3id.org/newskg/id/person/amina-okafor"))
'id:person/amina-okafor'
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Triple, Variable

from .errors import QueryError, UsageError
from .terms import PREFIXES, RDFS, XSD

_REPO_QUERIES = Path(__file__).resolve().parent.parent / "queries"

FORMATS = ("table", "csv", "tsv", "json")


def query_dir() -> Path:
    """The saved queries: the repository's ``queries/`` in a checkout, the installed copy otherwise.

    Installed, ``queries/`` lands in ``kg/saved_queries/`` (see pyproject.toml's package-dir):
    a package named ``kg.queries`` would clash with this module.
    """
    if _REPO_QUERIES.is_dir():
        return _REPO_QUERIES
    return Path(__file__).resolve().parent / "saved_queries"


# ---------------------------------------------------------------- the catalogue


class _Record:
    """Equality and repr by the fields in ``_fields``, as a dataclass has them: this module is read at
    every `kg query`, and importing dataclasses and building three of them cost ~2.5 ms of its start."""

    _fields: tuple[str, ...] = ()
    __hash__ = None               # mutable, compared by value

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self._fields)})"


class Param(_Record):
    _fields = ("name", "description", "kind", "optional", "default")

    def __init__(self, name: str, description: str, kind: str = "string", optional: bool = False,
                 default: str | None = None):
        self.name = name
        self.description = description
        self.kind = kind              # entity, iri, date, integer, number or string
        self.optional = optional
        self.default = default


class SavedQuery(_Record):
    _fields = ("name", "title", "description", "params", "text", "path", "limit")

    def __init__(self, name: str, title: str, description: str, params: list[Param] | None = None, text: str = "",
                 path: Path | None = None, limit: int | None = None):
        self.name = name
        self.title = title
        self.description = description
        self.params = [] if params is None else params
        self.text = text
        self.path = path
        self.limit = limit            # default page size (``# limit: N``) of a query that can return many rows

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER_LINE = re.compile(r"#\s*(title|description|param|limit)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"\??([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$")
_DEFAULT = re.compile(r"\(default\s+([^)]*)\)", re.IGNORECASE)


def param_kind(description: str) -> str:
    """The kind of a parameter, read from the first words of its description.

    >>> [param_kind(d) for d in ("IRI or name of the event", "IRI of a graph", "Date (optional)", "Class name")]
    ['entity', 'iri', 'date', 'string']
    """
    words = description.lower()
    if re.match(r"iri or (name|label)\b", words):
        return "entity"
    if re.match(r"iri\b", words):
        return "iri"
    if re.match(r"date\b", words):
        return "date"
    if re.match(r"integer\b", words):
        return "integer"
    if re.match(r"number\b", words):
        return "number"
    return "string"


def parse_param(spec: str) -> Param:
    """``NAME  DESCRIPTION`` of a ``# param:`` header line."""
    match = _PARAM.match(spec.strip())
    if not match:
        raise QueryError(f"bad parameter declaration {spec!r} (expected `# param: NAME  DESCRIPTION`)")
    name, description = match.groups()
    default = _DEFAULT.search(description)
    return Param(
        name=name,
        description=description.strip(),
        kind=param_kind(description),
        optional=bool(default) or "(optional)" in description.lower(),
        default=default.group(1).strip() if default else None,
    )


def parse_query_text(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """A saved query from its text: the header comments at the top, then SPARQL."""
    title, description, params, limit = "", [], [], None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "limit":
            if not value.isdigit() or int(value) < 1:
                raise QueryError(f"bad `# limit:` header {value!r} in query {name} (expected a positive integer)")
            limit = int(value)
        else:
            params.append(parse_param(value))
    return SavedQuery(name=name, title=title, description=" ".join(description), params=params,
                      text=text, path=path, limit=limit)


def parse_query_file(path: str | Path) -> SavedQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read query file {path}: {exc}") from None
    return parse_query_text(text, path.stem, path)


def load_catalogue() -> dict[str, SavedQuery]:
    """Every saved query by name, in name order."""
    return {path.stem: parse_query_file(path) for path in sorted(query_dir().glob("*.rq"))}


def get_query(name: str) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file by path."""
    if name.endswith(".rq") and Path(name).is_file():
        return parse_query_file(name)
    path = query_dir() / f"{name}.rq"
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,200}", name) or not path.is_file():
        raise UsageError(f"unknown query '{name}' (see `kg queries`)")
    return parse_query_file(path)


def format_catalogue(catalogue: dict[str, SavedQuery]) -> str:
    """The catalogue as text: name and title, description, parameters."""
    blocks = []
    for query in catalogue.values():
        lines = [f"{query.name}: {query.title}".rstrip(": ")]
        if query.description:
            lines.append(f"    {query.description}")
        lines += [f"    --param {p.name}=…  {p.description}" for p in query.params]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


# ---------------------------------------------------------------- parameters


_IRI_SCHEMES = ("http", "https", "urn", "tag", "file", "ftp", "mailto")


def _expand_iri(value: str) -> NamedNode | None:
    """``<IRI>``, an http(s)/urn IRI, or a known prefixed name (``id:person/x``); None otherwise.

    >>> _expand_iri("wd:Q40").value, _expand_iri("Anna Berger"), _expand_iri("country:austria")
    ('http://www.wikidata.org/entity/Q40', None, None)
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    else:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value):
            return None
        prefix, _, local = value.partition(":")
        if prefix in PREFIXES:
            value = PREFIXES[prefix] + local
        elif prefix.lower() not in _IRI_SCHEMES:
            return None
    try:
        return NamedNode(value)
    except ValueError:
        return None


_ENTITIES_NAMED = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?rank ?name WHERE {
  { ?entity rdfs:label ?label BIND(1 AS ?rank) } UNION { ?entity skos:altLabel ?label BIND(2 AS ?rank) }
  FILTER(isIRI(?entity) && LCASE(STR(?label)) = LCASE(STR(?name)))
}
"""


def resolve_entity(store, value: str) -> NamedNode:
    """The entity a parameter value names: an IRI as is, else a label or alias.

    An exact label wins; otherwise labels, then aliases, are matched ignoring case. No match or
    several entities is a :class:`QueryError` naming the value.
    """
    iri = _expand_iri(value)
    if iri is not None:
        return iri
    name = value.strip()
    exact = {q.subject for q in store.store.quads_for_pattern(None, RDFS.label, Literal(name), None)
             if isinstance(q.subject, NamedNode)}
    if len(exact) == 1:
        return exact.pop()
    try:
        solutions = list(store.query(_ENTITIES_NAMED, substitutions={Variable("name"): Literal(name)}))
    except (SyntaxError, OSError, RuntimeError) as exc:
        raise QueryError(f"looking up {name!r} failed: {exc}") from None
    by_rank: dict[int, set[NamedNode]] = {}
    for solution in solutions:
        by_rank.setdefault(int(solution["rank"].value), set()).add(solution["entity"])
    matches = by_rank.get(1) or by_rank.get(2) or set()
    if not matches:
        raise QueryError(f"no entity is named {name!r} (give an IRI, a label or an alias)")
    if len(matches) > 1:
        names = ", ".join(sorted(shorten(m) for m in matches))
        raise QueryError(f"{name!r} names {len(matches)} entities: {names} (give the IRI)")
    return matches.pop()


_DATE_SHAPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "date"),
    (re.compile(r"\d{4}-\d{2}"), "gYearMonth"),
    (re.compile(r"\d{4}"), "gYear"),
)


def date_literal(value: str) -> Literal:
    """An ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` literal, chosen by the value's shape.

    >>> date_literal("2008").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYear'
    """
    value = value.strip()
    for shape, datatype in _DATE_SHAPES:
        if shape.fullmatch(value):
            import datetime as dt

            try:
                dt.date.fromisoformat((value + "-01-01")[:10])
            except ValueError:
                break
            return Literal(value, datatype=XSD[datatype])
    raise QueryError(f"bad date {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")


def bind(param: Param, value: str, store=None):
    """The RDF term a parameter value stands for, by the parameter's kind."""
    if param.kind == "entity":
        if store is None:
            raise QueryError(f"parameter {param.name!r} needs a store to look up {value!r}")
        return resolve_entity(store, value)
    if param.kind == "iri":
        iri = _expand_iri(value)
        if iri is None:
            raise QueryError(f"parameter {param.name!r}: {value!r} is not an IRI")
        return iri
    if param.kind == "date":
        return date_literal(value)
    if param.kind in ("integer", "number"):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return Literal(str(int(text)), datatype=XSD.integer)
        if param.kind == "number" and re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", text):
            return Literal(text, datatype=XSD.decimal)
        raise QueryError(f"parameter {param.name!r}: {value!r} is not a {param.kind}")
    return Literal(value)


def substitutions(query: SavedQuery, params: dict[str, str] | None, store=None) -> dict:
    """``{Variable: term}`` for the given values and the declared defaults."""
    params = dict(params or {})
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise UsageError(f"query '{query.name}' has no parameter '{unknown[0]}' (parameters: {known})")
    bound = {}
    for param in query.params:
        value = params.get(param.name, param.default)
        if value is None:
            if not param.optional:
                raise UsageError(f"query '{query.name}' needs parameter '{param.name}' ({param.description})")
            continue
        bound[Variable(param.name)] = bind(param, value, store)
    return bound


# ---------------------------------------------------------------- running


class QueryResult(_Record):
    """Columns and rows of a query. ``rows`` is a list from :func:`run`, a one-pass iterator from
    :func:`open_results` (rows are then produced as they are written, in constant memory)."""

    _fields = ("columns", "rows", "boolean", "truncated")

    def __init__(self, columns: list[str], rows: list[list] | Iterator[list], boolean: bool | None = None,
                 truncated: bool = False):
        self.columns = columns
        self.rows = rows
        self.boolean = boolean        # set for ASK
        self.truncated = truncated    # set once the rows are consumed, if the limit cut some off


_PROLOGUE = re.compile(r"\s+|#[^\n]*|(?i:PREFIX)\s*[A-Za-z0-9_.-]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>")
_UPDATE = re.compile(r"(?i:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b")


def is_update(sparql: str) -> bool:
    """Whether the operation after the prologue is a SPARQL update.

    >>> is_update("PREFIX kg: <https://w3id.org/newskg/ontology#> # note\\nDROP ALL"), is_update("SELECT * {}")
    (True, False)
    """
    position = 0
    while match := _PROLOGUE.match(sparql, position):
        if match.end() == position:
            break
        position = match.end()
    return bool(_UPDATE.match(sparql, position))


def _syntax_message(exc: SyntaxError) -> str:
    """One line that keeps Oxigraph's ``line:column`` and drops its longest lists of alternatives.

    >>> _syntax_message(SyntaxError("error at 3:13: expected one of Prefix not found, ['%'],\\n ['-']"))
    'SPARQL syntax error at 3:13: undeclared prefix'
    """
    message = " ".join(str(exc).split())
    position = re.match(r"error at (\d+:\d+):\s*", message)
    detail = message[position.end():] if position else message
    if "Prefix not found" in detail:
        detail = "undeclared prefix"
    elif len(detail) > 160:
        detail = detail[:157].rsplit(",", 1)[0] + ", …"
    return f"SPARQL syntax error at {position.group(1)}: {detail}" if position else f"SPARQL syntax error: {detail}"


def run(store, sparql: str, params: dict[str, str] | None = None, saved: SavedQuery | None = None,
        *, limit: int | None = None, offset: int = 0) -> QueryResult:
    """Run a read-only query over the union of all graphs, with typed parameters; rows as a list.

    Parameters are declared by ``saved``, or else by the header comments of ``sparql`` itself.
    ``limit``/``offset`` page through the rows (``limit=None``: all of them).
    """
    result = open_results(store, sparql, params, saved, limit=limit, offset=offset)
    result.rows = list(result.rows)
    return result


def open_results(store, sparql: str, params: dict[str, str] | None = None, saved: SavedQuery | None = None,
                 *, limit: int | None = None, offset: int = 0) -> QueryResult:
    """Like :func:`run`, but the rows come one at a time while the caller writes them out."""
    if not _shipped(saved, sparql):
        from .sparql_guard import check_nesting

        check_nesting(sparql)
    declared = saved if saved is not None else parse_query_text(sparql, "query")
    bound = substitutions(declared, params, store)
    paged = _with_page(sparql, limit, offset)
    if paged is not None:
        # the engine keeps the page (ORDER BY … LIMIT keeps the top rows only), one extra row
        # telling whether another page follows
        sparql, offset = paged, 0
    try:
        result = store.query(sparql, substitutions=bound)
    except SyntaxError as exc:
        if is_update(sparql):
            raise QueryError("kg query runs read-only queries; this is a SPARQL update") from None
        raise QueryError(_syntax_message(exc)) from None
    except RuntimeError as exc:
        raise QueryError(f"query failed: {_runtime_message(exc)}") from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from None
    return _paged(_results(result), limit, offset)


def _shipped(saved: SavedQuery | None, sparql: str) -> bool:
    """Is ``sparql`` the text of a saved query shipped in :func:`query_dir`? Those are newskg's own,
    checked by the tests to nest far below :mod:`kg.sparql_guard`'s limits, so they skip the guard
    (whose scanner costs ~7 ms to compile in every ``kg query`` process); any other text is checked."""
    return (saved is not None and saved.path is not None and sparql == saved.text
            and _folder(saved.path) == _folder(None))


@functools.lru_cache(maxsize=64)     # ~40 µs of system calls a query otherwise
def _folder(path: Path | None) -> Path:
    """The resolved folder of a query file (``None``: of the shipped queries)."""
    return query_dir().resolve() if path is None else path.resolve().parent


_OWN_PAGE = re.compile(r"\b(?:LIMIT|OFFSET)\s+\d+(?:\s|#[^\n]*)*\Z|\bVALUES\b[^}]*\}(?:\s|#[^\n]*)*\Z",
                       re.IGNORECASE)


def with_page(sparql: str, limit: int | None, offset: int) -> str | None:
    """The SELECT query with ``LIMIT limit+1 OFFSET offset`` as its solution modifier, or None.

    The two numbers are ints checked by the caller, formatted by Python — never text from a user —
    so this is not pasting parameters into SPARQL. A query that pages itself (its own LIMIT or
    OFFSET at the end) or ends in a VALUES block is left alone and paged while its rows are read.

    >>> with_page("SELECT ?s { ?s ?p ?o } ORDER BY ?s  # last", 100, 200).splitlines()[-1]
    'LIMIT 101 OFFSET 200'
    >>> with_page("SELECT ?s { ?s ?p ?o } LIMIT 5", 100, 0) is None
    True
    """
    if limit is None or is_update(sparql) or not _is_select(sparql) or _OWN_PAGE.search(sparql):
        return None
    return f"{sparql.rstrip()}\nLIMIT {int(limit) + 1} OFFSET {int(offset)}"


@functools.lru_cache(maxsize=64)     # the scans of with_page take ~30–50 µs on a saved query's text
def _with_page(sparql: str, limit: int | None, offset: int) -> str | None:
    return with_page(sparql, limit, offset)


def _is_select(sparql: str) -> bool:
    position = 0
    while match := _PROLOGUE.match(sparql, position):
        if match.end() == position:
            break
        position = match.end()
    return sparql[position:position + 6].upper() == "SELECT"


def _runtime_message(exc: Exception) -> str:
    message = str(exc)
    if "projection" in message:
        message = f"{message} (a saved query must SELECT each of its parameters)"
    return message


def _results(result) -> QueryResult:
    if isinstance(result, QueryBoolean):
        answer = bool(result)
        return QueryResult(["ask"], iter([[Literal(answer)]]), boolean=answer)
    if isinstance(result, QuerySolutions):
        columns = [variable.value for variable in result.variables]
        # a solution iterates over its values in the order of the variables (None where unbound)
        return QueryResult(columns, _guarded(map(list, result)))
    return QueryResult(["subject", "predicate", "object"],
                       _guarded([triple.subject, triple.predicate, triple.object] for triple in result))


def _guarded(rows: Iterator[list]) -> Iterator[list]:
    """Errors met while the engine produces rows (a damaged store, a failed function) as QueryError."""
    try:
        yield from rows
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {_runtime_message(exc)}") from None


def _paged(result: QueryResult, limit: int | None, offset: int) -> QueryResult:
    """Skip ``offset`` rows and stop after ``limit``; ``truncated`` tells whether more rows were left."""
    if not offset and limit is None:
        return result
    rows = itertools.islice(result.rows, offset, None)

    def page():
        taken = 0
        for row in rows:
            if limit is not None and taken == limit:
                result.truncated = True
                return
            taken += 1
            yield row

    result.rows = page()
    return result


def run_update(store, sparql: str) -> int:
    """Run a SPARQL update (``kg query --update``) in one transaction; returns the change in quads."""
    from .sparql_guard import check_nesting

    check_nesting(sparql)
    before = len(store.store)
    try:
        store.store.update(sparql, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        raise QueryError(_syntax_message(exc)) from None
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"update failed: {exc}") from None
    return len(store.store) - before


# ---------------------------------------------------------------- formatting


# (namespace, prefix), longest namespace first: the first that fits is the longest (the first declared
# wins between equal namespaces, as before)
_BY_LENGTH = sorted(((ns, p) for p, ns in reversed(list(PREFIXES.items()))), key=lambda item: -len(item[0]))
_BY_LENGTH = list({ns: (ns, p) for ns, p in _BY_LENGTH}.values())


def shorten(term) -> str:
    """An IRI as ``prefix:local`` when a known prefix fits, else the full IRI."""
    value = term.value if isinstance(term, NamedNode) else str(term)
    return _shortened(value)


@functools.lru_cache(maxsize=4096)       # a table repeats its IRIs (sources, speakers, predicates)
def _shortened(value: str) -> str:
    for namespace, prefix in _BY_LENGTH:
        if len(value) > len(namespace) and value.startswith(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


def plain(term, short: bool = False) -> str:
    """A term as plain text: IRIs (shortened if asked), literal values, ``_:id`` for blank nodes."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return shorten(term) if short else term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        return {"type": "triple", "value": {key: _json_term(getattr(term, key))
                                            for key in ("subject", "predicate", "object")}}
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype != XSD.string:
        binding["datatype"] = term.datatype.value
    return binding


TABLE_SAMPLE = 1000   # rows read ahead to size the table's columns; later rows are written as they come
_SHORT_TEXT = 500     # literal values up to this length have their cell text remembered (a sentence on many rows)


def _cell(term) -> str:
    """A table cell: the term as :func:`plain` text, IRIs shortened, each run of whitespace one space."""
    kind = type(term)
    if kind is NamedNode:
        return _SHORT_CELLS[term.value]
    if kind is Literal:
        return " ".join(term.value.split())
    return " ".join(plain(term, short=True).split())


class _Memo(dict):
    """Cell text by value text, made by ``make`` on first sight; at most ``size`` values, then afresh.
    (A dict subscript costs less than an ``lru_cache`` call, and a table makes hundreds per page.)"""

    def __init__(self, make, size: int):
        super().__init__()
        self.make, self.size = make, size

    def __missing__(self, text: str) -> str:
        if len(self) >= self.size:
            self.clear()
        cell = self[text] = self.make(text)
        return cell


_SHORT_CELLS = _Memo(lambda iri: " ".join(_shortened(iri).split()), 4096)   # a table repeats its IRIs
_SQUEEZED = _Memo(lambda text: " ".join(text.split()), 1024)                 # and its sentences, names


def _cells(row) -> list[str]:
    """The table cells of a row, as :func:`_cell` makes them: IRIs and literal values up to
    :data:`_SHORT_TEXT` characters through memos by their text (a row's terms are new objects each
    time, so a memo by term would hash and compare more than it saves)."""
    return [_SHORT_CELLS[term.value] if type(term) is NamedNode
            else (_SQUEEZED[text] if len(text := term.value) <= _SHORT_TEXT else " ".join(text.split()))
            if type(term) is Literal
            else "" if term is None else _cell(term)
            for term in row]


def _table(result: QueryResult, out: TextIO) -> None:
    """Columns as wide as their longest cell among the first :data:`TABLE_SAMPLE` rows; the sample
    is written in one call, later rows as they come."""
    columns = result.columns
    count = len(columns)

    def cells(row) -> list[str]:
        texts = _cells(row)
        if len(texts) != count:
            raise ValueError(f"a row of {len(texts)} values under {count} columns")
        return texts

    rows = iter(result.rows)
    sample = [cells(row) for row in itertools.islice(rows, TABLE_SAMPLE)]
    widths = [len(column) for column in columns]
    for index, values in enumerate(zip(*sample, strict=True)):
        widths[index] = max(widths[index], max(map(len, values)))
    # "{:<w}" pads as str.ljust does; the last column is not padded (the line is right-stripped anyway)
    template = "  ".join([f"{{:<{width}}}" for width in widths[:-1]] + (["{}"] if widths else []))

    lines = [template.format(*columns).rstrip(), "  ".join("-" * width for width in widths)]
    lines += [template.format(*row).rstrip() for row in sample]
    lines.append("")
    out.write("\n".join(lines))
    for row in rows:
        out.write(template.format(*cells(row)).rstrip() + "\n")


def _tsv_value(term) -> str:
    return plain(term).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _json(result: QueryResult, out: TextIO) -> None:
    import json

    if result.boolean is not None:
        for _ in result.rows:
            pass
        out.write(json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n")
        return
    out.write('{\n  "head": ' + json.dumps({"vars": result.columns}) + ',\n  "results": {\n    "bindings": [')
    first = True
    for row in result.rows:
        binding = {column: _json_term(term) for column, term in zip(result.columns, row, strict=True)
                   if term is not None}
        out.write(("\n      " if first else ",\n      ") + json.dumps(binding, ensure_ascii=False))
        first = False
    out.write("\n    ]\n  }\n}\n" if not first else "]\n  }\n}\n")


def write_result(result: QueryResult, fmt: str, out: TextIO) -> None:
    """Write the rows to ``out`` as they come, in ``table``, ``csv``, ``tsv`` or SPARQL ``json``.

    Memory stays constant whatever the number of rows (the table reads 1,000 rows ahead to size
    its columns).
    """
    if fmt == "table":
        _table(result, out)
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([plain(term) for term in row])
    elif fmt == "tsv":
        out.write("\t".join(result.columns) + "\n")
        for row in result.rows:
            out.write("\t".join(_tsv_value(t) for t in row) + "\n")
    elif fmt == "json":
        _json(result, out)
    else:
        raise UsageError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """The result as ``table`` (aligned, IRIs shortened), ``csv``, ``tsv`` or SPARQL ``json``.

    >>> result = QueryResult(["s", "n"], [[NamedNode("https://w3id.org/newskg/id/place/geneva"), Literal(1)]])
    >>> print(format_result(result, "table"))
    s                n
    ---------------  -
    id:place/geneva  1
    >>> print(format_result(result, "csv").strip())
    s,n
    https://w3id.org/newskg/id/place/geneva,1
    """
    import io

    buffer = io.StringIO()
    write_result(result, fmt, buffer)
    return buffer.getvalue().rstrip("\n") if fmt == "table" else buffer.getvalue()
