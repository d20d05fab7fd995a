"""Reconciliation: what our graph says about linked entities, checked against what Wikidata says.

For every entity linked to a Wikidata item (``owl:sameAs``), each of its facts below is compared
with the item's statements, fetched by one SPARQL query per batch of items sent to an endpoint
(Wikidata's query service by default, or any SPARQL 1.1 endpoint holding Wikidata-shaped data):

=====================  ==========================================================
our property           Wikidata
=====================  ==========================================================
``kg:holdsPosition``   P39 position held, full statements with P580/P582 qualifiers
``kg:headquarters``    P159 headquarters location (truthy)
``kg:location``        P276 location (truthy)
``kg:date``            P585 point in time (truthy, with its precision)
``kg:startDate``       P580 start time
``kg:endDate``         P582 end time
``kg:initiatedBy``     P112 founded by
``kg:memberCount``     P2124 member count
=====================  ==========================================================

Each fact gets one verdict: *confirmed*; *contradicted* (Wikidata gives another value, or the
post began after the article's date); *new to Wikidata* (Wikidata has nothing to compare; the
evidence sentence is what an editor would want); *stale* (a post that Wikidata says ended
before the date of the article that states it). The verdicts are written as reified statements
(``kg:ReconciliationVerdict``) into the graph :data:`RECONCILIATION_GRAPH`, replaced as a whole.

>>> compare_dates(("2023-07", 10), ("2023-07-13T00:00:00Z", 11))
0
>>> compare_dates(("2019-01-01T00:00:00Z", 9), ("2019-06-30", 11))
0
>>> compare_dates(("2019-03-20T00:00:00Z", 11), ("2023-07-16", 11))
-1
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from . import http
from .errors import LinkError, StoreError, UsageError
from .link import DEFAULT_SPARQL_ENDPOINT, USER_AGENT, normalise_name
from .terms import ID, INTERNAL_GRAPHS, KG, ONTOLOGY, PREFIXES, RDF, WIKIDATA, XSD, wikidata_iri

RECONCILIATION_GRAPH = NamedNode(INTERNAL_GRAPHS + "reconciliation")
FORMATS = ("table", "csv", "rdf")

CONFIRMED, CONTRADICTED, NEW, STALE = "confirmed", "contradicted", "new to Wikidata", "stale"
VERDICTS = (CONFIRMED, CONTRADICTED, NEW, STALE)
VERDICT_TERMS = {CONFIRMED: KG.Confirmed, CONTRADICTED: KG.Contradicted, NEW: KG.NewToWikidata, STALE: KG.Stale}

# our property -> the Wikidata property it is checked against (ontology: kg:wikidataProperty)
PROPERTIES = {
    "holdsPosition": "P39",
    "headquarters": "P159",
    "location": "P276",
    "date": "P585",
    "startDate": "P580",
    "endDate": "P582",
    "initiatedBy": "P112",
    "memberCount": "P2124",
}
DATE_PROPERTIES = ("P585", "P580", "P582")
ITEM_PROPERTIES = ("P159", "P276", "P112")
BATCH = 50  # items per query: small enough for any endpoint's limits, few enough requests

# Wikibase time precisions: 9 year, 10 month, 11 day
PRECISION = {XSD.gYear.value: 9, XSD.gYearMonth.value: 10, XSD.date.value: 11, XSD.dateTime.value: 11}
_QID = re.compile(r"Q[1-9][0-9]*")
_DATE = re.compile(r"([+-]?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?")

WIKIDATA_QUERY = """\
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX psv: <http://www.wikidata.org/prop/statement/value/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?prop ?value ?precision ?start ?startPrecision ?end ?endPrecision ?label ?alt WHERE {
  VALUES ?item { %s }
  {
    BIND("P39" AS ?prop)
    ?item p:P39 ?statement .
    ?statement ps:P39 ?value .
    FILTER NOT EXISTS { ?statement wikibase:rank wikibase:DeprecatedRank }
    OPTIONAL { ?statement pq:P580 ?start OPTIONAL { ?statement pqv:P580/wikibase:timePrecision ?startPrecision } }
    OPTIONAL { ?statement pq:P582 ?end OPTIONAL { ?statement pqv:P582/wikibase:timePrecision ?endPrecision } }
  } UNION {
    VALUES (?prop ?direct) { ("P159" wdt:P159) ("P276" wdt:P276) ("P112" wdt:P112) ("P2124" wdt:P2124) }
    ?item ?direct ?value .
  } UNION {
    VALUES (?prop ?direct ?claim ?full) {
      ("P585" wdt:P585 p:P585 psv:P585) ("P580" wdt:P580 p:P580 psv:P580) ("P582" wdt:P582 p:P582 psv:P582)
    }
    ?item ?direct ?value .
    OPTIONAL { ?item ?claim ?dated . ?dated ?full ?node .
               ?node wikibase:timeValue ?value ; wikibase:timePrecision ?precision }
  }
  OPTIONAL { ?value rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?value skos:altLabel ?alt FILTER(LANGMATCHES(LANG(?alt), "en")) }
}"""


# --------------------------------------------------------------------------- dates


def _date_parts(value: str) -> tuple[int, int, int]:
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"not a date: {value!r}")
    year, month, day = match.groups()
    return int(year), int(month or 1), int(day or 1)


def compare_dates(a: tuple[str, int], b: tuple[str, int]) -> int:
    """-1, 0 or 1: ``a`` before, at or after ``b``, compared at the coarser of their precisions.

    Each side is (lexical date, Wikibase precision: 9 year, 10 month, 11 day); "2023" and
    "2023-07-13" are equal, since a year cannot be told apart from a day within it.
    """
    keep = min(a[1], b[1], 11) - 8  # 1: year, 2: year and month, 3: full date
    left, right = _date_parts(a[0])[:max(1, keep)], _date_parts(b[0])[:max(1, keep)]
    return (left > right) - (left < right)


def _precision(literal: Literal) -> int:
    return PRECISION.get(literal.datatype.value if literal.datatype else "", 11)


# --------------------------------------------------------------------------- our facts


@dataclass
class Fact:
    """One of our facts about a linked entity, with the evidence that supports it."""

    entity: NamedNode
    entity_label: str
    qid: str
    prop: str  # our property's local name (kg:…)
    value: NamedNode | Literal
    value_label: str = ""
    value_names: set[str] = field(default_factory=set)
    value_qid: str = ""
    evidence: NamedNode | None = None
    sentence: str = ""
    document: NamedNode | None = None
    article_date: Literal | None = None

    @property
    def shown_value(self) -> str:
        if isinstance(self.value, Literal):
            return self.value.value
        return self.value_label or self.value.value


_FACTS = """
SELECT ?entity ?item ?property ?value WHERE {
  VALUES ?property { kg:holdsPosition kg:headquarters kg:location kg:date kg:startDate kg:endDate
                     kg:initiatedBy kg:memberCount }
  ?entity owl:sameAs ?item ; ?property ?value .
}"""
_NAMES = "SELECT ?node ?label ?alt WHERE { ?node rdfs:label ?label OPTIONAL { ?node skos:altLabel ?alt } }"
_LINKS = "SELECT ?node ?item WHERE { ?node owl:sameAs ?item }"
_EVIDENCE = """
SELECT ?subject ?predicate ?object ?evidence ?doc ?sentence ?published WHERE {
  ?evidence a kg:Evidence ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
  OPTIONAL { ?evidence kg:source ?doc OPTIONAL { ?doc kg:datePublished ?published } }
  OPTIONAL { ?evidence kg:sentence ?sentence }
}"""


def read_facts(store) -> tuple[list[Fact], int]:
    """Our facts about linked entities (one per entity, property and value), and how many linked entities."""
    store = getattr(store, "store", store)

    def select(query: str):
        try:
            return list(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"reading the store failed: {exc}") from None

    links: dict[str, str] = {}
    for row in select(_LINKS):
        if isinstance(row["node"], NamedNode) and row["item"].value.startswith(WIKIDATA):
            qid = row["item"].value[len(WIKIDATA):]
            if _QID.fullmatch(qid):
                links.setdefault(row["node"].value, qid)
    labels: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for row in select(_NAMES):
        node = row["node"].value
        labels[node] = min(labels.get(node, row["label"].value), row["label"].value)
        names.setdefault(node, set()).add(row["label"].value)
        if row["alt"] is not None:
            names[node].add(row["alt"].value)
    # one evidence per fact: the one from the latest article (the one a stale post matters to)
    evidence: dict[tuple[str, str, str], tuple] = {}
    for row in select(_EVIDENCE):
        key = (row["subject"].value, row["predicate"].value, str(row["object"]))
        candidate = (row["published"].value if row["published"] is not None else "", row["evidence"].value, row)
        if key not in evidence or candidate[:2] > evidence[key][:2]:
            evidence[key] = candidate

    facts: dict[tuple[str, str, str], Fact] = {}
    for row in select(_FACTS):
        entity, value = row["entity"], row["value"]
        qid = links.get(entity.value)
        if not isinstance(entity, NamedNode) or qid is None or isinstance(value, BlankNode):
            continue
        prop = row["property"].value[len(ONTOLOGY):]
        key = (entity.value, row["property"].value, str(value))
        if key in facts:
            continue
        fact = Fact(entity, labels.get(entity.value, entity.value), qid, prop, value)
        if isinstance(value, NamedNode):
            fact.value_label = labels.get(value.value, "")
            fact.value_names = names.get(value.value, set())
            fact.value_qid = links.get(value.value, "")
        if key in evidence:
            found = evidence[key][2]
            fact.evidence = found["evidence"]
            fact.document = found["doc"]
            fact.sentence = found["sentence"].value if found["sentence"] is not None else ""
            fact.article_date = found["published"]
        facts[key] = fact
    ordered = sorted(facts.values(), key=lambda f: (normalise_name(f.entity_label), f.entity.value, f.prop,
                                                    f.shown_value))
    return ordered, len(links)


# --------------------------------------------------------------------------- Wikidata's side


@dataclass
class WikidataValue:
    """One value of an item's property, as the endpoint gives it."""

    value: NamedNode | Literal
    precision: int = 11
    start: tuple[str, int] | None = None
    end: tuple[str, int] | None = None
    label: str = ""
    names: set[str] = field(default_factory=set)

    @property
    def qid(self) -> str:
        if isinstance(self.value, NamedNode) and self.value.value.startswith(WIKIDATA):
            return self.value.value[len(WIKIDATA):]
        return ""

    def shown(self) -> str:
        if self.qid:
            text = f"{self.qid} ({self.label})" if self.label else self.qid
        else:
            text = self.value.value
        if self.start or self.end:
            text += f" [{self.start[0][:10] if self.start else '?'} – {self.end[0][:10] if self.end else ''}]"
        return text


