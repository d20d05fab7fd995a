"""Library exceptions. The CLI turns each into one ``Error: …`` line and an exit code.

Exit codes (documented in the README): 0 ok, 1 data problem (bad input, non-conforming
graph, failed query), 2 usage problem (unknown option, command or query name).
"""


class KGError(Exception):
    """Base class of every error newskg reports to a user."""

    exit_code = 1


class UsageError(KGError):
    """The call itself is wrong: unknown query name, format, parameter."""

    exit_code = 2


class DocumentError(KGError):
    """A source document cannot be read: missing, empty, binary, badly encoded."""


class MetadataError(DocumentError):
    """A ``.meta.json`` sidecar or a metadata flag is malformed (bad date, bad JSON)."""


class StoreError(KGError):
    """The Oxigraph store cannot be opened or written."""


class StoreLockedError(StoreError):
    """Another process holds the store."""


class QueryError(KGError):
    """A SPARQL query is malformed, refused (an update) or failed while running."""


class ValidationError(KGError):
    """A graph does not conform to the SHACL shapes."""

    def __init__(self, message: str, report: str = ""):
        super().__init__(message)
        self.report = report


class ModelError(KGError):
    """The spaCy model asked for is not installed."""


class LinkError(KGError):
    """The Wikidata service failed or answered something we cannot read."""
