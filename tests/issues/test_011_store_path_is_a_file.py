"""Issue 11: ``KGStore(path)`` on a path that is a file raised FileExistsError.

The CLI's ``--store`` option catches this case, but library callers got an OSError with a
traceback instead of a StoreError naming the path.
"""

import pytest

from kg.cli import cli
from kg.errors import StoreError
from kg.store import KGStore


def test_store_path_that_is_a_file(tmp_path):
    path = tmp_path / "store"
    path.write_text("not a store")
    with pytest.raises(StoreError, match=r"^cannot create store .*store: File exists$"):
        KGStore(path)


def test_the_cli_says_so_as_a_usage_error(runner, tmp_path):
    path = tmp_path / "store"
    path.write_text("not a store")
    result = runner.invoke(cli, ["stats", "--store", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Directory '{path}' is a file." in result.stderr
