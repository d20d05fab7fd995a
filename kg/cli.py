"""The ``kg`` command line: each command parses, calls the library, formats the result.

Exit codes: 0 ok, 1 data problem (bad input file, non-conforming graph, failed query),
2 usage problem (unknown option, command, query name or format). Every library error
(:class:`kg.errors.KGError`) becomes one ``Error: …`` line on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import click

from . import __version__
from .errors import KGError, UsageError
from .store import DEFAULT_STORE

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


class KGGroup(click.Group):
    """Turns every KGError raised by a command into a CommandError, and so do failed writes.

    A full disk or a closed pipe while writing output, and a store that turns out to be damaged
    while it is read, also end as one ``Error:`` line (a reader reaching the end of a pipe early,
    ``kg query … | head``, ends quietly).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise CommandError(one_line(str(exc)), exc.exit_code) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise click.exceptions.Exit(1) from None
        except OSError as exc:
            raise CommandError(one_line(f"cannot write output: {exc.strerror or exc}")) from None
        except RuntimeError as exc:
            if "corrupt" not in str(exc).lower():
                raise
            from .store import damaged

            store = ctx.meta.get("kg.store_path", DEFAULT_STORE)
            raise CommandError(one_line(str(damaged(Path(store), str(exc))))) from None


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
    from .store import KGStore

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
    from .documents import parse_date
    from .errors import MetadataError

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


# ---------------------------------------------------------------- the group


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="kg")
def cli():
    """newskg: turn news articles into an RDF knowledge graph, stored in Oxigraph.

    Build a store from the bundled articles with `kg build`, add your own with `kg ingest`,
    ask questions with `kg query`, and export with `kg export`. The store is .kg/store
    unless --store or KG_STORE say otherwise.
    """


# ---------------------------------------------------------------- ingesting


def shown_path(path) -> str:
    """A path as one line: control characters (a newline in a file name) escaped, huge ones cut."""
    text = str(path)
    if text.isprintable() and len(text) <= 300:
        return text
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= 300 else text[:150] + "…" + text[-100:]


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
    from .progress import Progress

    return Progress(description, total, unit=unit, quiet=quiet, stream=click.get_text_stream("stderr"), **options)


def _ingest_progress(paths, description: str, quiet: bool):
    """A progress for ingesting ``paths`` and the on_result callback that prints each line and advances it."""
    from .documents import find_sources

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
    from .link import cache_path_for, link_store

    return link_store(store.store, online=False, cache_path=cache_path_for(store.path))


def _print_summary(report, store_path, total, links) -> None:
    click.echo(f"{_counts(report)}; store {store_path}: {total} quads")
    if links is not None:
        click.echo(f"links: {links.summary()}")
    if not report.ok:
        raise click.exceptions.Exit(1)


def _ingest_paths():
    return _require("kg.pipeline", "extraction (kg.extract)").ingest_paths


@cli.command()
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


@cli.command()
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


@cli.command()
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
    from .documents import read_document
    from .export import format_for_path, serialize_quads

    fmt = fmt or format_for_path(output) or "nquads"
    extract_quads = _require("kg.pipeline", "extraction (kg.extract)").extract_quads
    doc = read_document(path, metadata)
    for warning in doc.warnings:
        warn(warning)
    quads = extract_quads(doc, model=model)
    serialize_quads(quads, fmt, output if output is not None else click.get_binary_stream("stdout"))
    if output is not None:
        click.echo(f"wrote {len(quads)} quads of {doc.id} to {output}", err=True)


# ---------------------------------------------------------------- reading the store


@cli.command()
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
        from .deadline import check_timeout

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
        from .deadline import run_with_deadline

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
    from .deadline import update_with_deadline
    from .lock import StoreLock

    open_store(store_path).close()           # a clear error now if the store is missing or held
    with StoreLock(store_path, shared=False):
        return update_with_deadline(store_path, sparql, timeout)


@cli.command(name="queries")
def list_queries():
    """List the saved queries and their parameters."""
    queries = _require("kg.queries", "the query catalogue (kg.queries)")
    catalogue = queries.load_catalogue()
    click.echo(queries.format_catalogue(catalogue) if catalogue else "no saved queries")


@cli.command(name="export")
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
    from .export import export, format_for_path

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
    from .progress import CountingWriter

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


@cli.command()
@click.option("--all", "everything", is_flag=True,
              help="Check every document, not only those changed since their last check.")
@store_option
def validate(everything, store_path):
    """Check the store against the SHACL shapes.

    Only the documents changed since their last check are checked (each conforming one is
    marked), with the entities they describe as the whole store has them; --all checks the whole
    store. Prints "conforms" (exit 0), or the validation report (exit 1).
    """
    from .validate import validate_changed

    with open_store(store_path) as store:
        conforms, violations, report, checked = validate_changed(store, everything=everything)
        total = len(store)
    if conforms:
        scope = "the whole store" if everything else f"{checked} changed documents"
        click.echo(f"conforms ({scope} of {total} quads checked against the SHACL shapes)")
        return
    click.echo(report.rstrip())
    raise CommandError(f"store {store_path} does not conform to the SHACL shapes ({violations} violations)")


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


