"""py3langid's model, unpacked once into a cache folder and then mapped, not loaded.

py3langid keeps its model compressed inside the wheel and unpacks all of it into memory
on load: about 75 MB, most of it a state machine over bytes (42 MB) and a table of
n-gram weights (28 MB), of which one message touches a few pages. Unpacked once into
plain files and mapped read-only, only the pages messages touch become resident, and
the operating system shares them between processes.

Nothing here changes a score: the same arrays are read, from a file instead of the heap.
"""

from __future__ import annotations

import logging
import mmap
import os
import shutil
import zipfile
from array import array
from pathlib import Path
from typing import Any, Literal

import numpy as np

log = logging.getLogger(__name__)

_STATES = "nextmove.bin"
_WEIGHTS = "ptc.npy"
_REST = "rest.npz"
_TYPECODES: dict[str, Literal["H", "I", "L"]] = {"H": "H", "I": "I", "L": "L"}
"""The item types py3langid stores its state machine in."""


def mapped_identifier(cache: Path, factory: Any, version: str) -> Any | None:
    """The identifier read from ``cache`` (unpacked by :func:`unpack`), or None.

    Args:
        cache: The cache folder (``paths.cache`` in config.yaml).
        factory: py3langid's ``LanguageIdentifier`` class.
        version: py3langid's version: another version's files are never read.
    """
    folder = _folder(cache, version)
    try:
        with np.load(folder / _REST, allow_pickle=False) as rest:
            pc, classes = rest["pc"], [str(c) for c in rest["classes"]]
            typecode = _TYPECODES[str(rest["typecode"])]
            row = array("I", rest["row"].astype(np.uint32).tobytes())
            output = array("i", rest["output"].astype(np.int32).tobytes())
        weights = np.load(folder / _WEIGHTS, mmap_mode="r", allow_pickle=False)
        with (folder / _STATES).open("rb") as handle:
            states = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("language model cache %s unreadable (%s); unpacking anew", folder, exc)
        return None
    return factory(weights, pc, classes, memoryview(states).cast(typecode), output, tk_row=row)


def unpack(identifier: Any, cache: Path, version: str) -> None:
    """Write a loaded identifier's arrays to ``cache``; a failure only costs memory."""
    folder = _folder(cache, version)
    partial = folder.with_name(f"{folder.name}.{os.getpid()}.part")
    try:
        partial.mkdir(parents=True, exist_ok=True)
        (partial / _STATES).write_bytes(identifier.tk_nextmove.tobytes())
        np.save(partial / _WEIGHTS, np.ascontiguousarray(identifier.nb_ptc))
        np.savez(
            partial / _REST,
            pc=np.asarray(identifier.nb_pc),
            classes=np.array(identifier.nb_classes),
            typecode=np.array(identifier.tk_nextmove.typecode),
            row=np.asarray(identifier.tk_row, dtype=np.uint32),
            output=np.asarray(identifier.tk_output, dtype=np.int32),
        )
        partial.rename(folder)  # whole or not at all
    except OSError as exc:
        log.warning("language model not unpacked to %s: %s", folder, exc)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _folder(cache: Path, version: str) -> Path:
    return cache / f"langid-{version}"
