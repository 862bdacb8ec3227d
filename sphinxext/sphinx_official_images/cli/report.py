"""How ``check`` reports problems: one record, one formatter per output format.

``check`` collects every problem it finds into a list of :class:`Problem`
and hands it to :func:`emit` with the format the user asked for:

* ``text``: ``PATH:LINE: error: message`` per error, ``PATH:LINE: warning:
  message`` per warning, and a summary line, for people and CI logs;
* ``github``: GitHub Actions workflow commands (``::error file=...,line=...::``),
  so each problem is annotated on its line in the pull request;
* ``json``: a JSON array with one object per problem, for other tools (the
  summary goes to standard error so standard output stays parseable).

Problems come from two sources: a :class:`~..model.errors.OfficialImagesError`
(what bashbrew rejects: :func:`from_error`) and a manifest warning (what
bashbrew accepts but we question: :func:`from_warning`, which takes anything
with the attributes of :class:`WarningLike`).  The formatters know nothing of
either source.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal, Protocol, TextIO

from sphinx_official_images.model.errors import ManifestError, OfficialImagesError

__all__ = [
    "FORMATS",
    "Problem",
    "Severity",
    "WarningLike",
    "emit",
    "escape_data",
    "escape_property",
    "exit_status",
    "format_github",
    "format_json",
    "format_text",
    "from_error",
    "from_warning",
    "summary",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing ``check`` reports, located as precisely as it is known.

    ``path`` is None when the problem is not about a file (a refused image
    name); ``line`` is None when it is about a whole file (a missing one).
    ``code`` is a short stable name for the kind of problem, for tools that
    filter or count them.
    """

    path: str | None
    line: int | None
    severity: Severity
    code: str
    message: str

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path


class WarningLike(Protocol):
    """What a manifest warning carries (``Manifest.warnings`` items)."""

    @property
    def path(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def severity(self) -> str: ...


def _error_code(exc: OfficialImagesError) -> str:
    # A manifest error names its rule (model.rules); other input errors are
    # named by their family.
    if isinstance(exc, ManifestError):
        return exc.code or "invalid-manifest"
    return "invalid-input"


def from_error(exc: OfficialImagesError, code: str | None = None) -> Problem:
    """The problem an input error describes (an error: the input is rejected)."""
    return Problem(exc.path, exc.line, "error", code or _error_code(exc), exc.message)


def from_warning(warning: WarningLike) -> Problem:
    """The problem a manifest warning describes (severity as the warning says)."""
    severity: Severity = "error" if warning.severity == "error" else "warning"
    return Problem(warning.path, warning.line, severity, warning.code, warning.message)


# -- text ---------------------------------------------------------------------------


def _count(n: int, word: str) -> str:
    return f"{n} {word}s"  # "1 errors", as check has always said


def summary(problems: Sequence[Problem], checked: int) -> str:
    """``N manifests, E errors, W warnings``."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return (
        f"{_count(checked, 'manifest')}, {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    )


def format_text(problems: Sequence[Problem]) -> list[str]:
    """``PATH:LINE: error: message`` per error, ``PATH:LINE: warning: message`` per warning."""
    lines = []
    for problem in problems:
        label = f"{problem.severity}: "
        loc = problem.location
        lines.append(f"{loc}: {label}{problem.message}" if loc else f"{label}{problem.message}")
    return lines


# -- github -------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): data escaping
    plus ``:`` and ``,``, which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem]) -> list[str]:
    """One ``::error ...::`` or ``::warning ...::`` workflow command per problem."""
    lines = []
    for problem in problems:
        props: list[tuple[str, str]] = []
        if problem.path is not None:
            props.append(("file", problem.path))
            if problem.line is not None:
                props.append(("line", str(problem.line)))
        props.append(("title", f"sphinx-official-images: {problem.code}"))
        spec = ",".join(f"{key}={escape_property(value)}" for key, value in props)
        lines.append(f"::{problem.severity} {spec}::{escape_data(problem.message)}")
    return lines


# -- json ---------------------------------------------------------------------------


def format_json(problems: Sequence[Problem]) -> list[str]:
    """A JSON array, one object per problem (path, line, severity, code, message)."""
    return [json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)]


FORMATS: dict[str, Callable[[Sequence[Problem]], list[str]]] = {
    "text": format_text,
    "github": format_github,
    "json": format_json,
}


def exit_status(problems: Iterable[Problem], strict: bool = False) -> int:
    """1 when there is an error (or, with ``strict``, a warning), else 0."""
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(p.severity in failing for p in problems) else 0


def emit(
    problems: Sequence[Problem],
    fmt: str,
    checked: int,
    *,
    strict: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Write ``problems`` in format ``fmt`` with the summary line; returns the exit status.

    The summary goes to standard output in the ``text`` and ``github`` formats
    (a log line), to standard error in ``json`` (standard output is the document).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    for line in FORMATS[fmt](problems):
        print(line, file=out)
    print(summary(problems, checked), file=err if fmt == "json" else out)
    return exit_status(problems, strict)
