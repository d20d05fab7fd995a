"""What the ``kg`` commands share: the error type, one-line messages, the store, the common options."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import click

from ..store import DEFAULT_STORE

QUERY_FORMATS = ("table", "csv", "tsv", "json")
EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
METADATA_FLAGS = ("id", "title", "author", "publisher", "dateline", "date", "url")


class CommandError(click.ClickException):
    """A library error shown as one ``Error: …`` line, with the library's exit code."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


MAX_MESSAGE = 500   # characters of an error line: a 100 KB argument is not repeated in full


def one_line(message: str) -> str:
    """A message as one readable line: control characters escaped, an over-long one cut in the middle.

    >>> one_line("bad file a\\nb.txt")
    'bad file a\\\\nb.txt'
    """
    if not message.isprintable():
        message = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 120] + " … " + message[-100:]
    return message


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush stays silent."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _require(module: str, what: str):
    """Import a part of newskg that a command needs, with a one-line error if it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise CommandError(f"{what} is not available in this installation ({exc})") from None


def warn(message: str) -> None:
    click.echo(f"Warning: {one_line(message)}", err=True)


def error_line(message: str) -> None:
    click.echo(f"Error: {one_line(message)}", err=True)


def open_store(store_path: Path, *, create: bool = False, read_only: bool = False):
    from ..store import KGStore

    return KGStore(store_path, create=create, read_only=read_only)


# ---------------------------------------------------------------- shared options


def _remember_store(ctx, param, value):
    ctx.meta["kg.store_path"] = value      # for messages about the store raised outside the command
    return value


def store_option(fn):
    return click.option(
        "--store", "store_path", type=click.Path(file_okay=False, path_type=Path), envvar="KG_STORE",
        default=DEFAULT_STORE, show_default=True, show_envvar=True, callback=_remember_store,
        help="Directory of the Oxigraph store.",
    )(fn)


def model_option(fn):
    return click.option(
        "--model", envvar="KG_SPACY_MODEL", show_envvar=True, metavar="NAME",
        help="spaCy pipeline to use (default: the packaged en_core_web_sm).",
    )(fn)


def validate_option(fn):
    return click.option(
        "--validate/--no-validate", default=True, show_default=True,
        help="Check each document's graph against the SHACL shapes before storing it.",
    )(fn)


def format_option(choices, default=None, help="Output format."):
    def decorator(fn):
        return click.option(
            "--format", "-f", "fmt", type=click.Choice(choices, case_sensitive=False), default=default,
            show_default=default is not None, help=help,
        )(fn)

    return decorator


def _check_date(ctx, param, value):
    if value is None:
        return None
    from ..documents import parse_date
    from ..errors import MetadataError

    try:
        parse_date(value, "--date")
    except MetadataError as exc:
        raise click.BadParameter(str(exc).removeprefix("--date: ")) from None
    return value


def metadata_options(fn):
    """--title, --author … flags, passed to the command as one ``metadata`` dict (None when unset)."""
    helps = {
        "id": "Document id (default: the file name); one file only.",
        "title": "Title of the article.",
        "author": "Author of the article.",
        "publisher": "Publisher (news outlet or agency).",
        "dateline": "Place the article was filed from.",
        "date": "Publication date, YYYY-MM-DD (relative dates in the text are resolved against it).",
        "url": "Address of the article.",
    }
    for name in reversed(METADATA_FLAGS):
        fn = click.option(f"--{name}", f"meta_{name}", metavar="ID" if name == "id" else name.upper(),
                          callback=_check_date if name == "date" else None, help=helps[name])(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        metadata = {name: kwargs.pop(f"meta_{name}") for name in METADATA_FLAGS}
        return fn(*args, metadata={k: v for k, v in metadata.items() if v not in (None, "")}, **kwargs)

    return wrapper


def _parse_params(ctx, param, values):
    params = {}
    for value in values:
        name, sep, bound = value.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE")
        if name in params:
            raise click.BadParameter(f"{name!r} is given twice")
        params[name] = bound
    return params


def shown_path(path) -> str:
    """A path as one line: control characters (a newline in a file name) escaped, huge ones cut."""
    text = str(path)
    if text.isprintable() and len(text) <= 300:
        return text
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= 300 else text[:150] + "…" + text[-100:]


def force_option(fn):
    return click.option(
        "--force", is_flag=True,
        help="Re-extract and replace documents even when unchanged, or when their id belongs to "
             "a document stored from another file.",
    )(fn)


def jobs_option(fn):
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
        help="Extraction processes, each loading spaCy once; one writer stores the documents in order "
             "[default: the number of cores; 1, or fewer than 24 files: all in this process].",
    )(fn)


def _jobs(jobs: int | None) -> int:
    """--jobs, or the cores this process may run on."""
    import os

    if jobs:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def quiet_option(fn):
    return click.option(
        "--quiet", "-q", is_flag=True,
        help="No progress (a bar on a terminal; otherwise a line every 30 s of long work).",
    )(fn)


def _progress(description: str, total: int | None, unit: str, quiet: bool, **options):
    """A progress display on stderr (a bar on a terminal, rare plain lines otherwise): kg.progress."""
    from ..progress import Progress

    return Progress(description, total, unit=unit, quiet=quiet, stream=click.get_text_stream("stderr"), **options)


def _stats_text(stats, store_path) -> str:
    entity_detail = ", ".join(f"{name} {n}" for name, n in stats.entities.items())
    return "\n".join([
        f"store: {store_path}",
        f"documents: {stats.documents}",
        f"graphs: {stats.graphs}",
        f"quads: {stats.quads}",
        f"entities: {stats.entity_total} ({entity_detail})",
        f"statements: {stats.statements}",
        f"facts: {stats.facts}",
        f"mentions: {stats.mentions}",
        f"wikidata links: {stats.links}",
    ])
