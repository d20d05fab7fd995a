"""The store as an rdflib ``Dataset``, without an export: oxrdflib's ``Oxigraph`` store plugin.

`oxrdflib <https://pypi.org/project/oxrdflib/>`_ 0.5 is the rdflib store plugin backed by
pyoxigraph 0.5 (it requires ``pyoxigraph~=0.5.0``, so it runs on the pyoxigraph 0.5.13 newskg
pins). rdflib code then reads the graph in place: triple patterns, named graphs, and SPARQL,
which oxrdflib hands to Oxigraph's own engine (fast) rather than rdflib's.

By default the store is opened read-only: several readers (and the read-only ``kg serve``) can
share it, and the view is the store as it was when opened (reopen to see later writes). Reading
while another process writes is undefined behaviour in RocksDB, so a store held by a writer
(``kg ingest``, ``kg build``, ``kg serve --writable``) is refused with StoreLockedError. The
default graph of the Dataset is the union of the named graphs, as in ``kg query``.

>>> import tempfile
>>> from pyoxigraph import Literal, NamedNode, Quad
>>> from kg.store import KGStore
>>> with tempfile.TemporaryDirectory() as path:
...     with KGStore(path) as store:
...         store.store.add(Quad(NamedNode("https://w3id.org/newskg/id/person/x"),
...                              NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("X"),
...                              NamedNode("https://w3id.org/newskg/graph/doc")))
...     dataset = open_rdflib(path)
...     rows = list(dataset.query("SELECT ?name WHERE { ?s rdfs:label ?name }"))
...     [str(row.name) for row in rows]
['X']
"""

from __future__ import annotations

from pathlib import Path

from .errors import KGError, StoreError
from .terms import PREFIXES


def open_rdflib(path: str | Path | None = None, *, read_only: bool = True):
    """An ``rdflib.Dataset`` over the newskg store at ``path`` (default: ``.kg/store`` or KG_STORE).

    ``read_only=False`` opens it for writing (and takes the store's lock): rdflib writes then go
    straight into Oxigraph, bypassing ingest's per-document transactions and SHACL validation.
    """
    try:
        import oxrdflib  # noqa: F401
        import pyoxigraph
    except ImportError as exc:
        raise KGError(f"the rdflib view needs oxrdflib (pip install 'oxrdflib~=0.5.0'): {exc}") from None
    from .store import KGStore, default_store_path

    location = Path(path) if path is not None else default_store_path()
    if not location.is_dir():
        raise StoreError(f"no store at {location} (run `kg build` or `kg ingest` first)")
    if not read_only:
        return _dataset(KGStore(location, create=False).store)
    # Taking the write lock for a moment is how a writer shows up (as in `kg serve`).
    KGStore(location, create=False).close()
    try:
        oxigraph_store = pyoxigraph.Store.read_only(str(location))
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"cannot open store {location}: {str(exc).splitlines()[0]}") from None
    return _dataset(oxigraph_store)


def _dataset(oxigraph_store):
    import rdflib
    from oxrdflib.store import OxigraphStore

    dataset = rdflib.Dataset(store=OxigraphStore(store=oxigraph_store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset
