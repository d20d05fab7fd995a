"""kg serve: the store over HTTP."""

from __future__ import annotations

import click

from .common import store_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port to listen on.")
@click.option("--writable", is_flag=True, help="Also accept SPARQL updates (default: read-only).")
@click.option("--timeout", type=click.IntRange(1, 86400), default=60, show_default=True, metavar="SECONDS",
              help="Time limit of each query.")
@store_option
def serve(host, port, writable, timeout, store_path):
    """Serve the store over HTTP (SPARQL endpoint, query page, entity pages).

    Runs the Oxigraph server behind a small front app: / lists the saved queries and the
    entities, /entity/TYPE/SLUG shows an entity (HTML, or Turtle / JSON-LD to clients asking
    for RDF), /ui is Oxigraph's query page, /query and /update the SPARQL protocol (queries
    nested too deeply are refused with 400). Queries see the union of all graphs as their
    default graph. Stop with Ctrl-C.
    While it serves, the server holds the store: other readers (kg query, export …) run,
    writers (kg ingest, build, link, restore) get "in use" until it stops. To change the
    data of a running server, stop it, write, and start it again — or serve --writable and
    send SPARQL updates to it.
    """
    from ..serve import serve as serve_store

    serve_store(store_path, host, port, writable=writable, timeout=timeout,
                announce=lambda line: click.echo(line, err=True))
