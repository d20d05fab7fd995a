"""A picture of the graph: one self-contained HTML page (vis-network) or an SVG (Graphviz).

Entities are nodes coloured by class; every evidenced fact between two entities is a labelled
edge; statements are box nodes linked to their speaker ("said") and to the event they were made
at ("at"). Facts whose value is a literal (dates, counts, themes) and Wikidata links are shown
in the entity's panel. Clicking a node or an edge shows its evidence: the sentence, the rule
that produced it, its confidence and the document.

The HTML page embeds vis-network 10 (``kg/assets/vis-network.min.js``, from npm's release
files, dual Apache-2.0/MIT licensed) and the data, so it opens offline from a file, needs no
server and fetches nothing. ``page.html#show=IRI`` opens with that node's panel shown.

>>> picture = GraphPicture()
>>> picture.add_node("https://w3id.org/newskg/id/person/x", "Ms X", "Person")
>>> picture.add_node("https://w3id.org/newskg/id/country/y", "Y", "Country")
>>> picture.add_edge("https://w3id.org/newskg/id/person/x", "https://w3id.org/newskg/id/country/y", "holdsPosition", "X of Y.")
>>> picture.around({"https://w3id.org/newskg/id/person/x"}, 1).nodes.keys() == picture.nodes.keys()
True
>>> print(dot_source(picture).splitlines()[4].strip())
"https://w3id.org/newskg/id/person/x" [label="Ms X", fillcolor="#4e79a7", tooltip="Person"];
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Variable

from .errors import KGError, UsageError
from .queries import plain, resolve_entity, shorten
from .terms import ONTOLOGY

FORMATS = ("html", "svg")
# Most specific first: a Country is also a Place and an Agent.
CLASS_ORDER = ("Country", "Person", "Organisation", "Event", "Position", "Document", "Place", "Statement")
COLOURS = {"Person": "#4e79a7", "Organisation": "#f28e2b", "Country": "#e15759", "Place": "#76b7b2",
           "Event": "#59a14f", "Document": "#edc948", "Position": "#b07aa1", "Statement": "#d7d2cc",
           "Thing": "#bab0ac"}


class VizError(KGError):
    """The picture cannot be drawn (Graphviz missing or failing, nothing to draw)."""


@dataclass
class GraphPicture:
    """Nodes (IRI -> label, class, details) and labelled edges, ready to draw."""

    nodes: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)

    def add_node(self, iri: str, label: str, group: str, details: list[str] | None = None) -> None:
        node = self.nodes.setdefault(iri, {"id": iri, "label": label, "group": group, "details": []})
        node["details"] += [d for d in details or [] if d not in node["details"]]

    def add_edge(self, source: str, target: str, label: str, sentence: str | None = None,
                 about: str | None = None) -> None:
        key = (source, target, label)
        for edge in self.edges:
            if (edge["from"], edge["to"], edge["label"]) == key:
                if sentence and sentence not in edge["evidence"]:
                    edge["evidence"].append(sentence)
                return
        self.edges.append({"id": f"e{len(self.edges)}", "from": source, "to": target, "label": label,
                           "evidence": [sentence] if sentence else [], "about": about or ""})

    def around(self, centres: set[str], depth: int) -> GraphPicture:
        """The part of the picture within ``depth`` edges of ``centres`` (edges in either direction)."""
        reached, frontier = set(centres), set(centres)
        for _ in range(depth):
            frontier = {edge[side] for edge in self.edges for side, other in (("to", "from"), ("from", "to"))
                        if edge[other] in frontier} - reached
            reached |= frontier
        part = GraphPicture({iri: node for iri, node in self.nodes.items() if iri in reached})
        part.edges = [edge for edge in self.edges if edge["from"] in reached and edge["to"] in reached]
        return part


_ENTITIES = """
SELECT ?entity ?class ?label WHERE {
  ?entity a ?class .
  OPTIONAL { ?entity rdfs:label ?label }
  FILTER(STRSTARTS(STR(?class), STR(kg:)) && ?class NOT IN (kg:Mention, kg:Evidence, kg:Statement))
}"""

# ?g is bound to one document's graph with --document, else free (every graph).
_FACTS = """
SELECT DISTINCT ?g ?subject ?predicate ?object ?sentence ?method ?confidence ?source WHERE {
  GRAPH ?g { ?evidence a kg:Evidence ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
             OPTIONAL { ?evidence kg:sentence ?sentence }
             OPTIONAL { ?evidence kg:method ?method }
             OPTIONAL { ?evidence kg:confidence ?confidence }
             OPTIONAL { ?evidence kg:source ?source } }
}"""

_STATEMENTS = """
SELECT DISTINCT ?g ?statement ?speaker ?text ?event ?sentence ?date ?source WHERE {
  GRAPH ?g { ?statement a kg:Statement ; kg:speaker ?speaker ; kg:text ?text .
             OPTIONAL { ?statement kg:statedAt ?event }
             OPTIONAL { ?statement kg:sentence ?sentence }
             OPTIONAL { ?statement kg:date ?date }
             OPTIONAL { ?statement kg:source ?source } }
}"""

_SAME_AS = "SELECT ?entity ?item WHERE { ?entity owl:sameAs ?item FILTER(STRSTARTS(STR(?item), STR(wd:))) }"


def _local(term) -> str:
    value = term.value
    return value[len(ONTOLOGY):] if value.startswith(ONTOLOGY) else shorten(term)


def _clip(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def graph_picture(store, *, entity: str | None = None, document: str | None = None,
                  depth: int = 1) -> GraphPicture:
    """The picture of the store (a KGStore), or of one document, or around one entity.

    ``entity`` is a label, alias or IRI; with it, only what lies within ``depth`` edges of it is
    kept. ``document`` (a document id or graph IRI) keeps the facts and statements of that
    document's graph.
    """
    from .export import resolve_graph

    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    bound = {Variable("g"): resolve_graph(store, document)} if document else None
    picture = GraphPicture()
    classes: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in store.query(_ENTITIES):
        classes.setdefault(row["entity"].value, set()).add(_local(row["class"]))
        if row["label"] is not None:
            labels.setdefault(row["entity"].value, row["label"].value)

    def ensure(term) -> str:
        iri = term.value
        if iri not in picture.nodes:
            kinds = classes.get(iri, set())
            group = next((c for c in CLASS_ORDER if c in kinds), "Thing")
            picture.add_node(iri, labels.get(iri) or shorten(term), group, [f"class: {', '.join(sorted(kinds))}"]
                             if kinds else [])
        return iri

    if not document:
        for iri in classes:
            ensure(NamedNode(iri))
    for row in store.query(_FACTS, substitutions=bound):
        predicate = _local(row["predicate"])
        if row["predicate"].value.endswith("#sameAs"):
            continue
        sentence = row["sentence"].value if row["sentence"] is not None else None
        how = ", ".join(plain(row[k], short=True) for k in ("method", "confidence", "source") if row[k] is not None)
        if isinstance(row["object"], Literal):
            ensure(row["subject"])
            picture.add_node(row["subject"].value, "", "", [f"{predicate}: {row['object'].value}"
                                                            + (f" — “{_clip(sentence, 200)}” [{how}]" if sentence else "")])
            continue
        picture.add_edge(ensure(row["subject"]), ensure(row["object"]), predicate,
                         f"“{sentence}” [{how}]" if sentence else None)
    for row in store.query(_STATEMENTS, substitutions=bound):
        statement = row["statement"].value
        details = [f"“{row['text'].value}”"]
        if row["date"] is not None:
            details.append(f"date: {row['date'].value}")
        if row["sentence"] is not None:
            details.append(f"sentence: “{row['sentence'].value}”")
        if row["source"] is not None:
            details.append(f"source: {shorten(row['source'])}")
        picture.add_node(statement, _clip(f"“{row['text'].value}”", 40), "Statement", details)
        sentence = row["sentence"].value if row["sentence"] is not None else None
        picture.add_edge(ensure(row["speaker"]), statement, "said", sentence and f"“{sentence}”")
        if row["event"] is not None:
            picture.add_edge(statement, ensure(row["event"]), "at", sentence and f"“{sentence}”")
    for row in store.query(_SAME_AS):
        if row["entity"].value in picture.nodes:
            picture.add_node(row["entity"].value, "", "", [f"Wikidata: {row['item'].value}"])
    for iri, node in picture.nodes.items():
        if not node["label"]:
            node["label"] = iri
    if entity:
        centre = resolve_entity(store, entity).value
        if centre not in picture.nodes:
            raise VizError(f"{entity!r} has no facts or statements to draw"
                           + (f" in document {document!r}" if document else ""))
        picture = picture.around({centre}, depth)
    if not picture.nodes:
        raise VizError("nothing to draw: the store (or document) holds no entities")
    return picture


# ---------------------------------------------------------------- HTML (vis-network)


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("assets", name).read_text(encoding="utf-8")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #222; }
  #graph { position: absolute; inset: 0 340px 0 0; }
  #side { position: absolute; top: 0; right: 0; bottom: 0; width: 340px; overflow: auto;
          box-sizing: border-box; padding: 12px 14px; border-left: 1px solid #ddd; background: #fafafa; }
  #side h1 { font-size: 16px; margin: 0 0 6px; }
  #legend span { display: inline-block; margin: 2px 8px 2px 0; }
  #legend i { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 4px;
              vertical-align: -1px; }
  #info { margin-top: 12px; border-top: 1px solid #ddd; padding-top: 8px; }
  #info h2 { font-size: 15px; margin: 0 0 4px; }
  #info li { margin-bottom: 6px; }
  #info .iri { color: #666; font-size: 12px; word-break: break-all; }
</style>
</head>
<body>
<div id="graph"></div>
<div id="side">
  <h1>__TITLE__</h1>
  <div id="counts"></div>
  <div id="legend"></div>
  <div id="info"><p>Click a node or an edge to see its evidence.</p></div>
</div>
<script>__VIS__</script>
<script>
const DATA = __DATA__;
const COLOURS = __COLOURS__;
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
const byId = new Map(DATA.nodes.map(n => [n.id, n]));
const nodes = new vis.DataSet(DATA.nodes.map(n => ({
  id: n.id, label: n.label, group: n.group,
  shape: n.group === "Statement" ? "box" : "dot", size: n.group === "Statement" ? undefined : 14,
  color: {background: COLOURS[n.group] || COLOURS.Thing, border: "#555",
          highlight: {background: COLOURS[n.group] || COLOURS.Thing, border: "#000"}},
  font: {size: n.group === "Statement" ? 11 : 14},
})));
const edges = new vis.DataSet(DATA.edges.map(e => ({
  id: e.id, from: e.from, to: e.to, label: e.label, arrows: "to",
  font: {size: 10, align: "middle", color: "#444"}, color: {color: "#999", highlight: "#000"},
})));
const network = new vis.Network(document.getElementById("graph"), {nodes, edges}, {
  layout: {randomSeed: 7},   // the same picture every time the page opens
  physics: {solver: "forceAtlas2Based", stabilization: {iterations: 400}},
  interaction: {hover: true, tooltipDelay: 150},
});
function showNode(id) {
  const n = byId.get(id);
  if (!n) return;
  const said = DATA.edges.filter(e => e.from === id || e.to === id);
  document.getElementById("info").innerHTML =
    `<h2>${escapeHtml(n.label)}</h2><div class="iri">${escapeHtml(n.group)} · ${escapeHtml(n.id)}</div>` +
    `<ul>${n.details.map(d => `<li>${escapeHtml(d)}</li>`).join("")}</ul>` +
    (said.length ? `<b>Links (${said.length})</b><ul>${said.map(e =>
      `<li>${escapeHtml((byId.get(e.from) || {}).label)} <i>${escapeHtml(e.label)}</i> ${escapeHtml((byId.get(e.to) || {}).label)}` +
      `${e.evidence.map(s => `<br>${escapeHtml(s)}`).join("")}</li>`).join("")}</ul>` : "");
  document.body.dataset.shown = id;
}
function showEdge(id) {
  const e = DATA.edges.find(x => x.id === id);
  if (!e) return;
  document.getElementById("info").innerHTML =
    `<h2>${escapeHtml((byId.get(e.from) || {}).label)} <i>${escapeHtml(e.label)}</i> ${escapeHtml((byId.get(e.to) || {}).label)}</h2>` +
    (e.evidence.length ? `<ul>${e.evidence.map(s => `<li>${escapeHtml(s)}</li>`).join("")}</ul>` : "<p>No evidence sentence.</p>");
  document.body.dataset.shown = id;
}
network.on("click", params => {
  if (params.nodes.length) showNode(params.nodes[0]);
  else if (params.edges.length) showEdge(params.edges[0]);
});
const groups = [...new Set(DATA.nodes.map(n => n.group))].sort();
document.getElementById("legend").innerHTML = groups.map(g =>
  `<span><i style="background:${COLOURS[g] || COLOURS.Thing}"></i>${escapeHtml(g)}</span>`).join("");
document.getElementById("counts").textContent = `${DATA.nodes.length} nodes, ${DATA.edges.length} edges`;
network.once("stabilizationIterationsDone", () => network.setOptions({physics: false}));
network.once("afterDrawing", () => {
  // For tests and scripts: how many nodes and edges vis-network actually placed and drew.
  document.body.dataset.nodes = Object.keys(network.getPositions()).length;
  document.body.dataset.edges = edges.length;
});
const wanted = decodeURIComponent((location.hash.match(/^#show=(.+)$/) || [])[1] || "");
if (wanted) { byId.has(wanted) ? (network.selectNodes([wanted]), showNode(wanted)) : showEdge(wanted); }
</script>
</body>
</html>
"""


