"""kg viz: a picture of the graph."""

from __future__ import annotations

from pathlib import Path

import click

from .common import format_option, open_store, store_option


@click.command(name="viz")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write [default: graph.html, or graph.svg with --format svg].")
@click.option("--entity", metavar="NAME", help="Draw only what lies around this entity (label, alias or IRI).")
@click.option("--document", metavar="ID", help="Draw only the facts and statements of this document (id or graph IRI).")
@click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True,
              help="With --entity: how many edges away from it to draw.")
@format_option(("html", "svg"), help="html: interactive page (vis-network, offline); svg: static, via Graphviz "
                                     "[default: from the -o suffix, else html].")
@store_option
def viz_command(output, entity, document, depth, fmt, store_path):
    """Draw the graph: an interactive HTML page, or an SVG for reports.

    Entities are coloured by class, facts are labelled edges, statements are boxes linked to
    their speaker and event. In the HTML page a click on a node or an edge shows the
    evidence sentence. The page is one file that works offline.
    """
    from ..viz import write_picture

    with open_store(store_path) as store:
        path, picture = write_picture(store, output, fmt, entity=entity, document=document, depth=depth)
    click.echo(f"wrote {path} ({len(picture.nodes)} nodes, {len(picture.edges)} edges)")
