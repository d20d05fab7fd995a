"""kg push: the store to another SPARQL store, graph by graph."""

from __future__ import annotations

import click

from ..errors import UsageError
from .common import _progress, error_line, open_store, quiet_option, store_option


@click.command(name="push")
@click.argument("url")
@click.option("--graph", "graphs", multiple=True, metavar="IRI",
              help="Push only this named graph (an IRI or a document id; repeatable). Default: every graph.")
@click.option("--user", metavar="USER", help="User name for HTTP Basic authentication.")
@click.option("--password-env", metavar="VAR",
              help="Environment variable holding the password (never on the command line).")
@click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
              help="Retries of a graph after a connection error or a 5xx answer (exponential backoff).")
@store_option
@quiet_option
def push_command(url, graphs, user, password_env, retries, store_path, quiet):
    """Send the store to a SPARQL 1.1 Graph Store endpoint, graph by graph.

    URL is the Graph Store Protocol address: Oxigraph http://HOST:7878/store, Fuseki
    http://HOST:3030/DATASET/data, GraphDB …/repositories/REPO/rdf-graphs/service. Each
    named graph is sent with PUT ?graph=IRI, which replaces it: pushing again does not
    duplicate anything. Prints one line per graph and a summary; exits 1 if a graph was
    refused or the endpoint cannot be reached.
    """
    from ..export import resolve_graph
    from ..push import password_from_env, push

    if password_env and not user:
        raise UsageError("--password-env needs --user")
    password = password_from_env(password_env)

    from ..push import _graphs_to_push

    def show(result):
        with progress.paused():
            if result.status == "pushed":
                click.echo(f"pushed   {result.graph}  ({result.triples} triples)")
            else:
                error_line(f"graph {result.graph} refused: {result.message}")
        progress.advance()

    with open_store(store_path, create=False) as store:
        chosen = [resolve_graph(store, graph) for graph in graphs]
        progress = _progress("push", len(_graphs_to_push(store.store, chosen or None)), "graph", quiet)
        with progress:
            report = push(store, url, chosen or None, user=user, password=password, retries=retries, on_graph=show)
    click.echo(report.summary())
    if not report.ok:
        raise click.exceptions.Exit(1)
