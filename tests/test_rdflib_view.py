"""``kg.open_rdflib``: rdflib (through oxrdflib) sees exactly what pyoxigraph sees in the store."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest

pytest.importorskip("oxrdflib", reason="oxrdflib is not installed")

import rdflib  # noqa: E402
from oxrdflib._converter import from_ox  # noqa: E402
from pyoxigraph import Store  # noqa: E402

import kg  # noqa: E402
from kg.errors import StoreError  # noqa: E402
from kg.queries import load_catalogue, run, substitutions  # noqa: E402
from kg.store import KGStore  # noqa: E402


def assert_same_as_pyoxigraph(store_path) -> None:
    dataset = kg.open_rdflib(store_path)
    assert isinstance(dataset, rdflib.Dataset)
    with pyoxigraph_reader(store_path) as store:
        # the default graph is the union of the named graphs: a triple two documents state counts once
        distinct = next(iter(store.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")))
        assert len(dataset) == int(distinct["n"].value)
        assert sum(len(dataset.get_graph(rdflib.URIRef(g.value))) for g in store.graphs()) == len(store)
        for graph in store.graphs():
            in_graph = {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                        for q in store.store.quads_for_pattern(None, None, None, graph)}
            assert set(dataset.get_graph(rdflib.URIRef(graph.value)).triples((None, None, None))) == in_graph
        people = {from_ox(q.subject) for q in store.store.quads_for_pattern(
            None, from_ox_iri(rdflib.RDF.type), from_ox_iri(rdflib.URIRef("https://w3id.org/newskg/ontology#Person")), None)}
        assert set(dataset.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/newskg/ontology#Person"))) == people
        compared = 0
        for name, saved in load_catalogue().items():
            if "SERVICE" in saved.text:
                continue    # federated with a remote endpoint: tests/test_federation.py runs those
            bound = substitutions(saved, {}, store) if all(p.optional for p in saved.params) else None
            if bound is None:
                continue
            local = run(store, saved.text, saved=saved)
            through_rdflib = dataset.query(saved.text, initBindings={k.value: from_ox(v) for k, v in bound.items()})
            rows = sorted(tuple(repr(value) for value in row) for row in through_rdflib)
            expected = sorted(tuple(repr(from_ox(term)) if term is not None else "None" for term in row)
                              for row in local.rows)
            assert rows == expected, f"saved query {name} answers differently through rdflib"
            compared += 1
        assert compared >= 8


@contextmanager
def pyoxigraph_reader(store_path):
    """The store through KGStore's query method, read-only (beside the rdflib view)."""
    store = KGStore.__new__(KGStore)
    store.path, store.store = store_path, Store.read_only(str(store_path))
    yield store


def from_ox_iri(uri: rdflib.URIRef):
    from pyoxigraph import NamedNode

    return NamedNode(str(uri))


def test_rdflib_reads_the_small_store_like_pyoxigraph(small_store_path):
    assert_same_as_pyoxigraph(small_store_path)


@pytest.mark.slow
def test_rdflib_reads_the_built_seed_store_like_pyoxigraph(built_store):
    assert_same_as_pyoxigraph(built_store)


def test_two_read_only_views_side_by_side(small_store_path):
    first = kg.open_rdflib(small_store_path)
    script = f"import kg; print(len(kg.open_rdflib({str(small_store_path)!r})))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(first)


def test_a_store_held_by_a_writer_is_refused(small_store_path):
    # RocksDB: reading while another process writes is undefined behaviour, so it is refused.
    with KGStore(small_store_path, create=False):
        script = f"import kg; kg.open_rdflib({str(small_store_path)!r})"
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "StoreLockedError" in out.stderr and "in use by another process" in out.stderr


def test_writable_view_writes_into_the_store(small_store_path):
    dataset = kg.open_rdflib(small_store_path, read_only=False)
    graph = rdflib.URIRef("https://w3id.org/newskg/graph/notes")
    dataset.add((rdflib.URIRef("urn:x:s"), rdflib.URIRef("urn:x:p"), rdflib.Literal("o"), graph))
    dataset.store.close()
    del dataset
    with KGStore(small_store_path, create=False) as store:
        assert any(g.value == str(graph) for g in store.graphs())


def test_the_read_only_view_refuses_writes(small_store_path):
    dataset = kg.open_rdflib(small_store_path)
    with pytest.raises(RuntimeError, match="read-write"):
        dataset.add((rdflib.URIRef("urn:x:s"), rdflib.URIRef("urn:x:p"), rdflib.Literal("o"),
                     rdflib.URIRef("https://w3id.org/newskg/graph/x")))


def test_no_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        kg.open_rdflib(tmp_path / "missing")


def test_importing_kg_does_not_import_rdflib():
    out = subprocess.run([sys.executable, "-c", "import sys, kg.cli; print('rdflib' in sys.modules)"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
