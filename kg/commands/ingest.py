"""kg build, kg ingest, kg extract: documents into the store (or, for extract, onto stdout)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError, UsageError
from .common import (
    EXPORT_FORMATS,
    CommandError,
    _jobs,
    _progress,
    _require,
    _stats_text,
    error_line,
    force_option,
    format_option,
    jobs_option,
    metadata_options,
    model_option,
    open_store,
    quiet_option,
    shown_path,
    store_option,
    validate_option,
    warn,
)


def _ingest_line(result) -> str:
    path = shown_path(result.path)
    if result.status == "failed":
        return f"{'failed':<10} {path}"
    if result.status == "unchanged":
        return f"{'unchanged':<10} {path}  (already in the store)"
    return (f"{result.status:<10} {path}  ({result.quads} quads, {result.entities} entities, "
            f"{result.statements} statements, {result.facts} facts)")


def _print_result(result) -> None:
    """A file's line on stdout as soon as it is final (committed, skipped or failed); errors on stderr."""
    for warning in result.warnings:
        warn(warning)
    click.echo(_ingest_line(result))
    if result.status == "failed":
        error_line(result.message)
        if result.report:
            # The SHACL report says which node broke which shape: indented under its Error line.
            click.echo("\n".join("    " + line for line in result.report.rstrip().splitlines()), err=True)


def _ingest_progress(paths, description: str, quiet: bool):
    """A progress for ingesting ``paths`` and the on_result callback that prints each line and advances it."""
    from ..documents import find_sources

    try:
        total = len(find_sources(paths))
    except (KGError, OSError):
        total = None                      # the ingest itself says what is wrong with the paths
    progress = _progress(description, total or None, "document", quiet)

    def on_result(result):
        with progress.paused():
            _print_result(result)
        progress.advance()

    return progress, on_result


def _counts(report) -> str:
    counts = {status: 0 for status in ("added", "replaced", "unchanged", "failed")}
    for result in report.results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def _link_after(store, report):
    """Link offline after documents were added or replaced (ingest, load): no network, no new requests."""
    if not any(r.status in ("added", "replaced") for r in report.results):
        return None
    from ..link import cache_path_for, link_store

    return link_store(store.store, online=False, cache_path=cache_path_for(store.path))


def _print_summary(report, store_path, total, links) -> None:
    click.echo(f"{_counts(report)}; store {store_path}: {total} quads")
    if links is not None:
        click.echo(f"links: {links.summary()}")
    if not report.ok:
        raise click.exceptions.Exit(1)


def _ingest_paths():
    return _require("kg.pipeline", "extraction (kg.extract)").ingest_paths


@click.command()
@store_option
@click.option("--articles", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("data/articles"), show_default=True, help="Folder of articles to ingest.")
@model_option
@validate_option
@force_option
@jobs_option
@quiet_option
def build(store_path, articles, model, validate, force, jobs, quiet):
    """Build the store: ingest, link, validate, summarise.

    Ingests a folder of articles, links entities to Wikidata offline (the verified table and
    the cache of earlier live decisions), validates the whole store and prints a summary.
    Articles already in the store and unchanged are skipped; changed ones are replaced.
    Exits 1 if an article failed or the store does not conform to the SHACL shapes.
    """
    build_store = _require("kg.pipeline", "extraction (kg.extract)").build
    progress, on_result = _ingest_progress([articles], "build", quiet)
    with open_store(store_path, create=True) as store, progress:
        built = build_store(store, articles, model=model, validate=validate, force=force, on_result=on_result,
                            jobs=_jobs(jobs))
    report, link_report, stats = built.ingest, built.links, built.stats
    conforms, violations = built.conforms, built.violations
    click.echo(f"ingested: {_counts(report)}")
    click.echo(_stats_text(stats, store_path))
    click.echo(f"links: {link_report.summary()}")
    if conforms is None:
        click.echo("validation: skipped (--no-validate)")
    else:
        click.echo("validation: conforms" if conforms else
                   f"validation: does not conform ({violations} violations; see `kg validate`)")
    if conforms is False:
        raise CommandError(f"store {store_path} does not conform to the SHACL shapes "
                           f"({violations} violations); run `kg validate --store {store_path}` for the report")
    if not report.ok:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@metadata_options
@store_option
@model_option
@validate_option
@force_option
@click.option("--link/--no-link", default=True, show_default=True,
              help="Link the store's entities to Wikidata offline afterwards (the verified table and "
                   "the cache of earlier live decisions; no network).")
@jobs_option
@quiet_option
def ingest(paths, metadata, store_path, model, validate, force, link, jobs, quiet):
    """Add or replace documents in the store.

    PATHS are files (.txt, .md, .html) or folders of them.
    Metadata comes from NAME.meta.json beside each file; the flags override it for every
    file. Prints one line per file (added, replaced, unchanged or failed). A file that
    fails is reported and the others are still ingested; the exit status is then 1.
    """
    if metadata.get("id") and (len(paths) > 1 or paths[0].is_dir()):
        raise UsageError("--id names one document: give exactly one file")
    ingest_paths = _ingest_paths()
    progress, on_result = _ingest_progress(paths, "ingest", quiet)
    with open_store(store_path, create=True) as store:
        with progress:
            report = ingest_paths(store, paths, overrides=metadata, model=model, validate=validate, force=force,
                                  on_result=on_result, jobs=_jobs(jobs))
        links = _link_after(store, report) if link else None
        total = len(store)
    _print_summary(report, store_path, total, links)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@format_option(EXPORT_FORMATS, help="RDF format [default: from the -o suffix, else nquads].")
@metadata_options
@model_option
def extract(path, output, fmt, metadata, model):
    """Print the knowledge graph of one document.

    No store is involved: the document is read, extracted and serialised.
    """
    from ..documents import read_document
    from ..export import format_for_path, serialize_quads

    fmt = fmt or format_for_path(output) or "nquads"
    extract_quads = _require("kg.pipeline", "extraction (kg.extract)").extract_quads
    doc = read_document(path, metadata)
    for warning in doc.warnings:
        warn(warning)
    quads = extract_quads(doc, model=model)
    serialize_quads(quads, fmt, output if output is not None else click.get_binary_stream("stdout"))
    if output is not None:
        click.echo(f"wrote {len(quads)} quads of {doc.id} to {output}", err=True)
