"""Issue 8, item 2: a document id could take the name of one of newskg's own graphs.

A file ``pending.txt`` was reported "added (245 quads)" on every run but nothing was stored (the
bulk loader's graph of that name was dropped); ``wikidata-links.txt`` shared the Wikidata links
graph, so ``kg link`` cut the article down to its links and re-ingesting it wiped the links.
newskg's own graphs now live under ``graph/_/`` (``graph/_/wikidata-links``), a namespace no
document id (a slug) can reach; a v0.1 store, with its links at ``graph/wikidata-links``, is
migrated when it is first opened for writing.
"""

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.cli import cli

KG = "https://w3id.org/newskg/ontology#"
GRAPH = "https://w3id.org/newskg/graph/"
LINKS = NamedNode(GRAPH + "_/wikidata-links")
LEGACY_LINKS = NamedNode(GRAPH + "wikidata-links")
SAME_AS = NamedNode("http://www.w3.org/2002/07/owl#sameAs")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# Vienna, Austria and Germany are in the verified offline table: `kg link` links them.
TEXTS = {
    "pending.txt": "Leaders met in Vienna on Monday.\n\nThe chancellor of Austria opened the talks.\n",
    "wikidata-links.txt": "Ministers met in Berlin on Tuesday.\n\nThe chancellor of Germany hosted them.\n",
}


def graph(store_path: Path, name: NamedNode) -> set:
    store = Store.read_only(str(store_path))
    try:
        return set(store.quads_for_pattern(None, None, None, name))
    finally:
        del store


def has_document(quads: set) -> bool:
    return any(q.predicate == RDF_TYPE and q.object == NamedNode(KG + "Document") for q in quads)


@pytest.mark.slow
def test_documents_named_like_internal_graphs_are_stored_and_kept(runner, tmp_path):
    folder, store = tmp_path / "news", tmp_path / "store"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    first = runner.invoke(cli, ["ingest", str(folder), "--store", str(store)])
    assert first.exit_code == 0, first.output
    pending, links_doc = graph(store, NamedNode(GRAPH + "pending")), graph(store, LEGACY_LINKS)
    assert has_document(pending) and has_document(links_doc)

    # Stored, so a second run has nothing to do.
    again = runner.invoke(cli, ["ingest", str(folder), "--store", str(store)])
    assert again.exit_code == 0, again.output
    assert [line.split()[0] for line in again.stdout.splitlines()[:2]] == ["unchanged", "unchanged"]
    assert graph(store, NamedNode(GRAPH + "pending")) == pending

    # Linking writes the links graph of its own, and leaves the article whole.
    linked = runner.invoke(cli, ["link", "--store", str(store)])
    assert linked.exit_code == 0, linked.output
    links = graph(store, LINKS)
    assert any(q.predicate == SAME_AS for q in links), linked.output
    assert graph(store, LEGACY_LINKS) == links_doc

    # Re-ingesting a changed wikidata-links.txt replaces the article, not the links.
    (folder / "wikidata-links.txt").write_text(TEXTS["wikidata-links.txt"] + "\nThe talks ended late.\n",
                                               encoding="utf-8")
    changed = runner.invoke(cli, ["ingest", str(folder / "wikidata-links.txt"), "--store", str(store),
                                  "--no-link"])
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.startswith("replaced ")
    assert graph(store, LINKS) == links
    assert has_document(graph(store, LEGACY_LINKS))


def v01_store(path: Path) -> tuple[set, set]:
    """A store as v0.1 wrote it: a document graph, and the links in graph/wikidata-links."""
    doc = NamedNode(GRAPH + "story")
    document = [
        Quad(NamedNode("https://w3id.org/newskg/id/document/story"), RDF_TYPE, NamedNode(KG + "Document"), doc),
        Quad(NamedNode("https://w3id.org/newskg/id/document/story"), NamedNode(KG + "title"), Literal("Talks"), doc),
    ]
    links = [
        Quad(NamedNode("https://w3id.org/newskg/id/place/vienna"), SAME_AS,
             NamedNode("http://www.wikidata.org/entity/Q1741"), LEGACY_LINKS),
        Quad(NamedNode("https://w3id.org/newskg/id/country/austria"), SAME_AS,
             NamedNode("http://www.wikidata.org/entity/Q40"), LEGACY_LINKS),
    ]
    store = Store(str(path))
    store.extend(document + links)
    store.flush()
    del store
    return set(document), {Quad(q.subject, q.predicate, q.object, LINKS) for q in links}


def test_a_v01_store_has_its_links_moved_on_the_first_open(runner, tmp_path):
    path = tmp_path / "store"
    document, links = v01_store(path)
    result = runner.invoke(cli, ["query", "--format", "csv", "--store", str(path), "--sparql",
                                 f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{LINKS.value}> {{ ?s ?p ?o }} }}"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "2"]
    assert graph(path, LINKS) == links
    assert graph(path, LEGACY_LINKS) == set()
    assert graph(path, NamedNode(GRAPH + "story")) == document
