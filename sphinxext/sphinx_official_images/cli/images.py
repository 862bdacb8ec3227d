"""Which image names a command accepts, and what it says about the others.

A name that is neither a manifest of the library folder nor a folder of the
docs folder is a typo until proven otherwise: every command (``check``,
``readme``, ``update``, ``facts``) refuses it with the same message and the
closest known names (:mod:`difflib`), and exits 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["unknown_image"]

_SHOWN = 12


def unknown_image(name: str, known: Iterable[str], where: str = "") -> str:
    """``unknown image 'pyhton' (did you mean 'python'?)``, or the known names."""
    names = sorted(set(known))
    close = difflib.get_close_matches(name, names, n=3)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    elif names:
        hint = "known: " + ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")
    else:
        hint = f"no images in {where}" if where else "no images known"
    return f"unknown image {name!r} ({hint})"