@cli.command()
@store_option
def stats(store_path):
    """Count what the store holds.

    Documents, graphs, quads, entities per class, statements, facts (evidence), mentions
    and Wikidata links.
    """
    from .export import store_stats

    with open_store(store_path, read_only=True) as store:
        result = store_stats(store)
    click.echo(_stats_text(result, store_path))


@cli.command()
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


# ---------------------------------------------------------------- Wikidata and HTTP


@cli.command()
@click.option("--offline/--online", default=True, show_default=True,
              help="Offline: the verified table and the cache only. Online: ask the Wikidata API too.")
@click.option("--endpoint", metavar="URL", help="Wikidata API address (implies --online).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="Minimum score to accept a live match.")
@click.option("--report", is_flag=True, help="List the entities left unlinked, and why.")
@store_option
@quiet_option
def link(offline, endpoint, threshold, report, store_path, quiet):
    """Link entities to Wikidata items (owl:sameAs).

    The links graph is replaced as a whole.
    Live decisions are cached in wikidata-cache.json beside the store, so later runs
    (and `kg build`) reuse them offline.
    """
    link_module = _require("kg.link", "Wikidata linking (kg.link)")
    online = bool(endpoint) or not offline
    client = None
    progress = _progress("link", None, "name", quiet or not online)
    if online:
        client = _CountedClient(link_module.WikidataClient(api_url=endpoint) if endpoint
                                else link_module.WikidataClient(), progress)
    with open_store(store_path) as store, progress:
        result = link_module.link_store(store.store, online=online, client=client,
                                        cache_path=link_module.cache_path_for(store_path), threshold=threshold)
    click.echo(result.summary())
    if report:
        for row in result.unlinked:
            click.echo(f"  unlinked  {row.label}  ({row.entity_class}, {row.entity}): {row.reason}")


class _CountedClient:
    """A Wikidata client whose name searches advance a progress (one search per new name)."""

    def __init__(self, client, progress):
        self._client = client
        self._progress = progress

    def search(self, *args, **kwargs):
        try:
            return self._client.search(*args, **kwargs)
        finally:
            self._progress.advance()

    def __getattr__(self, name):
        return getattr(self._client, name)


@cli.command()
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@store_option
def backup(target, store_path):
    """Copy the store to TARGET (a new folder), consistently, while it stays usable."""
    with open_store(store_path, read_only=True) as store:
        store.backup(target)
        total = len(store)
    click.echo(f"backed up {store_path} ({total} quads) to {target}")


@cli.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@store_option
def restore(source, store_path):
    """Replace the store with the backup in SOURCE.

    The old store is kept, never deleted: as STORE.before-restore, or STORE.before-restore-2,
    -3 … when that name is taken. Remove it yourself once the restored store is checked.
    """
    from .store import restore as restore_store

    _, kept = restore_store(source, store_path)
    with open_store(store_path, read_only=True) as store:
        total = len(store)
    click.echo(f"restored {store_path} ({total} quads) from {source}")
    if kept is not None:
        click.echo(f"the previous store is kept at {kept}")


@cli.command()
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
    from .serve import serve as serve_store

    serve_store(store_path, host, port, writable=writable, timeout=timeout,
                announce=lambda line: click.echo(line, err=True))


# ---------------------------------------------------------------- kg push (publish to another store)


@cli.command(name="push")
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
    from .export import resolve_graph
    from .push import password_from_env, push

    if password_env and not user:
        raise UsageError("--password-env needs --user")
    password = password_from_env(password_env)

    from .push import _graphs_to_push

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


# ---------------------------------------------------------------- end of kg push


# ---------------------------------------------------------------- kg viz (a picture of the graph)


@cli.command(name="viz")
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
    from .viz import write_picture

    with open_store(store_path) as store:
        path, picture = write_picture(store, output, fmt, entity=entity, document=document, depth=depth)
    click.echo(f"wrote {path} ({len(picture.nodes)} nodes, {len(picture.edges)} edges)")


# ---------------------------------------------------------------- end of kg viz


# ---------------------------------------------------------------- kg reconcile (our facts against Wikidata)


@cli.command(name="reconcile")
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
    from .reconcile import SparqlClient, format_report, reconcile

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


# ---------------------------------------------------------------- end of kg reconcile


# ---------------------------------------------------------------- cluster (kg extract-batch, kg load)


@cli.command(name="extract-batch")
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
    from .cluster import extract_batch

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


@cli.command(name="load")
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
    from .batch import complete_shards
    from .pipeline import load_shards

    if not complete_shards(directory):           # before a store is created for nothing
        raise CommandError(f"{shown_path(directory)}: no complete shards (part-*.nq with its .json); "
                           f"write them with `kg extract-batch PATHS… --out {shown_path(directory)}`")
    with open_store(store_path, create=True) as store:
        report = load_shards(store, directory, force=force, on_result=_print_result)
        links = _link_after(store, report) if link else None
        total = len(store)
    _print_summary(report, store_path, total, links)


# ---------------------------------------------------------------- end of cluster


if __name__ == "__main__":  # pragma: no cover
    cli()