def html_page(picture: GraphPicture, title: str = "newskg graph") -> str:
    """One self-contained HTML page drawing ``picture`` with vis-network."""
    def script_json(value) -> str:
        # "</" would end the <script> element early; "\\u003c" is the same string to JSON.
        return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")

    data = {"nodes": list(picture.nodes.values()), "edges": picture.edges}
    replacements = {"__TITLE__": _html_text(title), "__DATA__": script_json(data),
                    "__COLOURS__": script_json(COLOURS)}
    page = _PAGE
    for key, value in replacements.items():
        page = page.replace(key, value)
    # The library goes in last: its minified text must not be searched for placeholders.
    return page.replace("__VIS__", _asset("vis-network.min.js").replace("</script", "<\\/script"))


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- SVG (Graphviz)


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dot_source(picture: GraphPicture, title: str = "newskg graph") -> str:
    """The picture in Graphviz DOT (evidence sentences become SVG tooltips)."""
    lines = [f"digraph {_dot_string(title)} {{",
             '  graph [rankdir=LR, overlap=false, splines=true, fontname="Helvetica"];',
             '  node [style=filled, fontname="Helvetica", fontsize=11, shape=ellipse];',
             '  edge [fontname="Helvetica", fontsize=9, color="#777777"];']
    for iri, node in picture.nodes.items():
        shape = ", shape=box" if node["group"] == "Statement" else ""
        tooltip = " | ".join(node["details"][:3]) or node["group"]
        lines.append(f"  {_dot_string(iri)} [label={_dot_string(node['label'])}, "
                     f"fillcolor=\"{COLOURS.get(node['group'], COLOURS['Thing'])}\"{shape}, "
                     f"tooltip={_dot_string(_clip(tooltip, 400))}];")
    for edge in picture.edges:
        tooltip = _clip(" | ".join(edge["evidence"]) or edge["label"], 400)
        lines.append(f"  {_dot_string(edge['from'])} -> {_dot_string(edge['to'])} "
                     f"[label={_dot_string(edge['label'])}, tooltip={_dot_string(tooltip)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg_bytes(picture: GraphPicture, title: str = "newskg graph") -> bytes:
    """The picture drawn by Graphviz ``dot`` as SVG."""
    dot = shutil.which("dot")
    if dot is None:
        raise VizError("--format svg needs Graphviz's `dot`, which is not installed "
                       "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)")
    try:
        done = subprocess.run([dot, "-Tsvg"], input=dot_source(picture, title).encode("utf-8"),
                              capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VizError(f"Graphviz `dot` failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VizError(f"Graphviz `dot` failed: {message[0] if message else f'status {done.returncode}'}")
    return done.stdout


# ---------------------------------------------------------------- one call for the CLI


def format_for_path(path: str | Path | None) -> str | None:
    """``svg`` or ``html`` from a file name, or None.

    >>> format_for_path("out/graph.svg"), format_for_path("graph.htm"), format_for_path("x.txt")
    ('svg', 'html', None)
    """
    suffix = Path(str(path)).suffix.lower() if path is not None else ""
    return {".svg": "svg", ".html": "html", ".htm": "html"}.get(suffix)


def write_picture(store, output: str | Path | None = None, fmt: str | None = None, *,
                  entity: str | None = None, document: str | None = None, depth: int = 1) -> tuple[Path, GraphPicture]:
    """Draw the store (see :func:`graph_picture`) into ``output`` as ``html`` or ``svg``.

    The format comes from ``fmt``, else from the suffix of ``output``, else html; the output
    defaults to ``graph.html`` / ``graph.svg``. Returns the path written and the picture.
    """
    fmt = (fmt or format_for_path(output) or "html").lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown picture format {fmt!r} (choose from {', '.join(FORMATS)})")
    path = Path(output) if output is not None else Path(f"graph.{fmt}")
    picture = graph_picture(store, entity=entity, document=document, depth=depth)
    title = "newskg graph" + (f" around {picture.nodes[resolve_entity(store, entity).value]['label']}" if entity else "") \
        + (f" of {document}" if document else "")
    data = svg_bytes(picture, title) if fmt == "svg" else html_page(picture, title).encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path, picture
