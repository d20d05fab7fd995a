"""kg extract-batch, kg load: extraction on a Dask cluster into shards, and the shards into the store."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    CommandError,
    error_line,
    force_option,
    model_option,
    open_store,
    shown_path,
    store_option,
    validate_option,
)
from .ingest import _link_after, _print_result, _print_summary


@click.command(name="extract-batch")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the shards (one part-NNNNN-HASH.nq and .json per partition).")
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="Dask scheduler to send the work to [default: a local cluster of --workers processes].")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Without --scheduler: worker processes of the local cluster [default: the number of cores].")
@click.option("--partition-size", type=click.IntRange(min=1), default=64, show_default=True, metavar="N",
              help="Source files per partition (one task, one shard).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10, show_default=True,
              metavar="SECONDS", help="How long to try to reach the scheduler.")
@model_option
@validate_option
def extract_batch_command(paths, out_dir, scheduler, workers, partition_size, timeout, model, validate):
    """Extract documents on a Dask cluster into N-Quads shards (`kg load DIR` stores them).

    The workers read the files and write the shards, so PATHS and --out must be on a filesystem
    they share. Shards already complete (and whose files did not change) are skipped: after a
    failure, run the same command again. A folder of shards of other files is refused.
    Needs the optional extra: pip install 'newskg[cluster]'. Exits 1 if a document failed.
    """
    from ..cluster import extract_batch

    def show(summary):
        state = "complete " if summary["skipped"] else "wrote    "
        click.echo(f"{state} {summary['shard']}  ({summary['documents']} documents, "
                   f"{len(summary['failed'])} failed)")

    report = extract_batch(paths, out_dir, scheduler=scheduler, workers=workers, partition_size=partition_size,
                           model=model, validate=validate, timeout=timeout, on_shard=show)
    for failure in report.failed:
        click.echo(f"{'failed':<10} {shown_path(failure['path'])}")
        error_line(failure["message"])
    click.echo(f"{report.shards} shards ({report.written} written, {report.skipped} already complete, "
               f"{len(report.errors)} not written); {report.documents} documents, {len(report.failed)} failed; "
               f"load them with `kg load {shown_path(out_dir)}`")
    if report.errors:
        raise CommandError(f"{len(report.errors)} shards not written: {report.errors[0]}; "
                           f"run the same command again to finish them")
    if report.failed:
        raise click.exceptions.Exit(1)


@click.command(name="load")
@click.argument("directory", type=click.Path(path_type=Path))
@store_option
@force_option
@click.option("--link/--no-link", default=True, show_default=True,
              help="Link the store's entities to Wikidata offline afterwards (as `kg ingest`).")
def load_command(directory, store_path, force, link):
    """Store the shards written by `kg extract-batch`, as `kg ingest` would.

    One line per document (added, replaced, unchanged or failed); documents already stored
    and unchanged are skipped, changed ones replaced, and a document id that belongs to
    another file is refused unless --force. Loading the same shards again changes nothing.
    """
    from ..batch import complete_shards
    from ..pipeline import load_shards

    if not complete_shards(directory):           # before a store is created for nothing
        raise CommandError(f"{shown_path(directory)}: no complete shards (part-*.nq with its .json); "
                           f"write them with `kg extract-batch PATHS… --out {shown_path(directory)}`")
    with open_store(store_path, create=True) as store:
        report = load_shards(store, directory, force=force, on_result=_print_result)
        links = _link_after(store, report) if link else None
        total = len(store)
    _print_summary(report, store_path, total, links)
