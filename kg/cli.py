"""The ``kg`` command line: each command parses, calls the library, formats the result.

The commands live in kg/commands/, one module per kind of work. The group imports a command's
module only when that command runs or shows its help (click's lazy loading of subcommands), so
`kg query` does not pay for the imports of `kg ingest`; `kg --help` lists the commands from
:data:`COMMANDS` without importing any of them.

Exit codes: 0 ok, 1 data problem (bad input file, non-conforming graph, failed query),
2 usage problem (unknown option, command, query name or format). Every library error
(:class:`kg.errors.KGError`) becomes one ``Error: …`` line on stderr, never a traceback.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import click

from . import __version__
from .errors import KGError

# name → (module in kg.commands, attribute, short help: the first line of the command's help;
# tests/test_cli_lazy.py checks that both still match the command)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "backup": ("store", "backup", "Copy the store to TARGET (a new folder), consistently, while it stays usable."),
    "build": ("ingest", "build", "Build the store: ingest, link, validate, summarise."),
    "explain": ("query", "explain", "Show an entity's facts with their sources."),
    "export": ("export", "export_command", "Write the store as Turtle, TriG, N-Quads or JSON-LD."),
    "extract": ("ingest", "extract", "Print the knowledge graph of one document."),
    "extract-batch": ("cluster", "extract_batch_command",
                      "Extract documents on a Dask cluster into N-Quads shards (`kg load DIR` stores them)."),
    "ingest": ("ingest", "ingest", "Add or replace documents in the store."),
    "link": ("link", "link", "Link entities to Wikidata items (owl:sameAs)."),
    "load": ("cluster", "load_command", "Store the shards written by `kg extract-batch`, as `kg ingest` would."),
    "push": ("push", "push_command", "Send the store to a SPARQL 1.1 Graph Store endpoint, graph by graph."),
    "queries": ("query", "list_queries", "List the saved queries and their parameters."),
    "query": ("query", "query", "Run a saved query, a .rq file or --sparql TEXT."),
    "reconcile": ("reconcile", "reconcile_command", "Check our facts about linked entities against Wikidata."),
    "restore": ("store", "restore", "Replace the store with the backup in SOURCE."),
    "serve": ("serve", "serve", "Serve the store over HTTP (SPARQL endpoint, query page, entity pages)."),
    "stats": ("export", "stats", "Count what the store holds."),
    "validate": ("store", "validate", "Check the store against the SHACL shapes."),
    "viz": ("viz", "viz_command", "Draw the graph: an interactive HTML page, or an SVG for reports."),
}


class LazyCommands(MutableMapping):
    """Command name → click command, importing the command's module the first time it is asked for.

    It is the group's ``commands``: click's ``Group.get_command`` and ``list_commands`` read it, so a
    command is imported when it is resolved, and listing the names imports nothing.
    """

    def __init__(self, table: dict[str, tuple[str, str, str]]):
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module, attribute, _ = self.table[name]           # KeyError: no such command
            self.loaded[name] = getattr(importlib.import_module(f"kg.commands.{module}"), attribute)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        found = self.loaded.pop(name, None) is not None
        if self.table.pop(name, None) is None and not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.table.keys() | self.loaded.keys()))

    def __len__(self) -> int:
        return len(self.table.keys() | self.loaded.keys())

    def short_help(self, name: str, limit: int) -> str:
        """A command's line in the group's help, as click makes it, without importing an unloaded command."""
        if name in self.loaded or name not in self.table:
            return self[name].get_short_help_str(limit)
        from click.utils import make_default_short_help

        return make_default_short_help(self.table[name][2], limit).strip()


class KGGroup(click.Group):
    """Loads its commands lazily; turns every KGError raised by a command into a CommandError, and so do failed writes.

    A full disk or a closed pipe while writing output, and a store that turns out to be damaged
    while it is read, also end as one ``Error:`` line (a reader reaching the end of a pipe early,
    ``kg query … | head``, ends quietly).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(dict(COMMANDS))

    def format_commands(self, ctx, formatter):
        """The commands with their short help, as click writes them (no command is hidden)."""
        names = self.list_commands(ctx)
        if names:
            limit = formatter.width - 6 - max(map(len, names))
            with formatter.section("Commands"):
                formatter.write_dl([(name, self.commands.short_help(name, limit)) for name in names])

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            from .commands.common import CommandError, one_line

            raise CommandError(one_line(str(exc)), exc.exit_code) from None
        except BrokenPipeError:
            from .commands.common import _quiet_stdout

            _quiet_stdout()
            raise click.exceptions.Exit(1) from None
        except OSError as exc:
            from .commands.common import CommandError, one_line

            raise CommandError(one_line(f"cannot write output: {exc.strerror or exc}")) from None
        except RuntimeError as exc:
            if "corrupt" not in str(exc).lower():
                raise
            from .commands.common import CommandError, one_line
            from .store import DEFAULT_STORE, damaged

            store = ctx.meta.get("kg.store_path", DEFAULT_STORE)
            raise CommandError(one_line(str(damaged(Path(store), str(exc))))) from None


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="kg")
def cli():
    """newskg: turn news articles into an RDF knowledge graph, stored in Oxigraph.

    Build a store from the bundled articles with `kg build`, add your own with `kg ingest`,
    ask questions with `kg query`, and export with `kg export`. The store is .kg/store
    unless --store or KG_STORE say otherwise.
    """


if __name__ == "__main__":  # pragma: no cover
    cli()
