"""Reading a JSON input file (facts, meta's ``sources.json``) for the sources.

Every way such a file can be bad (unreadable, not UTF-8, not JSON, nested
deeper than Python's parser goes) is a :class:`DocsError` naming the file and,
where there is one, the line: bad input is a warning at its place, never a
traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx_official_images.model.errors import DocsError

__all__ = ["read_json"]


def read_json(path: Path, what: str) -> tuple[str, object]:
    """The text of the file at ``path`` and its JSON value; ``what`` names the file
    in messages (``facts file``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocsError(f"cannot read {what}: {exc.strerror or exc}", str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DocsError(f"{what} is not valid UTF-8", str(path), line) from None
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocsError(f"{what} is not valid JSON: {exc.msg}", str(path), exc.lineno) from None
    except RecursionError:
        raise DocsError(f"{what} is nested too deeply", str(path)) from None
