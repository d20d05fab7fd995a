"""Issue 10: ``kg backup`` into a folder inside the store, or under missing folders, went wrong.

A target inside the store directory made RocksDB checkpoint the store into itself; a target
whose parent folders did not exist failed with RocksDB's "While mkdir …" message. The first is
refused with a clear error, the second creates the parents.
"""

from kg.cli import cli
from kg.store import KGStore


def test_backup_inside_the_store_is_refused(runner, small_store_path):
    target = small_store_path / "backup"
    result = runner.invoke(cli, ["backup", str(target), "--store", str(small_store_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == f"Error: backup target {target} is inside the store {small_store_path}; choose another folder\n"
    assert not target.exists()


def test_backup_creates_missing_parent_folders(runner, small_store_path, tmp_path):
    target = tmp_path / "backups" / "2024" / "monday"
    result = runner.invoke(cli, ["backup", str(target), "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    with KGStore(target, create=False) as copy, KGStore(small_store_path, create=False) as original:
        assert set(copy.store) == set(original.store)
