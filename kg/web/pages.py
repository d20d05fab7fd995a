"""HTML of the entity pages and the index, and the RDF description of an entity.

Everything read from the store is escaped (:func:`html.escape`); links are built from checked
IRIs. The pages load nothing from anywhere (one inline style sheet, no script), and the server
sends them with a Content-Security-Policy saying so.

>>> entity_path(NamedNode("https://w3id.org/newskg/id/person/anna-berger"))
'/entity/person/anna-berger'
>>> entity_path(NamedNode("http://www.wikidata.org/entity/Q40")) is None
True
>>> wikidata_page(NamedNode("http://www.wikidata.org/entity/Q40"))
'https://www.wikidata.org/wiki/Q40'
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, RdfFormat, serialize

from ..explain import Explanation
from ..queries import SavedQuery, plain, shorten
from ..terms import PREFIXES

ID_BASE = "https://w3id.org/newskg/id/"
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~%-]{0,200}")
_WIKIDATA = re.compile(r"https?://www\.wikidata\.org/entity/(Q[0-9]+)")

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1.2em 1.5em; color: #1d2430; }
header.site { display: flex; gap: 1.2em; align-items: baseline; border-bottom: 1px solid #dde2ea; margin-bottom: 1em; }
header.site a { color: #345; }
h1 { margin: .2em 0 .1em; font-size: 1.9em; }
h2 { margin-top: 1.6em; font-size: 1.2em; border-bottom: 1px solid #e6e9ef; padding-bottom: .2em; }
.iri { color: #5b6575; font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
.class { display: inline-block; background: #e8eefc; color: #23407a; border-radius: 4px; padding: 0 .45em; margin-right: .3em; }
.muted { color: #6b7482; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: .35em .5em; border-bottom: 1px solid #eef0f4; }
th { font-weight: 600; color: #44505f; font-size: .9em; }
blockquote { margin: .25em 0 0; padding-left: .7em; border-left: 3px solid #c9d3e6; color: #333d4a; font-style: italic; }
.prov { font-size: .82em; color: #6b7482; }
code { font-size: .9em; }
"""


def entity_path(iri: NamedNode) -> str | None:
    """The local page of a newskg IRI (``/entity/{type}/{slug}``), or None for any other IRI."""
    value = iri.value if isinstance(iri, NamedNode) else None
    if not value or not value.startswith(ID_BASE):
        return None
    parts = value[len(ID_BASE):].split("/")
    if len(parts) != 2 or not all(_SEGMENT.fullmatch(part) for part in parts):
        return None
    return "/entity/" + "/".join(parts)


def entity_iri(kind: str, slug: str) -> NamedNode | None:
    """The IRI of ``/entity/{kind}/{slug}``, or None when the segments are not those of an IRI."""
    if not (_SEGMENT.fullmatch(kind) and _SEGMENT.fullmatch(slug)):
        return None
    try:
        return NamedNode(f"{ID_BASE}{kind}/{slug}")
    except ValueError:
        return None


def wikidata_page(iri: NamedNode) -> str | None:
    found = _WIKIDATA.fullmatch(iri.value)
    return f"https://www.wikidata.org/wiki/{found.group(1)}" if found else None


def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def link_term(term, label: str | None = None) -> str:
    """A term as HTML: a newskg IRI links to its page, another http(s) IRI to itself, a literal is text."""
    if isinstance(term, NamedNode):
        shown = esc(label) if label else f'<span class="iri">{esc(shorten(term))}</span>'
        local = entity_path(term)
        if local:
            return f'<a href="{esc(local)}">{shown}</a>'
        target = wikidata_page(term) or (term.value if term.value.startswith(("http://", "https://")) else None)
        return f'<a href="{esc(target)}" rel="nofollow">{shown}</a>' if target else shown
    return esc(plain(term))


def page(title: str, body: str, *, alternates: str = "") -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)} · newskg</title>{alternates}<style>{STYLE}</style></head>\n<body>\n"
            f'<header class="site"><strong><a href="/">newskg</a></strong>'
            f'<a href="/ui">query page</a><a href="/#queries">saved queries</a><a href="/#entities">entities</a></header>\n'
            f"{body}\n</body></html>\n").encode()


# ---------------------------------------------------------------- the entity page


