"""Writing output files so that only real changes touch them.

A README or a generated page is rewritten only when its bytes change, and
always through a temporary file and a rename, so a reader (Sphinx, make, git,
a web server) never sees half a file and an unchanged file keeps its mtime.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

__all__ = ["write_if_changed"]


def write_if_changed(path: Path, text: str) -> Literal["created", "updated", "unchanged"]:
    """Write ``text`` (UTF-8, no newline translation) unless the file already holds it."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return "unchanged"
        existed = True
    except FileNotFoundError:
        existed = False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return "updated" if existed else "created"