class SparqlClient(http.Client):
    """SPARQL 1.1 protocol over HTTP POST, politely: a User-Agent, a timeout per request, retries
    with exponential backoff on 429, 5xx and network errors, and an overall deadline after which
    no retry starts. Failures become one-line :class:`~kg.errors.LinkError` messages.

    >>> SparqlClient("http://127.0.0.1:9/sparql", retries=0).requests
    0
    """

    def __init__(self, endpoint: str = DEFAULT_SPARQL_ENDPOINT, *, user_agent: str = USER_AGENT,
                 timeout: float = 60.0, retries: int = 3, backoff: float = 2.0, deadline: float = 300.0,
                 sleep: Callable[[float], object] = time.sleep, clock: Callable[[], float] = time.monotonic):
        if not re.match(r"https?://[^/\s]+", endpoint or ""):
            raise UsageError(f"--endpoint must be an http(s) URL, not {endpoint!r}")
        super().__init__(user_agent=user_agent, timeout=timeout, retries=retries, backoff=backoff,
                         deadline=deadline, sleep=sleep, clock=clock)
        self.endpoint = endpoint

    def select(self, query: str) -> list[dict[str, NamedNode | Literal | BlankNode]]:
        """The solutions of a SELECT query, as pyoxigraph terms by variable name."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "User-Agent": self.user_agent, "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded"})

        try:
            return self.send(request, lambda data, headers: _parse_results(data, self.endpoint))
        except http.Refused as exc:
            raise LinkError(f"SPARQL endpoint {self.endpoint} refused the query: HTTP {exc.code} "
                            f"{exc.reason}{': ' + exc.detail if exc.detail else ''}") from None
        except http.Exhausted as exc:
            raise LinkError(f"SPARQL endpoint {self.endpoint} cannot be reached ({exc.failure}; "
                            f"{exc.attempts} attempt{'s' if exc.attempts != 1 else ''})") from None


def _parse_results(data: bytes, endpoint: str) -> list[dict]:
    try:
        results = json.loads(data.decode("utf-8"))
        bindings = results["results"]["bindings"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise LinkError(f"SPARQL endpoint {endpoint} answered something that is not SPARQL JSON results") from None
    rows = []
    for binding in bindings:
        row = {}
        for name, term in binding.items():
            kind, value = term.get("type"), term.get("value", "")
            if kind == "uri":
                row[name] = NamedNode(value)
            elif kind in ("literal", "typed-literal"):
                if term.get("xml:lang"):
                    row[name] = Literal(value, language=term["xml:lang"])
                elif term.get("datatype"):
                    row[name] = Literal(value, datatype=NamedNode(term["datatype"]))
                else:
                    row[name] = Literal(value)
            else:
                row[name] = BlankNode()
        rows.append(row)
    return rows


def fetch_wikidata(client: SparqlClient, qids: Iterable[str]) -> dict[tuple[str, str], list[WikidataValue]]:
    """(QID, property) -> values, for every property of :data:`PROPERTIES`, in batches of items."""
    ordered = sorted(set(qids), key=lambda q: int(q[1:]))
    found: dict[tuple[str, str], dict[tuple, WikidataValue]] = {}
    for start in range(0, len(ordered), BATCH):
        # QIDs are checked by wikidata_iri and written by pyoxigraph, never pasted from input
        items = " ".join(str(wikidata_iri(q)) for q in ordered[start:start + BATCH])
        for row in client.select(WIKIDATA_QUERY % items):
            item, prop, value = row.get("item"), row.get("prop"), row.get("value")
            if not isinstance(item, NamedNode) or prop is None or not isinstance(value, (NamedNode, Literal)):
                continue  # "unknown value" (a blank node) says nothing to compare
            qid = item.value[len(WIKIDATA):]
            start_, end_ = _qualifier(row, "start"), _qualifier(row, "end")
            key = (str(value), start_, end_)
            bucket = found.setdefault((qid, prop.value), {})
            entry = bucket.get(key)
            if entry is None:
                entry = bucket[key] = WikidataValue(value, start=start_, end=end_)
            if row.get("precision") is not None:
                entry.precision = _int(row["precision"], 11)
            for name in ("label", "alt"):
                if row.get(name) is not None:
                    entry.names.add(row[name].value)
            if row.get("label") is not None:
                entry.label = min(entry.label or row["label"].value, row["label"].value)
    return {key: list(values.values()) for key, values in found.items()}


def _int(term, default: int) -> int:
    try:
        return int(term.value)
    except (AttributeError, ValueError):
        return default


def _qualifier(row: dict, name: str) -> tuple[str, int] | None:
    value = row.get(name)
    if not isinstance(value, Literal) or not _DATE.match(value.value):
        return None
    return value.value, _int(row.get(name + "Precision"), 11)


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    """One of our facts with Wikidata's answer."""

    fact: Fact
    verdict: str
    wikidata: tuple[WikidataValue, ...] = ()
    note: str = ""

    @property
    def wikidata_property(self) -> str:
        return PROPERTIES[self.fact.prop]


