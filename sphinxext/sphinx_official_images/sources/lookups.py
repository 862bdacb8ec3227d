"""Every path one page looked at, whether it was there or not.

A page depends on more than the files it read: ``update.sh`` probes
``IMAGE/get-help.md`` before the shared helper, ``variant-TAG.md`` before
``variant-SUFFIX.md``, ``logo.png`` before ``logo.svg``, ``deprecated.md``,
``compose.yaml``... When one of those appears, the page says something
else. So each lookup is recorded here, found or missing, and the build tool
(Sphinx, a test) turns the two lists into its own dependency tracking.

A :class:`Lookups` is made for one page and filled while the page is built;
it is kept even when building the page fails part-way (a missing
``content.md``), so that adding the missing file brings the page back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Lookups"]


@dataclass
class Lookups:
    """The files a page used (``found``) and the ones it looked for in vain (``missing``).

    Both keep the order of first lookup (dicts used as ordered sets); a path
    found once is never also missing. Missing paths are kept as strings: a
    page probes a hundred or more candidate files that are not there (variant
    files for each tag suffix), and what becomes of them (a dependency, a
    stamp) needs only the string.
    """

    found: dict[Path, None] = field(default_factory=dict)
    missing: dict[str, None] = field(default_factory=dict)
    _found_names: set[str] = field(default_factory=set, repr=False)

    def present(self, path: Path) -> None:
        """``path`` exists and was used."""
        name = os.fspath(path)
        self.missing.pop(name, None)
        self._found_names.add(name)
        self.found[path] = None

    def absent(self, path: str | os.PathLike[str]) -> None:
        """``path`` was looked for and is not there (or is not a regular file)."""
        name = os.fspath(path)
        if name not in self._found_names:
            self.missing[name] = None
