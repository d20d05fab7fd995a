"""The `kg` group loads a command's module only when that command is used (kg.cli.COMMANDS).

What each command does is tested in test_cli.py; here: the table of commands is complete and true
(module, attribute, the short help `kg --help` shows), and a reading command imports no other
command's module nor what only writing needs.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

import kg.commands
from kg.cli import COMMANDS, cli

REPO = Path(__file__).resolve().parent.parent


def every_command() -> dict[str, click.Command]:
    """Name → command for every click command defined in a kg.commands module (imported here)."""
    found = {}
    for module in pkgutil.iter_modules(kg.commands.__path__):
        namespace = importlib.import_module(f"kg.commands.{module.name}")
        for value in vars(namespace).values():
            if isinstance(value, click.Command) and value.callback.__module__ == namespace.__name__:
                found[value.name] = value
    return found


def test_the_table_names_every_command_where_it_is():
    commands = every_command()
    assert sorted(COMMANDS) == sorted(commands)
    for name, (module, attribute, _) in COMMANDS.items():
        assert getattr(importlib.import_module(f"kg.commands.{module}"), attribute) is commands[name]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_stored_short_help_is_the_first_line_of_the_help(name):
    command = cli.commands[name]
    assert COMMANDS[name][2] == command.help.split("\n\n")[0].strip()
    for limit in (20, 45, 60, 67, 200):
        assert cli.commands.short_help(name, limit) == command.get_short_help_str(limit)


def test_top_level_help_is_what_click_writes_with_every_command_loaded(runner):
    eager = click.Group(name="cli", help=cli.help, params=cli.params,
                        context_settings={"help_option_names": ["-h", "--help"]},
                        commands={name: cli.commands[name] for name in COMMANDS})
    assert runner.invoke(cli, ["--help"]).output == runner.invoke(eager, ["--help"]).output


def modules_after(*args: str, cwd: Path = REPO) -> set[str]:
    """The kg.* and heavy third-party modules a fresh `kg ARGS…` process has imported when it ends."""
    code = ("import atexit, json, sys\n"
            "atexit.register(lambda: sys.__stderr__.write('MODULES ' + json.dumps(sorted(sys.modules)) + '\\n'))\n"
            "from kg.cli import cli\n"
            f"cli({list(args)!r})\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    names = set(json.loads(line.removeprefix("MODULES ")))
    return {name for name in names if name.startswith("kg") or name.split(".")[0] in HEAVY}


HEAVY = {"rdflib", "spacy", "pyshacl", "tqdm", "dask", "csv", "urllib3", "http", "dataclasses"}


def test_help_imports_no_command():
    assert not {m for m in modules_after("--help") if m.startswith("kg.commands.")}


def test_a_query_imports_the_query_command_and_what_it_reads(tmp_path):
    from kg.store import KGStore

    KGStore(tmp_path / "store").close()
    loaded = modules_after("query", "posts", "--store", str(tmp_path / "store"))
    assert {m for m in loaded if m.startswith("kg.commands.")} == {"kg.commands.common", "kg.commands.query"}
    assert not loaded & HEAVY, loaded & HEAVY
    assert not loaded & {"kg.pipeline", "kg.export", "kg.validate", "kg.link", "kg.graph", "kg.documents"}
