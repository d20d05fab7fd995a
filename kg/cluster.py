"""Extraction on a Dask cluster (the optional extra ``newskg[cluster]``): one shard per partition.

The driver lists the source files and cuts them into partitions with deterministic names
(:func:`kg.batch.partitions`); each partition is one Dask task that reads its files on a
worker, extracts them and writes its shard (:func:`kg.batch.extract_shard`), so the files
and ``--out`` must be on a filesystem that the workers share with the driver (one machine,
NFS, a mounted bucket). A re-run skips the shards that are complete and whose files did not
change: after a worker or the driver died, running the same command again does only what is
missing. A folder holding shards of another list of files is refused (`kg load` would load them). ``kg load DIR``
then writes the shards into the store (:func:`kg.pipeline.load_shards`).

Without ``scheduler``, a ``LocalCluster`` of worker processes (one thread each) is started
for the run; with it (``tcp://HOST:8786``), the work goes to that cluster, whose workers need
newskg and its spaCy model installed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .batch import SHARD_PREFIX, extract_shard, partitions, shard_done
from .documents import find_sources
from .errors import DocumentError, KGError

PARTITION_SIZE = 64


@dataclass
class BatchReport:
    shards: int = 0
    written: int = 0
    skipped: int = 0                                   # complete before this run
    documents: int = 0                                 # in the shards written or skipped
    failed: list[dict] = field(default_factory=list)   # documents that failed: {"path", "message"}
    errors: list[str] = field(default_factory=list)    # shards whose task failed (left for a re-run)


def _dask():
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise KGError("kg extract-batch needs Dask distributed: pip install 'newskg[cluster]'") from None
    return Client, LocalCluster, as_completed


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def connect(scheduler: str | None, workers: int | None = None, timeout: float = 10):
    """A Dask client: to ``scheduler``, or to a new LocalCluster of ``workers`` processes."""
    client_class, local_cluster, _ = _dask()
    if scheduler is None:
        cluster = local_cluster(n_workers=workers or _cores(), threads_per_worker=1, processes=True,
                                dashboard_address=None, silence_logs=logging.CRITICAL)
        return client_class(cluster), cluster
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        return client_class(scheduler, timeout=timeout), None
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise KGError(f"cannot reach the Dask scheduler at {scheduler} ({detail}); is it running "
                      f"(`dask scheduler`), and is the address tcp://HOST:PORT?") from None


def extract_batch(paths: Iterable[str | Path], out_dir: str | Path, *, scheduler: str | None = None,
                  workers: int | None = None, partition_size: int = PARTITION_SIZE, overrides: dict | None = None,
                  model: str | None = None, validate: bool = True, timeout: float = 10,
                  on_shard: Callable[[dict], object] | None = None) -> BatchReport:
    """Extract every source under ``paths`` into shards in ``out_dir``, on a Dask cluster."""
    paths = list(paths)
    sources = find_sources(paths)
    if not sources:
        raise DocumentError(f"no source files (.txt, .md, .html) under {', '.join(map(str, paths))}")
    out_dir = Path(out_dir).resolve()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KGError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
    parts = partitions(sources, partition_size)
    _check_foreign(out_dir, {name for name, _ in parts})
    report = BatchReport(shards=len(parts))
    shown = on_shard or (lambda summary: None)
    todo = []
    for name, files in parts:
        if shard_done(out_dir, name, files):
            summary = extract_shard(name, files, str(out_dir))      # reads the manifest only
            _count(report, summary)
            shown(summary)
        else:
            todo.append((name, files))
    if not todo:
        return report
    client, cluster = connect(scheduler, workers, timeout)
    try:
        _run(client, todo, out_dir, report, shown, overrides=overrides, model=model, validate=validate)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return report


def _check_foreign(out_dir: Path, names: set[str]) -> None:
    """Refuse a folder holding shards of another list of files: `kg load` would load them too."""
    foreign = sorted(p.stem for p in out_dir.glob(f"{SHARD_PREFIX}*.json") if p.stem not in names)
    if foreign:
        raise KGError(f"{out_dir} holds {len(foreign)} shards of another list of files ({foreign[0]}.json …), "
                      f"which `kg load` would load too; give a new --out, or delete them")


def _run(client, todo, out_dir: Path, report: BatchReport, shown, **options) -> None:
    _, _, as_completed = _dask()
    futures = {client.submit(extract_shard, name, files, str(out_dir), pure=False, **options): name
               for name, files in todo}
    for future in as_completed(futures):
        name = futures[future]
        try:
            summary = future.result()
        except KGError:
            raise           # the same for every document (a missing model): stop
        except Exception as exc:  # noqa: BLE001 - a lost worker, a full disk: this shard only
            detail = " ".join(str(exc).split())[:200] or type(exc).__name__
            report.errors.append(f"shard {name} was not written ({type(exc).__name__}: {detail})")
            continue
        _count(report, summary)
        shown(summary)


def _count(report: BatchReport, summary: dict) -> None:
    report.written += not summary["skipped"]
    report.skipped += summary["skipped"]
    report.documents += summary["documents"]
    report.failed.extend(summary["failed"])