def _matches(fact: Fact, candidate: WikidataValue) -> bool:
    if fact.value_qid and candidate.qid:
        return fact.value_qid == candidate.qid
    ours = {normalise_name(n) for n in fact.value_names | {fact.value_label} if n}
    return bool(ours & {normalise_name(n) for n in candidate.names})


def _same_number(ours: Literal, theirs: WikidataValue) -> bool:
    try:
        return Decimal(ours.value) == Decimal(theirs.value.value)
    except (InvalidOperation, AttributeError):
        return False


def judge(fact: Fact, values: list[WikidataValue]) -> Verdict:
    """The verdict on one fact, given Wikidata's values of the matching property."""
    pid = PROPERTIES[fact.prop]
    if not values:
        return Verdict(fact, NEW, note=f"Wikidata has no {pid} for {fact.qid}")
    if pid == "P39":
        return _judge_post(fact, values)
    if pid in DATE_PROPERTIES:
        if not isinstance(fact.value, Literal) or not _DATE.match(fact.value.value):
            return Verdict(fact, NEW, note="our value is not a date")
        ours = (fact.value.value, _precision(fact.value))
        same = [v for v in values if isinstance(v.value, Literal) and _DATE.match(v.value.value)
                and compare_dates(ours, (v.value.value, v.precision)) == 0]
    elif pid == "P2124":
        same = [v for v in values if isinstance(fact.value, Literal) and _same_number(fact.value, v)]
    else:
        same = [v for v in values if _matches(fact, v)]
    if same:
        return Verdict(fact, CONFIRMED, tuple(same))
    return Verdict(fact, CONTRADICTED, tuple(values), note=f"Wikidata's {pid} differs")


