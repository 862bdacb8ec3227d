"""The GitHub Actions problem matcher shipped with the package, against real builds.

The bad-input sites of :mod:`test_bad_input` are built with ``sphinx-build``
(in this process, standard error captured: the stream a workflow log shows),
and every line the build writes goes through the matcher's regular
expressions as the Actions runner applies them: each of the extension's
warnings must be matched once, with the file, line, severity, message and
code that the case expects; nothing else Sphinx prints may be matched.

The runner's regular expressions are .NET's; the matcher uses only syntax
that means the same in Python's :mod:`re` (groups, classes, lazy ``+?``,
``\\x1b``, ``\\d``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.cmd.build import build_main
from test_bad_input import CASES, TITLE, Case

from _sites import make_site
from sphinx_official_images.cli.main import main
from sphinx_official_images.cli.matcher import matcher_path

MATCHER = json.loads(matcher_path().read_text(encoding="utf-8"))  # type: ignore[union-attr]


@dataclass(frozen=True)
class Annotation:
    owner: str
    file: str | None
    line: str | None
    severity: str
    message: str
    code: str


def _annotation(matcher: dict[str, Any], match: re.Match[str]) -> Annotation:
    (pattern,) = matcher["pattern"]

    def group(key: str) -> str | None:
        return match.group(pattern[key]) if key in pattern else None

    return Annotation(
        matcher["owner"],
        group("file"),
        group("line"),
        (group("severity") or matcher.get("severity", "error")).lower(),
        group("message") or "",
        group("code") or "",
    )


def annotations(output: str) -> list[Annotation]:
    """What the runner would annotate: every single-line pattern tried on every line."""
    found = []
    for text in output.splitlines():
        for matcher in MATCHER["problemMatcher"]:
            (pattern,) = matcher["pattern"]  # single-line matchers only
            match = re.search(pattern["regexp"], text)
            if match is not None:
                found.append(_annotation(matcher, match))
    return found


# "LOCATION: LEVEL: MESSAGE [TYPE]" with LOCATION "FILE:LINE" (the cases' expected form)
_EXPECTED = re.compile(r"^(.+):(\d+): (WARNING|ERROR): (.*) \[(official_images\.[\w.-]+)\]$")


def _one_case_per_subtype() -> list[Case]:
    chosen: dict[str, Case] = {}
    for case in CASES:
        for line in case.expected:
            match = _EXPECTED.match(line)
            if match and match.group(5) not in chosen:
                chosen[match.group(5)] = case
    return list(chosen.values())


SAMPLE = _one_case_per_subtype()


def _site(case: Case, root: Path) -> tuple[Path, list[str]]:
    src = make_site(
        root,
        {"bad.rst": TITLE + case.page},
        library=case.library,
        docs=case.docs,
        facts=case.facts,
        conf=case.conf,
    )
    if case.setup is not None:
        case.setup(root)
    return src, [line.format(src=src, root=root) for line in case.expected]


def _wanted(expected: list[str]) -> list[Annotation]:
    wanted = []
    for line in expected:
        match = _EXPECTED.match(line)
        if match is None:  # docutils' own (several lines, no [official_images.*])
            assert "[official_images." not in line
            continue
        file, number, level, message, code = match.groups()
        wanted.append(
            Annotation("sphinx-official-images", file, number, level.lower(), message, code)
        )
    return wanted


def test_the_sample_covers_several_subtypes() -> None:
    assert len(SAMPLE) >= 4


@pytest.mark.parametrize("case", SAMPLE, ids=[case.id for case in SAMPLE])
def test_the_matcher_annotates_each_warning_of_a_real_build(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path.resolve()
    src, expected = _site(case, root)
    argv = ["-b", "html", "-E", "-N", "-W", "--keep-going", str(src), str(root / "out")]
    assert build_main(argv) != 0
    assert annotations(capsys.readouterr().err) == _wanted(expected)


@pytest.mark.parametrize("case", SAMPLE[:2], ids=[case.id for case in SAMPLE[:2]])
def test_coloured_output_is_matched_too(case: Case, tmp_path: Path) -> None:
    """``sphinx-build --color`` (or ``FORCE_COLOR`` in CI) wraps each message in
    ANSI escapes; run in a child process, as colour is Sphinx-global state."""
    root = tmp_path.resolve()
    src, expected = _site(case, root)
    argv = ["-b", "html", "-E", "--color", "-W", "--keep-going", str(src), str(root / "out")]
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *argv], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "\x1b[" in result.stderr
    assert annotations(result.stderr) == _wanted(expected)


def test_unlocated_warnings_and_other_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warning without a location is annotated on the run; Sphinx's own warnings
    (no ``[official_images.*]``) and its progress lines are left alone."""
    root = tmp_path.resolve()
    page = TITLE + ".. image-tags:: widget\n\n`unclosed\n\n.. no-such-directive::\n"
    src = make_site(root, {"bad.rst": page}, conf="official_images_generate = 42\n")
    assert build_main(["-b", "html", "-E", "-N", str(src), str(root / "out")]) == 0
    output = capsys.readouterr().err
    assert "WARNING: Inline interpreted text" in output  # a docutils warning...
    assert 'Unknown directive type "no-such-directive"' in output
    found = annotations(output)
    assert all(a.code.startswith("official_images.") for a in found)  # ...is not matched
    unlocated = [a for a in found if a.file is None]
    assert unlocated, output
    assert {a.owner for a in unlocated} == {"sphinx-official-images-unlocated"}
    assert all(a.line is None for a in unlocated)


def test_a_windows_path_keeps_its_drive() -> None:
    line = r"C:\site\bad.rst:4: ERROR: image-tags: unknown image 'x' [official_images.image]"
    assert annotations(line) == [
        Annotation(
            "sphinx-official-images",
            r"C:\site\bad.rst",
            "4",
            "error",
            "image-tags: unknown image 'x'",
            "official_images.image",
        )
    ]


def test_the_command_prints_the_matcher(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["problem-matcher"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.is_absolute() and path == matcher_path()
    assert main(["problem-matcher", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == MATCHER
    owners = [matcher["owner"] for matcher in MATCHER["problemMatcher"]]
    assert len(set(owners)) == len(owners)
