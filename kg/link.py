"""Wikidata linking: offline table, live API client, cache, scoring.

An entity is linked (``owl:sameAs`` a Wikidata item) by the first of these that knows it:

1. the offline table ``data/wikidata/verified-qids.tsv`` (label or alias, same class);
2. the cache of earlier live decisions, a JSON file the caller keeps beside the store;
3. with ``online=True``, the Wikidata API: candidates from ``wbsearchentities``, then types,
   labels, aliases and descriptions from ``wbgetentities``, scored by :func:`choose_candidate`.

A wrong link is worse than none: an entity stays unlinked (NIL) unless one candidate of a
compatible type matches its name and no other candidate comes close.

>>> normalise_name("  Genève   Airport ")
'geneve airport'
>>> from pyoxigraph import Store
>>> report = link_store(Store())
>>> (report.linked, report.unlinked)
([], [])
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import time
import unicodedata
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import __version__, http
from .errors import LinkError, StoreError
from .lexicon import data_dir
from .terms import GRAPH, ID, KG, LINKS_GRAPH, OWL, PREFIXES, RDF, XSD, wikidata_iri

DEFAULT_API_URL = "https://www.wikidata.org/w/api.php"
DEFAULT_SPARQL_ENDPOINT = "https://query.wikidata.org/sparql"
# Wikimedia's User-Agent policy asks for a tool name, version and a way to reach the operator.
USER_AGENT = f"newskg/{__version__} (https://w3id.org/newskg; knowledge-graph tool)"

METHOD_TABLE = "wikidata-offline-table"
METHOD_CACHE = "wikidata-cache"
METHOD_API = "wikidata-api"

# Classes we link, most specific first: an entity typed both Country and Place is a Country.
LINKED_CLASSES = ("Person", "Country", "Organisation", "Event", "Place", "Document")
# Wikidata types every human and every country reliably, so a candidate without an accepted type
# is certainly something else. Places, organisations, events and documents come in thousands of
# Wikidata classes we do not list, so such a candidate may still be the thing named: it cannot be
# linked, but it does count as a rival that makes the name ambiguous.
EXHAUSTIVELY_TYPED = frozenset({"Person", "Country"})
# Pseudo-class of accepted-types.tsv: Wikimedia pages and name items, which are never the thing named.
IGNORED = "Ignore"

ALIAS_TABLE_SCORE = 0.95  # the table row matched one of our aliases, not our canonical label
LOOSE_MATCH_SCORE = 0.95  # equal once punctuation and spacing are ignored ("U.N." and "UN")
FUZZY_WEIGHT = 0.75  # other names: never reaches the default threshold, only ranks rivals
CONTEXT_BONUS = 0.15  # the candidate points at, or describes, an entity of the same document
AMBIGUITY_MARGIN = 0.1  # a rival this close to the best candidate makes the name ambiguous
MAX_ALIAS_SEARCHES = 2

# Staged under the prefix KGStore drops on open, so a crash never leaves a stray graph behind.
STAGING_GRAPH = NamedNode(GRAPH + "staging/wikidata-links")
CACHE_FORMAT = "newskg-wikidata-cache/1"

_QID = re.compile(r"Q[1-9][0-9]*")


# --------------------------------------------------------------------------- names


def normalise_name(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for exact comparison.

    >>> normalise_name("Côte d’Ivoire") == normalise_name("COTE D'IVOIRE")
    True
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")
    return " ".join(text.casefold().split())


def _loose(name: str) -> str:
    return re.sub(r"[\W_]+", "", normalise_name(name))


def name_similarity(ours: Iterable[str], theirs: Iterable[str]) -> float:
    """Best match between our names and a candidate's label and aliases, in [0, 1].

    >>> name_similarity(["Buenos Aires"], ["buenos aires"])
    1.0
    >>> name_similarity(["U.N."], ["UN"])
    0.95
    >>> name_similarity(["Georgia Laine"], ["Georgia Lane"]) < 0.8
    True
    """
    best = 0.0
    theirs = [t for t in theirs if t]
    for a in (n for n in ours if n):
        for b in theirs:
            if normalise_name(a) == normalise_name(b):
                return 1.0
            if _loose(a) and _loose(a) == _loose(b):
                best = max(best, LOOSE_MATCH_SCORE)
            else:
                ratio = SequenceMatcher(None, normalise_name(a), normalise_name(b)).ratio()
                best = max(best, round(FUZZY_WEIGHT * ratio, 4))
    return best


# --------------------------------------------------------------------------- data files


def _read_tsv(path: Path) -> list[dict[str, str]]:
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise LinkError(f"cannot read {path}: {exc.strerror or exc}") from None
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in rows]


def default_table_path() -> Path:
    return data_dir() / "wikidata" / "verified-qids.tsv"


def default_table_paths() -> tuple[Path, ...]:
    """The seed's table, then the two-source table built by data/wikidata/build/build_table.py."""
    return (default_table_path(), data_dir() / "wikidata" / "offline-table.tsv")