def _judge_post(fact: Fact, values: list[WikidataValue]) -> Verdict:
    held = [v for v in values if _matches(fact, v)]
    if not held:
        return Verdict(fact, NEW, note=f"none of Wikidata's {len(values)} P39 statements is this post")
    if fact.article_date is None:
        return Verdict(fact, CONFIRMED, tuple(held), note="no article date to check the term against")
    day = (fact.article_date.value, _precision(fact.article_date))
    current = [v for v in held if (v.start is None or compare_dates(v.start, day) <= 0)
               and (v.end is None or compare_dates(v.end, day) >= 0)]
    if current:
        return Verdict(fact, CONFIRMED, tuple(current))
    ended = [v for v in held if v.end is not None and compare_dates(v.end, day) < 0]
    if ended:
        last = max(ended, key=lambda v: _date_parts(v.end[0]))
        return Verdict(fact, STALE, tuple(ended),
                       note=f"Wikidata says the post ended {last.end[0][:10]}, before the article ({day[0]})")
    first = min(held, key=lambda v: _date_parts(v.start[0]) if v.start else (0, 0, 0))
    return Verdict(fact, CONTRADICTED, tuple(held),
                   note=f"Wikidata says the post began {first.start[0][:10] if first.start else '?'}, "
                        f"after the article ({day[0]})")


