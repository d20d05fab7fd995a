"""kg reconcile: our facts against Wikidata."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CommandError, format_option, open_store, shown_path, store_option


@click.command(name="reconcile")
@click.option("--endpoint", metavar="URL", default=None,
              help="SPARQL endpoint holding Wikidata [default: https://query.wikidata.org/sparql].")
@format_option(("table", "csv", "rdf"), default="table",
               help="table: aligned columns; csv: every column, full sentences; rdf: Turtle of the verdicts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True,
              metavar="SECONDS", help="Time limit of each request.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Retries after a timeout, a network error, HTTP 429 or 5xx (exponential backoff).")
@store_option
def reconcile_command(endpoint, fmt, output, timeout, retries, store_path):
    """Check our facts about linked entities against Wikidata.

    For every entity linked to a Wikidata item, its posts (P39 with start and end), headquarters
    (P159), event locations and dates (P276, P580, P582, P585), founders (P112) and member counts
    (P2124) are compared with the item's statements, fetched from the SPARQL endpoint. Each fact
    is confirmed, contradicted (with Wikidata's value), new to Wikidata (with our evidence
    sentence) or stale (a post Wikidata says ended before the article's date). The verdicts are
    also written into the store as the graph https://w3id.org/newskg/graph/_/reconciliation
    (replaced as a whole), so `kg query` can ask about them. Nothing is written if the endpoint fails.
    """
    from ..reconcile import SparqlClient, format_report, reconcile

    client = SparqlClient(endpoint or SparqlClient().endpoint, timeout=timeout, retries=retries,
                          deadline=max(timeout, 1) * (retries + 1) * 2)
    with open_store(store_path, create=False) as store:
        report = reconcile(store, client)
    text = format_report(report, fmt)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {shown_path(output)}: {exc.strerror or exc}") from None
    else:
        click.echo(text.rstrip("\n"))
    click.echo(report.summary(), err=True)