@dataclass
class MentioningDocument:
    document: NamedNode
    title: str | None
    date: str | None
    mentions: int


DOCUMENTS = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?document (SAMPLE(?label) AS ?title) (SAMPLE(?published) AS ?date) (COUNT(DISTINCT ?mention) AS ?mentions)
WHERE {
  ?mention kg:denotes ?entity ; kg:source ?document .
  OPTIONAL { ?document rdfs:label ?label }
  OPTIONAL { ?document kg:datePublished ?published }
}
GROUP BY ?document
ORDER BY STR(?date) ?document
"""

# The entity's own triples, and those of other nodes pointing at it, except the reification and
# mention plumbing (rdf:subject/rdf:object of evidence, kg:denotes of mentions).
DESCRIPTION = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT { ?entity ?property ?value . ?other ?link ?entity }
WHERE {
  { ?entity ?property ?value }
  UNION
  { ?other ?link ?entity FILTER(?link NOT IN (rdf:subject, rdf:object, kg:denotes)) }
}
"""


@dataclass
class EntityPage:
    explanation: Explanation
    documents: list[MentioningDocument] = field(default_factory=list)


def documents_of(rows) -> list[MentioningDocument]:
    return [MentioningDocument(row["document"], row["title"].value if row["title"] else None,
                               row["date"].value if row["date"] else None, int(row["mentions"].value))
            for row in rows if row["document"] is not None]