@dataclass
class ReconcileReport:
    """What :func:`reconcile` found, fact by fact."""

    verdicts: list[Verdict] = field(default_factory=list)
    linked_entities: int = 0
    requests: int = 0
    endpoint: str = ""

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for verdict in self.verdicts:
            counts[verdict.verdict] += 1
        return counts

    def summary(self) -> str:
        """One line for the CLI.

        >>> ReconcileReport(linked_entities=2).summary()
        'reconciled 0 facts of 2 linked entities: 0 confirmed, 0 contradicted, 0 new to Wikidata, 0 stale'
        """
        detail = ", ".join(f"{n} {name}" for name, n in self.counts().items())
        return f"reconciled {len(self.verdicts)} facts of {self.linked_entities} linked entities: {detail}"


def reconcile(store, client: SparqlClient | None = None, *, write: bool = True) -> ReconcileReport:
    """Judge every fact of the store's linked entities against the endpoint of ``client``.

    ``store`` is a :class:`kg.store.KGStore` (or a pyoxigraph ``Store``). With ``write`` the
    reconciliation graph is replaced by the verdicts (removed when there are none). Nothing is
    written when the endpoint fails.
    """
    facts, linked = read_facts(store)
    client = client or SparqlClient()
    report = ReconcileReport(linked_entities=linked, endpoint=client.endpoint)
    if facts:
        before = client.requests
        answers = fetch_wikidata(client, {f.qid for f in facts})
        report.requests = client.requests - before
        report.verdicts = [judge(f, answers.get((f.qid, PROPERTIES[f.prop]), [])) for f in facts]
    if write:
        _write(store, list(verdict_quads(report.verdicts, RECONCILIATION_GRAPH)))
    return report


