"""kg query, kg queries, kg explain: reading the store."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from .common import QUERY_FORMATS, _parse_params, _require, format_option, open_store, store_option


@click.command()
@click.argument("name", required=False, metavar="NAME|FILE.rq")
@click.option("--sparql", metavar="TEXT", help="Run this SPARQL query (read-only) instead of a saved one.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", callback=_parse_params,
              help="Bind a parameter of the saved query (repeatable).")
@format_option(QUERY_FORMATS, default="table")
@click.option("--timeout", type=float, metavar="SECONDS",
              help="Stop the query (or update) after this many seconds in all, rows included; it then "
                   "runs in a child process.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N",
              help="Rows per page (0: all). Saved queries that can return many rows default to a page "
                   "(`kg queries` shows the size).")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N", help="Skip the first N rows.")
@click.option("--update", "allow_update", is_flag=True,
              help="Allow a SPARQL update (INSERT, DELETE, DROP …); refused otherwise. Updates see the "
                   "named graphs only: write GRAPH ?g { … } (the default graph is empty).")
@store_option
def query(name, sparql, params, fmt, timeout, limit, offset, allow_update, store_path):
    """Run a saved query, a .rq file or --sparql TEXT.

    The default graph is the union of all named graphs. Only read-only queries run, unless
    --update is given. `kg queries` lists the saved queries and their parameters. Rows are
    written as they come, in constant memory, in every format.
    """
    queries = _require("kg.queries", "the query catalogue (kg.queries)")
    if name and sparql:
        raise UsageError("give a query NAME (or FILE.rq) or --sparql, not both")
    if not name and not sparql:
        raise UsageError("give a query NAME (or FILE.rq) or --sparql TEXT; `kg queries` lists the saved ones")
    if timeout is not None:
        from ..deadline import check_timeout

        check_timeout(timeout)
    saved = None
    if name:
        is_file = name.endswith(".rq") or _is_file(name)
        saved = queries.parse_query_file(Path(name)) if is_file else queries.get_query(name)
        sparql = saved.text
    if allow_update and queries.is_update(sparql):
        click.echo(f"update done: {_update(store_path, sparql, timeout):+d} quads")
        return
    page = (saved.limit if saved is not None else None) if limit is None else (limit or None)
    out = click.get_text_stream("stdout")
    if timeout is not None:
        from ..deadline import run_with_deadline

        open_store(store_path, read_only=True).close()       # a clear error now if the store is missing or held
        result = run_with_deadline(store_path, sparql, params or None, saved, timeout, limit=page, offset=offset)
        queries.write_result(result, fmt, out)
    else:
        with open_store(store_path, read_only=True) as store:
            result = queries.open_results(store, sparql, params or None, saved=saved, limit=page, offset=offset)
            queries.write_result(result, fmt, out)
    if result.truncated:
        click.echo(f"(first {page} rows from row {offset + 1}; --offset {offset + page} for the next page, "
                   f"--limit 0 for all)", err=True)


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):       # a name too long for a path, a NUL byte: not a file
        return False


def _update(store_path: Path, sparql: str, timeout: float | None) -> int:
    queries = _require("kg.queries", "the query catalogue (kg.queries)")
    if timeout is None:
        with open_store(store_path) as store:
            return queries.run_update(store, sparql)
    from ..deadline import update_with_deadline
    from ..lock import StoreLock

    open_store(store_path).close()           # a clear error now if the store is missing or held
    with StoreLock(store_path, shared=False):
        return update_with_deadline(store_path, sparql, timeout)


@click.command(name="queries")
def list_queries():
    """List the saved queries and their parameters."""
    queries = _require("kg.queries", "the query catalogue (kg.queries)")
    catalogue = queries.load_catalogue()
    click.echo(queries.format_catalogue(catalogue) if catalogue else "no saved queries")


@click.command()
@click.argument("name")
@store_option
def explain(name, store_path):
    """Show an entity's facts with their sources.

    NAME is a label, an alias or an IRI. Each fact is printed with the sentence that
    supports it, the method that extracted it and its confidence.
    """
    explain_module = _require("kg.explain", "kg explain (kg.explain)")
    with open_store(store_path, read_only=True) as store:
        explanation = explain_module.explain(store, name)
        text = explain_module.format_explanation(explanation)
    click.echo(text.rstrip("\n"))
