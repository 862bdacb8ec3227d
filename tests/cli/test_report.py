"""The problem formatters of ``check`` (:mod:`sphinx_official_images.cli.report`).

Warnings are built here directly, with the attributes a manifest warning has
(path, line, code, message, severity), so the formats are tested for both
severities whatever the parser reports today.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_official_images.cli import report
from sphinx_official_images.cli.report import Problem
from sphinx_official_images.model.errors import DocsError, ManifestError


@dataclass(frozen=True)
class ManifestWarning:
    """Shaped like ``Manifest.warnings`` items."""

    path: str
    line: int
    code: str
    message: str
    severity: str = "warning"


ERROR = report.from_error(ManifestError('duplicate tag "x"', "library/foo", 7))
WARNING = report.from_warning(
    ManifestWarning("library/foo", 3, "unknown-field", 'unknown field "Tagz"')
)


def unescape(text: str) -> str:
    """What the Actions runner does to an escaped value (the inverse of both escapes)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command split the way the runner splits it: ``::NAME PROPS::DATA``,
    PROPS separated by ``,``, each ``KEY=VALUE`` at its first ``=``."""
    assert line.startswith("::"), line
    head, sep, data = line[2:].partition("::")
    assert sep, line
    name, _, props = head.partition(" ")
    properties = {}
    for prop in props.split(","):
        key, eq, value = prop.partition("=")
        assert eq, prop
        properties[key] = unescape(value)
    return name, properties, unescape(data)


def test_problems_from_errors_and_warnings() -> None:
    assert Problem("library/foo", 7, "error", "invalid-manifest", 'duplicate tag "x"') == ERROR
    assert Problem("library/foo", 3, "warning", "unknown-field", 'unknown field "Tagz"') == WARNING
    assert report.from_error(DocsError("bad facts", "facts/x.json")).code == "invalid-input"
    assert report.from_error(ManifestError("m"), code="custom").code == "custom"
    strict_warning = ManifestWarning("p", 1, "c", "m", severity="error")
    assert report.from_warning(strict_warning).severity == "error"


def test_github_one_error_one_warning() -> None:
    lines = report.format_github([ERROR, WARNING])
    assert lines == [
        "::error file=library/foo,line=7,title=sphinx-official-images%3A invalid-manifest"
        '::duplicate tag "x"',
        "::warning file=library/foo,line=3,title=sphinx-official-images%3A unknown-field"
        '::unknown field "Tagz"',
    ]
    assert [parse_command(line)[:2] for line in lines] == [
        (
            "error",
            {
                "file": "library/foo",
                "line": "7",
                "title": "sphinx-official-images: invalid-manifest",
            },
        ),
        (
            "warning",
            {"file": "library/foo", "line": "3", "title": "sphinx-official-images: unknown-field"},
        ),
    ]


def test_github_escapes_percent_newlines_and_colons() -> None:
    problem = Problem("lib/a:b,c%d", 12, "error", "x", "100% wrong:\nsee line 2\r\nand a, b: c")
    (line,) = report.format_github([problem])
    assert line == (
        "::error file=lib/a%3Ab%2Cc%25d,line=12,title=sphinx-official-images%3A x"
        "::100%25 wrong:%0Asee line 2%0D%0Aand a, b: c"
    )
    name, props, data = parse_command(line)
    assert (name, props["file"], props["line"], data) == (
        "error",
        problem.path,
        "12",
        problem.message,
    )


def test_github_without_location() -> None:
    assert report.format_github([Problem(None, None, "error", "refused-name", "x: refused")]) == [
        "::error title=sphinx-official-images%3A refused-name::x: refused"
    ]
    assert report.format_github([Problem("lib/x", None, "error", "no-such-manifest", "m")]) == [
        "::error file=lib/x,title=sphinx-official-images%3A no-such-manifest::m"
    ]


@given(st.text(), st.text())
def test_github_escaping_round_trips(path: str, message: str) -> None:
    (line,) = report.format_github([Problem(path, 1, "warning", "c", message)])
    assert "\n" not in line and "\r" not in line
    name, props, data = parse_command(line)
    assert (name, props["file"], data) == ("warning", path, message)


def test_escape_functions() -> None:
    assert report.escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert report.escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert report.escape_property("%3A") == "%253A"  # % first, so escapes are not re-read


def test_text_format() -> None:
    assert report.format_text([ERROR, WARNING]) == [
        'library/foo:7: error: duplicate tag "x"',
        'library/foo:3: warning: unknown field "Tagz"',
    ]
    assert report.format_text([Problem(None, None, "error", "c", "x: refused")]) == [
        "error: x: refused"
    ]
    assert report.format_text([Problem("p", None, "error", "c", "no such manifest")]) == [
        "p: error: no such manifest"
    ]


def test_json_format() -> None:
    (text,) = report.format_json([ERROR, WARNING, Problem(None, None, "error", "c", "é\n")])
    assert json.loads(text) == [
        {
            "path": "library/foo",
            "line": 7,
            "severity": "error",
            "code": "invalid-manifest",
            "message": 'duplicate tag "x"',
        },
        {
            "path": "library/foo",
            "line": 3,
            "severity": "warning",
            "code": "unknown-field",
            "message": 'unknown field "Tagz"',
        },
        {"path": None, "line": None, "severity": "error", "code": "c", "message": "é\n"},
    ]
    assert json.loads(report.format_json([])[0]) == []


@pytest.mark.parametrize(
    ("problems", "strict", "status"),
    [
        ([], False, 0),
        ([], True, 0),
        ([WARNING], False, 0),
        ([WARNING], True, 1),
        ([ERROR], False, 1),
        ([ERROR, WARNING], True, 1),
    ],
)
def test_exit_status(problems: list[Problem], strict: bool, status: int) -> None:
    assert report.exit_status(problems, strict) == status


@pytest.mark.parametrize("fmt", sorted(report.FORMATS))
def test_emit_puts_the_summary_where_it_does_not_break_the_format(fmt: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert report.emit([ERROR, WARNING], fmt, 2, out=out, err=err) == 1
    summary = "2 manifests, 1 errors, 1 warnings\n"
    if fmt == "json":
        assert len(json.loads(out.getvalue())) == 2
        assert err.getvalue() == summary
    else:
        assert out.getvalue().endswith(summary)
        assert out.getvalue().count("\n") == 3
        assert err.getvalue() == ""


def test_summary_always_counts_warnings() -> None:
    assert report.summary([ERROR], 3) == "3 manifests, 1 errors, 0 warnings"
    assert report.summary([], 0) == "0 manifests, 0 errors, 0 warnings"
