"""Run a read-only query in a child process that is killed when it overruns its deadline.

Oxigraph cannot interrupt a running SPARQL query from Python, so ``kg query --timeout`` runs
the query in a forked child that opens the store itself; on timeout the child is killed and
the store, opened read-write only by that child, is left as it was (queries never write).
"""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode

from .errors import KGError, QueryError


def _encode(term):
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("bnode", term.value)
    if isinstance(term, Literal):
        return ("literal", term.value, term.datatype.value if term.datatype else None, term.language)
    return ("literal", str(term), None, None)


def _decode(data):
    if data is None:
        return None
    if data[0] == "iri":
        return NamedNode(data[1])
    if data[0] == "bnode":
        return BlankNode(data[1])
    _, value, datatype, language = data
    if language:
        return Literal(value, language=language)
    return Literal(value, datatype=NamedNode(datatype)) if datatype else Literal(value)


def _child(conn, store_path, sparql, params, saved_path):
    from .queries import parse_query_file, run
    from .store import KGStore

    try:
        saved = parse_query_file(saved_path) if saved_path else None
        with KGStore(store_path, read_only=True) as store:
            result = run(store, sparql, params, saved=saved)
        conn.send(("ok", result.columns, [[_encode(t) for t in row] for row in result.rows], result.boolean))
    except KGError as exc:
        conn.send(("error", type(exc).__name__, str(exc), exc.exit_code))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        conn.send(("error", "QueryError", f"query failed: {exc}", 1))
    finally:
        conn.close()


def run_with_deadline(store_path: str | Path, sparql: str, params: dict | None, saved, timeout: float):
    """Like :func:`kg.queries.run`, but gives up after ``timeout`` seconds."""
    from . import errors
    from .queries import QueryResult

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, str(store_path), sparql, params,
                                               str(saved.path) if saved and saved.path else None), daemon=True)
    process.start()
    child.close()
    if not parent.poll(timeout):
        process.kill()
        process.join()
        raise QueryError(f"query stopped after the {timeout:g} s timeout")
    message = parent.recv()
    process.join()
    if message[0] == "error":
        _, name, text, _code = message
        raise getattr(errors, name, QueryError)(text)
    _, columns, rows, boolean = message
    return QueryResult(columns, [[_decode(t) for t in row] for row in rows], boolean)
