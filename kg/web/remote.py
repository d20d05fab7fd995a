"""Query the Oxigraph server over HTTP, with the interface :mod:`kg.explain` expects of a store.

``RemoteStore(url).query(sparql, substitutions={Variable("entity"): iri})`` sends the query to
the SPARQL endpoint with the substitutions as a ``VALUES`` block opening its WHERE clause (the
protocol has no parameter binding; inside, the binding comes before any grouping and narrows
the evaluation from the start) and returns rows of pyoxigraph terms, ``None`` when unbound.

>>> bind("SELECT ?n WHERE { ?entity rdfs:label ?n }", {Variable("entity"): NamedNode("https://w3id.org/newskg/id/person/x")})
'SELECT ?n WHERE { VALUES (?entity) { (<https://w3id.org/newskg/id/person/x>) } ?entity rdfs:label ?n }'
>>> term_from_json({"type": "literal", "value": "2016", "datatype": "http://www.w3.org/2001/XMLSchema#gYear"})
<Literal value=2016 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Variable, parse

from ..errors import QueryError

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind(sparql: str, substitutions) -> str:
    """``sparql`` with a ``VALUES`` block binding each variable to its term (terms print as N-Triples)."""
    if not substitutions:
        return sparql
    names = " ".join(f"?{variable.value}" for variable in substitutions)
    terms = " ".join(str(term) for term in substitutions.values())
    block = f"VALUES ({names}) {{ ({terms}) }}"
    where = _WHERE.search(sparql)
    if where is None:
        return f"{sparql}\n{block}"
    return f"{sparql[:where.end()]} {block}{sparql[where.end():]}"


def term_from_json(value: dict):
    """A term of the SPARQL 1.1 JSON results format as a pyoxigraph term."""
    kind = value.get("type")
    if kind == "uri":
        return NamedNode(value["value"])
    if kind == "bnode":
        return BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return Literal(value["value"], datatype=NamedNode(value["datatype"]))
        return Literal(value["value"])
    return None                                     # quoted triples: not used by newskg


class Row(dict):
    """One solution: ``row["name"]`` is the term, or None when the variable is unbound."""

    def __getitem__(self, name):
        return self.get(name.value if isinstance(name, Variable) else name)


class RemoteStore:
    """A SPARQL endpoint (``http://127.0.0.1:PORT/query``) read through the SPARQL 1.1 protocol."""

    def __init__(self, endpoint: str, timeout: float = 60.0):
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, sparql: str, accept: str) -> bytes:
        request = urllib.request.Request(self.endpoint, data=sparql.encode("utf-8"), method="POST", headers={
            "Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
            raise QueryError(f"the SPARQL endpoint answered {exc.code}: {detail}") from None
        except (OSError, ValueError) as exc:
            raise QueryError(f"the SPARQL endpoint cannot be reached: {exc}") from None

    def query(self, sparql: str, substitutions=None) -> list[Row]:
        """The rows of a SELECT query."""
        answer = json.loads(self._post(bind(sparql, substitutions), "application/sparql-results+json"))
        return [Row({name: term_from_json(value) for name, value in binding.items()})
                for binding in answer.get("results", {}).get("bindings", [])]

    def construct(self, sparql: str, substitutions=None) -> list:
        """The triples of a CONSTRUCT query, duplicates removed, in the order they came."""
        data = self._post(bind(sparql, substitutions), "application/n-triples")
        return list(dict.fromkeys(parse(data, format=RdfFormat.N_TRIPLES)))
