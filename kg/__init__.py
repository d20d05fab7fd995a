"""newskg: turn news articles into a provenance-rich RDF knowledge graph stored in Oxigraph."""

__version__ = "0.1.0"


def __getattr__(name):
    # kg.open_rdflib imports rdflib only when asked for: `kg query` must start fast.
    if name == "open_rdflib":
        from .rdflib_view import open_rdflib

        return open_rdflib
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
