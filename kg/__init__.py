"""newskg: turn news articles into a provenance-rich RDF knowledge graph stored in Oxigraph."""

__version__ = "0.1.0"