def _write(store, quads: list[Quad]) -> None:
    if hasattr(store, "replace_graph"):  # a KGStore: staged, then swapped in one step
        if quads:
            store.replace_graph(RECONCILIATION_GRAPH, quads)
        else:
            store.remove_graph(RECONCILIATION_GRAPH)
        return
    try:
        store.remove_graph(RECONCILIATION_GRAPH)
        store.extend(quads)
    except OSError as exc:
        raise StoreError(f"writing the reconciliation failed: {exc}") from None


# --------------------------------------------------------------------------- output


def verdict_iri(verdict: Verdict) -> NamedNode:
    fact = verdict.fact
    digest = hashlib.sha1("\n".join([fact.entity.value, fact.prop, str(fact.value)]).encode("utf-8")).hexdigest()
    return NamedNode(f"{ID}reconciliation/{digest[:16]}")


def verdict_quads(verdicts: Iterable[Verdict], graph: NamedNode = RECONCILIATION_GRAPH):
    """Each verdict as a reified statement: rdf:subject/predicate/object our fact, kg:verdict its class."""
    for verdict in verdicts:
        fact, node = verdict.fact, verdict_iri(verdict)
        yield Quad(node, RDF.type, KG.ReconciliationVerdict, graph)
        yield Quad(node, RDF.subject, fact.entity, graph)
        yield Quad(node, RDF.predicate, KG[fact.prop], graph)
        yield Quad(node, RDF.object, fact.value, graph)
        yield Quad(node, KG.verdict, VERDICT_TERMS[verdict.verdict], graph)
        yield Quad(node, KG.wikidataItem, wikidata_iri(fact.qid), graph)
        if fact.evidence is not None:
            yield Quad(node, KG.basedOnEvidence, fact.evidence, graph)
        for value in verdict.wikidata:
            if isinstance(value.value, NamedNode):
                yield Quad(node, KG.wikidataValue, value.value, graph)
            else:
                yield Quad(node, KG.wikidataLiteral, value.value, graph)
            if value.start:
                yield Quad(node, KG.wikidataStartDate, Literal(value.start[0], datatype=XSD.dateTime), graph)
            if value.end:
                yield Quad(node, KG.wikidataEndDate, Literal(value.end[0], datatype=XSD.dateTime), graph)
        if verdict.note:
            yield Quad(node, KG.reconciliationNote, Literal(verdict.note), graph)


COLUMNS = ("verdict", "entity", "qid", "property", "wikidata_property", "our_value", "wikidata_value",
           "note", "article_date", "evidence_sentence", "entity_iri")


def rows(report: ReconcileReport) -> list[dict[str, str]]:
    return [{
        "verdict": v.verdict,
        "entity": v.fact.entity_label,
        "qid": v.fact.qid,
        "property": f"kg:{v.fact.prop}",
        "wikidata_property": v.wikidata_property,
        "our_value": v.fact.shown_value,
        "wikidata_value": "; ".join(w.shown() for w in v.wikidata),
        "note": v.note,
        "article_date": v.fact.article_date.value if v.fact.article_date is not None else "",
        "evidence_sentence": v.fact.sentence,
        "entity_iri": v.fact.entity.value,
    } for v in report.verdicts]


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def format_report(report: ReconcileReport, fmt: str = "table") -> str:
    """The verdicts as an aligned table, CSV (every column, full sentences) or Turtle."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(report))
        return out.getvalue()
    if fmt == "rdf":
        triples = [Quad(q.subject, q.predicate, q.object) for q in verdict_quads(report.verdicts)]
        prefixes = {k: v for k, v in PREFIXES.items() if k in ("kg", "rdf", "wd", "xsd")}
        return serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    if fmt != "table":
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    shown = ("verdict", "entity", "property", "our_value", "wikidata_value", "evidence_sentence")
    widths = {"entity": 30, "our_value": 30, "wikidata_value": 50, "evidence_sentence": 60}
    table = [[_cut(row[c] or (row["note"] if c == "wikidata_value" else ""), widths.get(c, 40)) for c in shown]
             for row in rows(report)]
    header = ["verdict", "entity", "property", "ours", "Wikidata", "evidence"]
    sizes = [max([len(h)] + [len(r[i]) for r in table]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(s) for h, s in zip(header, sizes, strict=True)).rstrip(),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(c.ljust(s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in table]
    return "\n".join(lines) + "\n"