# Which rows of the offline table an entity of each class may take: a Country is a Place, so a Place
# may link to a country row; no other class crosses (a Person "Georgia" never gets the country).
TABLE_CLASSES = {cls: (cls,) for cls in LINKED_CLASSES} | {"Place": ("Place", "Country")}


class OfflineTable(dict):
    """(class, normalised name) -> QIDs, plus ``ambiguous``: the (class, name) keys that never link alone.

    A name is ambiguous when the table marks it so (its ``ambiguous`` column: Georgia, Congo, Guinea,
    Washington…) or when two rows of one class claim it. Such a name links an entity only if another
    of the entity's names is an unambiguous name of the same row ("Republic of the Congo" does,
    a bare "Congo" does not).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ambiguous: set[tuple[str, str]] = set()


def load_table(path: str | Path | None = None) -> OfflineTable:
    """The offline table: (class, normalised label or alias) -> QIDs.

    With no ``path`` the seed's table and the two-source table are read together. A file has the
    columns label, qid, class and may add aliases and ambiguous (``|``-separated names).

    >>> load_table()[("Place", "geneva")]
    frozenset({'Q71'})
    >>> ("Country", "georgia") in load_table().ambiguous
    True
    """
    paths = [Path(path)] if path else [p for p in default_table_paths() if p.exists()]
    table: dict[tuple[str, str], set[str]] = {}
    flagged: set[tuple[str, str]] = set()
    for file in paths:
        for row in _read_tsv(file):
            qid, cls, label = row.get("qid", ""), row.get("class", ""), row.get("label", "")
            if not (_QID.fullmatch(qid) and cls in LINKED_CLASSES and label):
                raise LinkError(f"bad row in the offline Wikidata table {file.name}: {row}")
            for name in [label, *row.get("aliases", "").split("|")]:
                if name.strip():
                    table.setdefault((cls, normalise_name(name)), set()).add(qid)
            flagged.update((cls, normalise_name(n)) for n in row.get("ambiguous", "").split("|") if n.strip())
    result = OfflineTable({key: frozenset(qids) for key, qids in table.items()})
    result.ambiguous = flagged
    return result


def default_types_path() -> Path:
    return data_dir() / "wikidata" / "accepted-types.tsv"


def load_accepted_types(path: str | Path | None = None) -> dict[str, frozenset[str]]:
    """Our class -> the Wikidata P31 classes a candidate needs to be linked to it.

    The ``Ignore`` entry lists the classes of items that are never candidates.

    >>> types = load_accepted_types()
    >>> "Q5" in types["Person"], "Q4167410" in types["Ignore"]
    (True, True)
    """
    types: dict[str, set[str]] = {cls: set() for cls in (*LINKED_CLASSES, IGNORED)}
    for row in _read_tsv(Path(path) if path else default_types_path()):
        if row.get("class") not in types or not _QID.fullmatch(row.get("qid", "")):
            raise LinkError(f"bad row in the accepted Wikidata types: {row}")
        types[row["class"]].add(row["qid"])
    return {cls: frozenset(qids) for cls, qids in types.items()}


# --------------------------------------------------------------------------- API client


class WikidataClient(http.Client):
    """A small, polite client of the Wikidata action API (``wbsearchentities``, ``wbgetentities``).

    It waits ``min_interval`` seconds between requests, retries HTTP 429, 5xx, ``maxlag`` answers,
    timeouts and network errors with exponential backoff (honouring ``Retry-After``), and raises
    :class:`~kg.errors.LinkError` with one line when retries run out or an answer is not the JSON
    it should be. ``sleep`` and ``clock`` are injectable so tests do not wait.

    >>> WikidataClient("http://127.0.0.1:9/w/api.php", retries=0).requests
    0
    """

    def __init__(self, api_url: str = DEFAULT_API_URL, *, user_agent: str = USER_AGENT,
                 timeout: float = 10.0, min_interval: float = 0.5, retries: int = 3,
                 backoff: float = 1.0, max_wait: float = 60.0,
                 sleep: Callable[[float], object] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(user_agent=user_agent, timeout=timeout, retries=retries, backoff=backoff,
                         max_wait=max_wait, sleep=sleep, clock=clock)
        self.api_url = api_url
        self.min_interval = min_interval
        self._last_request: float | None = None

    def search(self, label: str, language: str = "en", limit: int = 7) -> list[dict]:
        """Candidate items for a name: the ``search`` list of ``wbsearchentities``, in API order."""
        data = self._call({"action": "wbsearchentities", "search": label, "language": language,
                           "uselang": language, "type": "item", "limit": str(limit)},
                          f"search for {label!r}")
        hits = data.get("search")
        if not isinstance(hits, list):
            raise LinkError(f"Wikidata API answered a search for {label!r} without a result list")
        return [hit for hit in hits if isinstance(hit, dict) and _QID.fullmatch(str(hit.get("id", "")))]

    def get_entities(self, qids: Iterable[str], language: str = "en") -> dict[str, dict]:
        """Labels, aliases, descriptions and claims of items, by QID (missing items left out)."""
        ids = sorted({q for q in qids if _QID.fullmatch(q)}, key=lambda q: int(q[1:]))
        found: dict[str, dict] = {}
        for start in range(0, len(ids), 50):  # the API's limit per request
            batch = ids[start:start + 50]
            data = self._call({"action": "wbgetentities", "ids": "|".join(batch), "languages": language,
                               "props": "labels|aliases|descriptions|claims"},
                              f"wbgetentities {batch[0]}{'…' if len(batch) > 1 else ''}")
            entities = data.get("entities")
            if not isinstance(entities, dict):
                raise LinkError(f"Wikidata API answered wbgetentities {batch[0]}… without entities")
            for qid, entity in entities.items():
                if isinstance(entity, dict) and "missing" not in entity:
                    found[qid] = entity
        return found

    # -- transport

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self.min_interval - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()

    def _call(self, params: dict[str, str], what: str) -> dict:
        # maxlag asks the API to refuse us while its replicas lag: the etiquette for batch tools.
        url = self.api_url + "?" + urllib.parse.urlencode({**params, "format": "json", "maxlag": "5"})
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept": "application/json"})

        def accept(body: bytes, headers) -> dict:
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise LinkError(f"Wikidata API answered malformed JSON to {what} ({detail})") from None
            if not isinstance(data, dict):
                raise LinkError(f"Wikidata API answered {what} with JSON that is not an object")
            error = data.get("error")
            if isinstance(error, dict):
                if error.get("code") == "maxlag":
                    raise http.Retry("server lag (maxlag)", http.retry_after(headers))
                raise LinkError(f"Wikidata API error for {what}: {error.get('code')}: {error.get('info', '')}"
                                .splitlines()[0])
            return data

        try:
            return self.send(request, accept, before=self._wait_turn)
        except http.Refused as exc:
            raise LinkError(f"Wikidata API refused {what}: HTTP {exc.code} {exc.reason}") from None
        except http.Exhausted as exc:
            raise LinkError(f"Wikidata API at {self.api_url} failed {what} after "
                            f"{self.retries + 1} attempts (last: {exc.failure})") from None


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Candidate:
    """What the linker reads from one ``wbgetentities`` item."""

    qid: str
    label: str
    aliases: tuple[str, ...]
    description: str
    types: frozenset[str]  # values of P31
    mentions: frozenset[str]  # every item any claim points at (P17 country, P27 citizenship, …)

    @classmethod
    def from_entity(cls, qid: str, entity: dict, language: str = "en") -> Candidate:
        def text(key: str) -> str:
            value = (entity.get(key) or {}).get(language) or {}
            return value.get("value", "") if isinstance(value, dict) else ""

        aliases = (entity.get("aliases") or {}).get(language) or []
        claims = entity.get("claims") or {}
        return cls(qid, text("labels"), tuple(a.get("value", "") for a in aliases if isinstance(a, dict)),
                   text("descriptions"), frozenset(_item_values(claims.get("P31"))),
                   frozenset(v for statements in claims.values() for v in _item_values(statements)))


def _item_values(statements) -> Iterator[str]:
    for statement in statements if isinstance(statements, list) else ():
        if not isinstance(statement, dict) or statement.get("rank") == "deprecated":
            continue
        value = ((statement.get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if isinstance(value, dict) and _QID.fullmatch(str(value.get("id", ""))):
            yield value["id"]


@dataclass(frozen=True)
class Decision:
    """The outcome for one name: a QID with its score, or NIL (``qid is None``) with a reason."""

    qid: str | None
    score: float = 0.0
    reason: str = ""
    label: str = ""
    description: str = ""


def choose_candidate(entity_class: str, names: list[str], candidates: list[Candidate],
                     accepted_types: dict[str, frozenset[str]], *, context_qids: frozenset[str] = frozenset(),
                     context_names: frozenset[str] = frozenset(), threshold: float = 0.8) -> Decision:
    """Pick the candidate an entity is, or none.

    A candidate is linkable only with an accepted P31 type for ``entity_class``; one whose types
    belong to another of our classes, or to ``Ignore`` (disambiguation pages, family names…), is
    discarded. Scores are name similarity plus a context bonus (its claims point at an item linked
    in the same documents, or its description names one of their entities). The best linkable candidate wins only if its name similarity reaches
    ``threshold`` and no other candidate scores within ``AMBIGUITY_MARGIN`` of it.

    >>> types = {"Person": frozenset({"Q5"}), "Place": frozenset({"Q515"})}
    >>> city = Candidate("Q90", "Paris", (), "capital of France", frozenset({"Q515"}), frozenset())
    >>> person = Candidate("Q7", "Paris", (), "a person", frozenset({"Q5"}), frozenset())
    >>> choose_candidate("Place", ["Paris"], [person, city], types).qid
    'Q90'
    >>> choose_candidate("Person", ["Paris"], [person, city], types).qid
    'Q7'
    >>> twin = Candidate("Q8", "Paris", (), "another person", frozenset({"Q5"}), frozenset())
    >>> choose_candidate("Person", ["Paris"], [person, twin], types).reason
    'ambiguous: Q7 (Paris) 1.00 vs Q8 (Paris) 1.00'
    """
    if not candidates:
        return Decision(None, reason="no Wikidata candidates")
    accepted = accepted_types.get(entity_class, frozenset())
    other_classes = frozenset().union(*accepted_types.values()) - accepted  # Ignore included
    scored: list[tuple[float, float, bool, Candidate]] = []  # score, name similarity, linkable
    for candidate in candidates:
        linkable = bool(candidate.types & accepted)
        if not linkable and (entity_class in EXHAUSTIVELY_TYPED or candidate.types & other_classes):
            continue
        similarity = name_similarity(names, (candidate.label, *candidate.aliases))
        description = normalise_name(candidate.description)
        in_context = bool(candidate.mentions & context_qids) or any(
            len(name) >= 4 and name in description for name in context_names)
        scored.append((similarity + (CONTEXT_BONUS if in_context else 0.0), similarity, linkable, candidate))
    linkable = sorted((s for s in scored if s[2]), key=lambda s: (-s[0], int(s[3].qid[1:])))
    if not linkable:
        return Decision(None, reason="no candidate of a compatible type")
    score, similarity, _, best = linkable[0]
    if similarity < threshold:
        return Decision(None, round(score, 2), f"best candidate {best.qid} ({best.label}) matches the name "
                        f"only at {similarity:.2f} < {threshold:.2f}", best.label, best.description)
    for rival_score, _, _, rival in scored:
        if rival is not best and rival_score > score - AMBIGUITY_MARGIN:
            return Decision(None, round(score, 2), f"ambiguous: {best.qid} ({best.label}) {score:.2f} vs "
                            f"{rival.qid} ({rival.label}) {rival_score:.2f}", best.label, best.description)
    return Decision(best.qid, round(min(1.0, score), 2), "", best.label, best.description)


# --------------------------------------------------------------------------- linking a store


@dataclass(frozen=True)
class LinkedEntity:
    """A row of ``kg link --report``: an entity, its QID, how it was linked and how sure we are."""

    entity: str
    label: str
    entity_class: str
    qid: str
    method: str
    score: float


@dataclass(frozen=True)
class UnlinkedEntity:
    """An entity left without a link (NIL), and why."""

    entity: str
    label: str
    entity_class: str
    reason: str


@dataclass
class LinkReport:
    """What :func:`link_store` did, sorted by label."""

    linked: list[LinkedEntity] = field(default_factory=list)
    unlinked: list[UnlinkedEntity] = field(default_factory=list)
    requests: int = 0  # Wikidata API requests made by this run

    def summary(self) -> str:
        """One line for the CLI.

        >>> LinkReport().summary()
        'linked 0 entities, 0 unlinked, 0 Wikidata API requests'
        """
        methods: dict[str, int] = {}
        for row in self.linked:
            methods[row.method] = methods.get(row.method, 0) + 1
        detail = ", ".join(f"{n} by {m}" for m, n in sorted(methods.items()))
        return (f"linked {len(self.linked)} entities{f' ({detail})' if detail else ''}, "
                f"{len(self.unlinked)} unlinked, {self.requests} Wikidata API requests")


@dataclass
class _Entity:
    iri: NamedNode
    entity_class: str
    label: str
    names: list[str]  # the label first, then aliases
    documents: list[NamedNode]

    @property
    def cache_key(self) -> str:
        return f"{self.entity_class}|{normalise_name(self.label)}"


def cache_path_for(store_path) -> Path:
    """Where live decisions are cached: beside the store, so they survive a rebuild of it."""
    return Path(store_path).parent / "wikidata-cache.json"


def link_store(store, *, online: bool = False, client: WikidataClient | None = None,
               table_path: str | Path | None = None, cache_path: str | Path | None = None,
               threshold: float = 0.8, types_path: str | Path | None = None,
               language: str = "en") -> LinkReport:
    """Link the store's entities to Wikidata and replace the links graph with the result.

    ``store`` is a pyoxigraph ``Store`` (or a ``kg.store.KGStore``). Offline, links come from the
    table and from the cache at ``cache_path`` (a JSON file of earlier live decisions, NIL ones
    included). With ``online=True`` every other entity goes through ``client`` (a default
    :class:`WikidataClient` if None) and its decision is added to the cache, so a second run makes
    no request. The links graph is replaced in one step; on a :class:`LinkError` it is left as it
    was and the decisions made so far are kept in the cache.
    """
    store = getattr(store, "store", store)
    table = load_table(table_path)
    cache_file = Path(cache_path) if cache_path else None
    cache = _load_cache(cache_file)
    cache_size = len(cache)
    entities = _read_entities(store)
    report = LinkReport()
    decided: dict[str, tuple[str, float, str]] = {}  # entity IRI -> qid, score, method
    pending: list[_Entity] = []

    for entity in entities:
        qid, score, reason = _from_table(entity, table)
        if qid:
            decided[entity.iri.value] = (qid, score, METHOD_TABLE)
            continue
        cached = cache.get(entity.cache_key)
        if cached is not None:
            if cached.get("qid") and cached.get("score", 0) >= threshold:
                decided[entity.iri.value] = (cached["qid"], cached["score"], METHOD_CACHE)
            else:
                report.unlinked.append(_unlinked(entity, "cached: " + (cached.get("reason") or "below threshold")))
            continue
        if reason or not online:
            report.unlinked.append(_unlinked(entity, reason or "not in the offline table or the cache "
                                                               "(try `kg link --online`)"))
            continue
        pending.append(entity)

    if pending:
        client = client or WikidataClient()
        accepted = load_accepted_types(types_path)
        requests_before = client.requests
        try:
            _link_online(pending, entities, decided, cache, report, client, accepted, threshold, language)
        finally:
            report.requests = client.requests - requests_before
            if cache_file is not None and len(cache) != cache_size:
                _save_cache(cache_file, cache)

    by_iri = {e.iri.value: e for e in entities}
    for iri, (qid, score, method) in decided.items():
        entity = by_iri[iri]
        report.linked.append(LinkedEntity(iri, entity.label, entity.entity_class, qid, method, score))
    report.linked.sort(key=lambda r: (normalise_name(r.label), r.entity))
    report.unlinked.sort(key=lambda r: (normalise_name(r.label), r.entity))
    _replace_links(store, _link_quads(report.linked, by_iri))
    return report


def _link_online(pending, entities, decided, cache, report, client, accepted, threshold, language):
    doc_qids: dict[str, set[str]] = {}
    doc_names: dict[str, set[str]] = {}
    for entity in entities:
        for doc in entity.documents:
            doc_names.setdefault(doc.value, set()).update(normalise_name(n) for n in entity.names)
            if entity.iri.value in decided:
                doc_qids.setdefault(doc.value, set()).add(decided[entity.iri.value][0])
    searches: dict[str, list[str]] = {}  # one request per distinct name, whatever the class
    fetched: dict[str, Candidate] = {}

    for entity in pending:
        if entity.entity_class == "Person" and len(normalise_name(entity.label).split()) < 2:
            # Thousands of people share any single name; search would only offer the famous one.
            report.unlinked.append(_unlinked(entity, "a one-word person name is too ambiguous to link"))
            continue
        qids: list[str] = []
        for name in entity.names[:1 + MAX_ALIAS_SEARCHES]:
            key = normalise_name(name)
            if key not in searches:
                searches[key] = [hit["id"] for hit in client.search(name, language)]
            qids = list(dict.fromkeys(searches[key]))
            if qids:  # aliases are searched only when the label finds nothing
                break
        missing = [q for q in qids if q not in fetched]
        if missing:
            for qid, item in client.get_entities(missing, language).items():
                fetched[qid] = Candidate.from_entity(qid, item, language)
        own = {normalise_name(n) for n in entity.names}
        context_qids = set().union(*(doc_qids.get(d.value, set()) for d in entity.documents))
        context_names = set().union(*(doc_names.get(d.value, set()) for d in entity.documents)) - own
        decision = choose_candidate(entity.entity_class, entity.names, [fetched[q] for q in qids if q in fetched],
                                    accepted, context_qids=frozenset(context_qids),
                                    context_names=frozenset(context_names), threshold=threshold)
        cache[entity.cache_key] = {"qid": decision.qid, "score": decision.score, "reason": decision.reason,
                                   "wikidata_label": decision.label, "description": decision.description}
        if decision.qid:
            decided[entity.iri.value] = (decision.qid, decision.score, METHOD_API)
            for doc in entity.documents:
                doc_qids.setdefault(doc.value, set()).add(decision.qid)
        else:
            report.unlinked.append(_unlinked(entity, decision.reason))


def _unlinked(entity: _Entity, reason: str) -> UnlinkedEntity:
    return UnlinkedEntity(entity.iri.value, entity.label, entity.entity_class, reason)


def _from_table(entity: _Entity, table) -> tuple[str | None, float, str]:
    """(qid, score, "") on a match; (None, 0, reason) when the table is ambiguous; else (None, 0, "").

    Only rows of a compatible class count (:data:`TABLE_CLASSES`). A name the table marks ambiguous
    never decides alone: it links only when another name of the entity matches the same row
    unambiguously; otherwise the table does not decide (offline the entity stays NIL; online the
    API path decides, and it links an ambiguous name only with context from the same documents).
    """
    flagged = getattr(table, "ambiguous", frozenset())
    found: dict[str, float] = {}
    for position, name in enumerate(entity.names):
        key = normalise_name(name)
        for cls in TABLE_CLASSES.get(entity.entity_class, (entity.entity_class,)):
            qids = table.get((cls, key), ())
            for qid in qids:
                if (cls, key) in flagged:
                    continue
                found[qid] = max(found.get(qid, 0.0), 1.0 if position == 0 else ALIAS_TABLE_SCORE)
    if len(found) == 1:
        qid, score = next(iter(found.items()))
        return qid, score, ""
    if found:
        return None, 0.0, "its names match several rows of the offline table: " + ", ".join(sorted(found))
    # A bare ambiguous name (vague) is not linked from the table; it is left to the live path,
    # whose scoring needs a context from the same documents to settle it, or to stay NIL.
    return None, 0.0, ""


_ENTITIES = """
SELECT DISTINCT ?entity ?class ?label WHERE {
  ?entity a ?class ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?class), STR(kg:)))
}"""
_ALIASES = "SELECT DISTINCT ?entity ?alias WHERE { ?entity skos:altLabel ?alias }"
_MENTIONS = "SELECT DISTINCT ?entity ?doc WHERE { ?m a kg:Mention ; kg:denotes ?entity ; kg:source ?doc }"
_SOURCES = "SELECT DISTINCT ?doc WHERE { ?x kg:source ?doc }"


def _read_entities(store) -> list[_Entity]:
    def select(query: str):
        try:
            return list(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True))
        except OSError as exc:
            raise StoreError(f"reading the store failed: {exc}") from None

    class_names = {KG[name].value: name for name in LINKED_CLASSES}
    # Our own articles are documents too, but they are what the graph is about, not things to link.
    sources = {row["doc"].value for row in select(_SOURCES)}
    classes: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for row in select(_ENTITIES):
        iri, cls = row["entity"], class_names.get(row["class"].value)
        if cls and isinstance(iri, NamedNode) and iri.value not in sources:
            classes.setdefault(iri.value, set()).add(cls)
            labels.setdefault(iri.value, set()).add(row["label"].value)
    aliases: dict[str, set[str]] = {}
    for row in select(_ALIASES):
        aliases.setdefault(row["entity"].value, set()).add(row["alias"].value)
    documents: dict[str, set[str]] = {}
    for row in select(_MENTIONS):
        documents.setdefault(row["entity"].value, set()).add(row["doc"].value)

    entities = []
    for iri in sorted(classes):
        cls = next(c for c in LINKED_CLASSES if c in classes[iri])
        # One label per entity by design; if graphs disagree, the others still count as aliases.
        label, *others = sorted(labels[iri])
        names = [label] + sorted((set(others) | aliases.get(iri, set())) - {label})
        entities.append(_Entity(NamedNode(iri), cls, label, names,
                                [NamedNode(d) for d in sorted(documents.get(iri, ()))]))
    return entities


# --------------------------------------------------------------------------- writing


def _evidence_iri(*parts: str) -> NamedNode:
    return NamedNode(ID + "evidence/link-" + hashlib.sha1("".join(parts).encode("utf-8")).hexdigest()[:12])


# Store bookkeeping (docs/graph-layout.md), not part of the vocabulary contract.
KGX = "https://w3id.org/newskg/internal#"
LINK_SUBJECT, LINK_OBJECT = NamedNode(KGX + "linkSubject"), NamedNode(KGX + "linkObject")
LINK_METHOD, LINK_CONFIDENCE = NamedNode(KGX + "linkMethod"), NamedNode(KGX + "linkConfidence")


def _link_iri(entity: str, qid: str) -> NamedNode:
    return NamedNode(ID + "link/" + hashlib.sha1(f"{entity} {qid}".encode()).hexdigest()[:12])


def _link_quads(rows: list[LinkedEntity], entities: dict[str, _Entity]) -> Iterator[Quad]:
    """``owl:sameAs`` plus evidence. The shapes allow one kg:source per Evidence, so a link gets one
    evidence node per document that mentions the entity (and one without a source if none does).
    The link's method and confidence are also written once, on a ``kgx:`` link record, so a reader
    (the linked-entities query) takes them from one node instead of deduplicating the evidence; all
    of them come from the same decision, so they are one value per link."""
    g = STAGING_GRAPH
    for row in rows:
        entity, item = NamedNode(row.entity), wikidata_iri(row.qid)
        confidence = Literal(f"{max(0.0, min(1.0, row.score)):.2f}", datatype=XSD.decimal)
        method = Literal(row.method)
        yield Quad(entity, OWL.sameAs, item, g)
        record = _link_iri(row.entity, row.qid)
        yield Quad(record, LINK_SUBJECT, entity, g)
        yield Quad(record, LINK_OBJECT, item, g)
        yield Quad(record, LINK_METHOD, method, g)
        yield Quad(record, LINK_CONFIDENCE, confidence, g)
        documents = entities[row.entity].documents
        for doc in documents or [None]:
            evidence = _evidence_iri(row.entity, row.qid, doc.value if doc else "")
            yield Quad(evidence, RDF.type, KG.Evidence, g)
            yield Quad(evidence, RDF.subject, entity, g)
            yield Quad(evidence, RDF.predicate, OWL.sameAs, g)
            yield Quad(evidence, RDF.object, item, g)
            yield Quad(evidence, KG.confidence, confidence, g)
            yield Quad(evidence, KG.method, method, g)
            if doc is not None:
                yield Quad(evidence, KG.source, doc, g)


def _replace_links(store, quads: Iterable[Quad]) -> None:
    """Stage the new links, then swap them in with one MOVE: readers see the old or the new graph."""
    try:
        # IRIs are serialised by pyoxigraph (str(NamedNode) is N-Triples syntax), not pasted text.
        store.update(f"DROP SILENT GRAPH {STAGING_GRAPH}")
        store.extend(quads)
        store.update(f"MOVE SILENT GRAPH {STAGING_GRAPH} TO GRAPH {LINKS_GRAPH}")
    except OSError as exc:
        raise StoreError(f"writing the Wikidata links failed: {exc}") from None


# --------------------------------------------------------------------------- cache


def _load_cache(path: Path | None) -> dict[str, dict]:
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LinkError(f"cannot read the Wikidata cache {path} ({exc}); delete it to start afresh") from None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("decisions"), dict):
        raise LinkError(f"{path} is not a newskg Wikidata cache; delete it to start afresh")
    # Entries a person edited into nonsense are dropped (and decided again online), not trusted.
    return {key: value for key, value in data["decisions"].items()
            if isinstance(value, dict) and isinstance(value.get("score", 0), (int, float))
            and (value.get("qid") is None or _QID.fullmatch(str(value["qid"])))}


def _save_cache(path: Path, decisions: dict[str, dict]) -> None:
    """Write beside the old file, then rename over it: an interrupted run never leaves half a cache."""
    text = json.dumps({"format": CACHE_FORMAT, "decisions": decisions}, ensure_ascii=False, indent=1,
                      sort_keys=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise LinkError(f"cannot write the Wikidata cache {path}: {exc.strerror or exc}") from None

