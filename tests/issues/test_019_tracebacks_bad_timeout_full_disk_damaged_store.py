"""Issue 8, item 9: tracebacks for ``--timeout inf``, a full disk and a damaged store.

``kg query --timeout 1e300|inf|nan`` raised OverflowError/ValueError; ``kg export > /dev/full``
ended in ``OSError: [Errno 28]``; any command on a damaged store printed ``RuntimeError:
Corruption…``. Each is now one ``Error:`` line: a bad timeout is a usage error (exit 2), a failed
write says so (exit 1), and a damaged store is named as damaged, with how to restore it.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.cli import cli


def make_store(path: Path) -> Path:
    store = Store(str(path))
    store.extend(Quad(NamedNode(f"https://example.org/thing/{i}"), NamedNode("https://example.org/name"),
                      Literal(f"thing number {i}"), NamedNode("https://w3id.org/newskg/graph/doc"))
                 for i in range(3000))
    store.flush()
    del store
    return path


def one_error(result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.mark.parametrize("value", ["1e300", "inf", "nan", "-inf"])
def test_a_timeout_that_is_not_a_usable_number_is_a_usage_error(runner, tmp_path, value):
    store = make_store(tmp_path / "store")
    result = runner.invoke(cli, ["query", "--timeout", value, "--sparql", "ASK {}", "--store", str(store)])
    error = one_error(result, 2)
    assert "timeout" in error, error


def test_export_to_a_full_disk_is_one_error_line(tmp_path):
    store = make_store(tmp_path / "store")
    with open("/dev/full", "w") as full:
        # cwd outside the repository: the child imports the same `kg` as this test.
        result = subprocess.run([sys.executable, "-m", "kg.cli", "export", "--format", "nquads", "--store", str(store)],
                                cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "Error: cannot write output: No space left on device"


def truncate_tables(store: Path) -> None:
    tables = list(store.glob("*.sst"))
    assert tables
    for table in tables:
        with open(table, "r+b") as handle:
            handle.truncate(table.stat().st_size // 2)


def flip_bytes(store: Path) -> None:
    table = max(store.glob("*.sst"), key=lambda p: p.stat().st_size)
    data = bytearray(table.read_bytes())
    for i in range(100, len(data) - 100, 7):
        data[i] ^= 0xFF
    table.write_bytes(data)


def check_damaged(runner, store: Path) -> None:
    for args in (["stats"], ["query", "--sparql", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"]):
        error = one_error(runner.invoke(cli, [*args, "--store", str(store)]), 1)
        assert error.startswith(f"Error: store {store} is damaged ("), error
        assert f"kg restore BACKUP --store {store}" in error, error


def test_a_store_with_truncated_files_is_named_damaged(runner, tmp_path):
    store = make_store(tmp_path / "store")
    truncate_tables(store)
    check_damaged(runner, store)


def test_a_store_with_corrupted_blocks_is_named_damaged(runner, tmp_path):
    store = make_store(tmp_path / "store")
    flip_bytes(store)
    check_damaged(runner, store)
