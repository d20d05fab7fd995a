"""kg export, kg stats: the store written out, and counted."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError, UsageError
from .common import (
    EXPORT_FORMATS,
    _progress,
    _stats_text,
    format_option,
    open_store,
    quiet_option,
    store_option,
)


@click.command(name="export")
@format_option(EXPORT_FORMATS, help="RDF format [default: from the -o suffix, else turtle].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--graph", metavar="IRI", help="Export only this named graph (an IRI or a document id).")
@store_option
@quiet_option
def export_command(fmt, output, graph, store_path, quiet):
    """Write the store as Turtle, TriG, N-Quads or JSON-LD.

    N-Triples (ntriples) is available too.
    TriG and N-Quads keep one named graph per document; Turtle, N-Triples and JSON-LD
    hold the union of all graphs. JSON-LD is compacted with the newskg context, embedded.
    """
    from ..export import export, format_for_path

    fmt = fmt or format_for_path(output) or "turtle"
    if output is not None and output.resolve().is_relative_to(store_path.resolve()):
        raise UsageError(f"output {output} is inside the store {store_path}; write it somewhere else")
    with open_store(store_path, read_only=True) as store:
        if output is None and click.get_binary_stream("stdout").isatty():
            quiet = True                  # the RDF itself goes to the terminal: no bar across it
        if quiet:
            export(store, fmt, output if output is not None else click.get_binary_stream("stdout"), graph=graph)
        else:
            _export_with_progress(store, fmt, output, graph, export)


def _export_with_progress(store, fmt, output, graph, export):
    """Export through a writer that counts lines (N-Quads, N-Triples: one per quad) or bytes."""
    from ..progress import CountingWriter

    lines = fmt in ("nquads", "ntriples")
    total = len(store) if lines and graph is None else None
    progress = _progress("export", total, "quad" if lines else "B", False, unit_scale=not lines)
    with progress:
        if output is None:
            export(store, fmt, CountingWriter(click.get_binary_stream("stdout"), progress, lines=lines), graph=graph)
            return
        try:
            with open(output, "wb") as stream:
                export(store, fmt, CountingWriter(stream, progress, lines=lines), graph=graph)
        except OSError as exc:
            raise KGError(f"cannot write {output}: {exc.strerror or exc}") from None


@click.command()
@store_option
def stats(store_path):
    """Count what the store holds.

    Documents, graphs, quads, entities per class, statements, facts (evidence), mentions
    and Wikidata links.
    """
    from ..export import store_stats

    with open_store(store_path, read_only=True) as store:
        result = store_stats(store)
    click.echo(_stats_text(result, store_path))
