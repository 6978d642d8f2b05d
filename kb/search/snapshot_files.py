"""The base arrays of a snapshot as files beside the index, memory-mapped by every process.

A snapshot's base arrays (live documents, field lengths, the facet tables of indexed fields and
the date table) depend only on the index generation. The first process that needs them for a
generation (``kb serve`` before it forks its workers; after a commit or a reindex, the first
worker that sees it) reads them from the index and writes them to
``<build>/snapshot-<generation>/``; every process then maps them read-only with
``np.load(mmap_mode="r")``. Mapped pages belong to the page cache, so N serving
workers hold one copy between them instead of N, and a worker that starts or sees a new commit
does not re-decode them (docs/benchmarks.md, "Serving memory").

The folder is written under a temporary name and renamed into place, so a reader sees all of it or
none; a folder that cannot be written (read-only data) only costs the sharing.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PREFIX = "snapshot-"
KEEP = 2  # generations whose arrays stay on disk (a worker may still map the previous one)

Tables = dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]]


def folder_for(build: Path, generation: int) -> Path:
    return build / f"{PREFIX}{generation}"


def _mapped(path: Path) -> np.ndarray:
    """The array in ``path``, memory-mapped read-only, as a plain ndarray over the mapping:
    ``np.memmap``'s Python-level indexing and result wrapping cost a few microseconds on every
    operation, and a query does hundreds (facet counts, lengths, the live mask)."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def load(build: Path, generation: int) -> tuple[dict[str, np.ndarray], Tables] | None:
    """The arrays and facet tables of ``generation``, memory-mapped; None when not written."""
    folder = folder_for(build, generation)
    try:
        meta = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
        arrays = {name: _mapped(folder / f"{name}.npy") for name in meta["arrays"]}
        tables: Tables = {}
        for name, values in meta["tables"].items():
            docs = _mapped(folder / f"t-{name}-doc.npy")
            vals = _mapped(folder / f"t-{name}-val.npy")
            tables[name] = (tuple(values), docs, vals)
    except (OSError, ValueError, KeyError) as err:
        if not isinstance(err, FileNotFoundError):
            log.warning("snapshot arrays in %s unreadable (%s); reading the index", folder, err)
        return None
    return arrays, tables


def save(build: Path, generation: int, arrays: dict[str, np.ndarray], tables: Tables) -> None:
    """Write the arrays of ``generation`` (atomically) and drop those of older generations."""
    final = folder_for(build, generation)
    if final.exists():
        return
    tmp = build / f".{PREFIX}{generation}.{os.getpid()}"
    try:
        tmp.mkdir()
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        for name, (_values, docs, vals) in tables.items():
            np.save(tmp / f"t-{name}-doc.npy", np.ascontiguousarray(docs), allow_pickle=False)
            np.save(tmp / f"t-{name}-val.npy", np.ascontiguousarray(vals), allow_pickle=False)
        meta = {"arrays": sorted(arrays), "tables": {k: list(v[0]) for k, v in tables.items()}}
        (tmp / "tables.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.rename(tmp, final)
    except OSError as err:  # read-only data, a full disk, or another process was first
        shutil.rmtree(tmp, ignore_errors=True)
        if not final.exists():
            log.warning("could not write snapshot arrays to %s: %s", final, err)
        return
    _remove_old(build, generation)


def _remove_old(build: Path, generation: int) -> None:
    found = []
    for path in build.glob(f"{PREFIX}*"):
        suffix = path.name[len(PREFIX) :]
        if suffix.isdigit():
            found.append((int(suffix), path))
    for gen, path in sorted(found)[:-KEEP]:
        if gen < generation:
            # Processes that still map these files keep their pages until they unmap them.
            shutil.rmtree(path, ignore_errors=True)
