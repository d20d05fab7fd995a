"""kg validate, kg backup, kg restore: looking after the store."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CommandError, open_store, store_option


@click.command()
@click.option("--all", "everything", is_flag=True,
              help="Check every document, not only those changed since their last check.")
@store_option
def validate(everything, store_path):
    """Check the store against the SHACL shapes.

    Only the documents changed since their last check are checked (each conforming one is
    marked), with the entities they describe as the whole store has them; --all checks the whole
    store. Prints "conforms" (exit 0), or the validation report (exit 1).
    """
    from ..validate import validate_changed

    with open_store(store_path) as store:
        conforms, violations, report, checked = validate_changed(store, everything=everything)
        total = len(store)
    if conforms:
        scope = "the whole store" if everything else f"{checked} changed documents"
        click.echo(f"conforms ({scope} of {total} quads checked against the SHACL shapes)")
        return
    click.echo(report.rstrip())
    raise CommandError(f"store {store_path} does not conform to the SHACL shapes ({violations} violations)")


@click.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@store_option
def backup(target, store_path):
    """Copy the store to TARGET (a new folder), consistently, while it stays usable."""
    with open_store(store_path, read_only=True) as store:
        store.backup(target)
        total = len(store)
    click.echo(f"backed up {store_path} ({total} quads) to {target}")


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@store_option
def restore(source, store_path):
    """Replace the store with the backup in SOURCE.

    The old store is kept, never deleted: as STORE.before-restore, or STORE.before-restore-2,
    -3 … when that name is taken. Remove it yourself once the restored store is checked.
    """
    from ..store import restore as restore_store

    _, kept = restore_store(source, store_path)
    with open_store(store_path, read_only=True) as store:
        total = len(store)
    click.echo(f"restored {store_path} ({total} quads) from {source}")
    if kept is not None:
        click.echo(f"the previous store is kept at {kept}")