def _facts_table(explanation: Explanation) -> str:
    if not explanation:
        return '<p class="muted">No evidenced facts.</p>'
    rows = []
    for fact in explanation:
        if fact.direction == "out":
            subject = "<em>this</em>"
            value = link_term(fact.object, fact.object_label)
        else:
            subject = link_term(fact.subject, fact.subject_label)
            value = "<em>this</em>"
        sentence = f"<blockquote>{esc(' '.join(fact.sentence.split()))}</blockquote>" if fact.sentence else ""
        confidence = f"{fact.confidence:.2f}" if fact.confidence is not None else "?"
        source = link_term(fact.source) if fact.source is not None else "?"
        rows.append(f"<tr><td>{subject}</td><td><code>{esc(shorten(fact.predicate))}</code></td><td>{value}{sentence}"
                    f'<div class="prov">{esc(fact.method or "?")} · {esc(confidence)} · {source}</div></td></tr>')
    return ("<table><thead><tr><th>subject</th><th>property</th><th>value and evidence</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _statements_list(explanation: Explanation) -> str:
    items = []
    for statement in explanation.statements:
        kind = {True: "quote", False: "reported"}.get(statement.is_direct_quote, "statement")
        context = [kind]
        if statement.event is not None:
            context.append("at " + link_term(statement.event, statement.event_label))
        if statement.date:
            context.append("on " + esc(statement.date))
        if statement.delivered_by:
            context.append("delivered by " + esc(statement.delivered_by))
        sentence = (f'<div class="prov">in: {esc(" ".join(statement.sentence.split()))}</div>'
                    if statement.sentence else "")
        source = link_term(statement.source) if statement.source is not None else "?"
        items.append(f"<li>“{esc(' '.join(statement.text.split()))}” <span class=\"muted\">({', '.join(context)})</span>"
                     f'{sentence}<div class="prov">{esc(statement.method or "?")} · {source}</div></li>')
    return "<ul>" + "".join(items) + "</ul>"


def entity_html(entity: EntityPage, path: str) -> bytes:
    explanation = entity.explanation
    classes = "".join(f'<span class="class">{esc(shorten(t))}</span>' for t in explanation.types)
    parts = [f"<h1>{esc(explanation.label)}</h1>",
             f'<p>{classes} <span class="iri">{esc(explanation.entity.value)}</span></p>']
    if explanation.aliases:
        parts.append(f"<p>Also: {esc(', '.join(explanation.aliases))}</p>")
    if explanation.same_as:
        links = ", ".join(link_term(t, wikidata_page(t) and _WIKIDATA.fullmatch(t.value).group(1))
                          for t in explanation.same_as)
        parts.append(f"<p>Wikidata: {links}</p>")
    parts.append(f'<p class="muted">{explanation.mentions} mention(s) in {explanation.documents} document(s) · '
                 f'<a href="{esc(path)}.ttl">Turtle</a> · <a href="{esc(path)}.jsonld">JSON-LD</a></p>')
    parts += [f'<h2 id="facts">Facts ({len(explanation)})</h2>', _facts_table(explanation)]
    if explanation.statements:
        parts += [f'<h2 id="statements">Statements ({len(explanation.statements)})</h2>', _statements_list(explanation)]
    parts.append(f'<h2 id="documents">Documents that mention it ({len(entity.documents)})</h2>')
    if entity.documents:
        parts.append("<ul>" + "".join(
            f'<li>{link_term(d.document, d.title)} <span class="muted">{esc(d.date or "")} · '
            f"{d.mentions} mention(s)</span></li>" for d in entity.documents) + "</ul>")
    else:
        parts.append('<p class="muted">None.</p>')
    alternates = (f'<link rel="alternate" type="text/turtle" href="{esc(path)}.ttl">'
                  f'<link rel="alternate" type="application/ld+json" href="{esc(path)}.jsonld">')
    return page(explanation.label, "\n".join(parts), alternates=alternates)


def turtle(triples) -> bytes:
    # Without id: (id:person\/x is valid Turtle but hard to read): newskg IRIs print in full.
    return serialize(triples, format=RdfFormat.TURTLE, prefixes={p: ns for p, ns in PREFIXES.items() if p != "id"})


# ---------------------------------------------------------------- the index


@dataclass
class Listed:
    entity: NamedNode
    label: str
    kind: NamedNode


ENTITIES = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity (SAMPLE(?name) AS ?label) (SAMPLE(?class) AS ?kind)
WHERE {
  ?entity a ?class ; rdfs:label ?name .
  FILTER(STRSTARTS(STR(?entity), "https://w3id.org/newskg/id/"))
  FILTER(?class NOT IN (kg:Mention, kg:Evidence, kg:Statement))
}
GROUP BY ?entity
ORDER BY STR(?kind) LCASE(STR(?label))
LIMIT 2001
"""


def listed_of(rows) -> list[Listed]:
    return [Listed(row["entity"], row["label"].value, row["kind"]) for row in rows
            if isinstance(row["entity"], NamedNode) and isinstance(row["label"], Literal)]


def query_page_link(query: SavedQuery) -> str:
    """The query page with the saved query in its editor (YASGUI reads ``#query=…``)."""
    return "/ui#" + urllib.parse.urlencode({"query": query.text}, quote_via=urllib.parse.quote)


def index_html(catalogue: dict[str, SavedQuery], entities: list[Listed], store_name: str) -> bytes:
    parts = ["<h1>newskg</h1>",
             f'<p class="muted">Store {esc(store_name)}. SPARQL endpoint: <code>/query</code> '
             f'(<a href="/ui">query page</a>). Entity pages: <code>/entity/{{type}}/{{slug}}</code>; '
             "ask for <code>text/turtle</code> or <code>application/ld+json</code> to get RDF.</p>",
             f'<h2 id="queries">Saved queries ({len(catalogue)})</h2><table><tbody>']
    for name, query in catalogue.items():
        params = ", ".join(f"<code>?{esc(p.name)}</code>" for p in query.params)
        params = f'<div class="prov">parameters (unbound in the query page): {params}</div>' if params else ""
        parts.append(f'<tr><td><a href="{esc(query_page_link(query))}">{esc(query.title or name)}</a>'
                     f'<div class="prov"><code>{esc(name)}</code></div></td>'
                     f"<td>{esc(query.description)}{params}</td></tr>")
    parts.append("</tbody></table>")
    shown = entities[:2000]
    more = " (the first 2000)" if len(entities) > 2000 else ""
    parts.append(f'<h2 id="entities">Entities{more}</h2>')
    current = None
    for item in shown:
        if item.kind != current:
            if current is not None:
                parts.append("</ul>")
            current = item.kind
            parts.append(f"<h3>{esc(shorten(item.kind))}</h3><ul>")
        parts.append(f"<li>{link_term(item.entity, item.label)}</li>")
    if current is not None:
        parts.append("</ul>")
    return page("newskg", "\n".join(parts))


def message_html(title: str, text: str) -> bytes:
    return page(title, f"<h1>{esc(title)}</h1><p>{esc(text)}</p>")
