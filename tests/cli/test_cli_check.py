"""``sphinx-official-images check``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_official_images.cli.main import build_parser, main

C1 = "1" * 40
C2 = "2" * 40
G = "Maintainers: Jane Doe (@jane)\nGitRepo: https://example.com/a.git\n"
GOOD = G + f"\nTags: 1.0, latest\nGitCommit: {C1}\n"

# image name -> (manifest, line of the error, a fragment of bashbrew's message)
BAD: dict[str, tuple[str | bytes, int, str]] = {
    "no-colon": (G + "\nTags 1.0\n", 4, "Bad line: 'Tags 1.0' has no ':'"),
    "empty": ("# nothing here\n", 1, "EOF"),
    "no-maintainers": ("GitRepo: x\n", 1, "missing Maintainers"),
    "bad-maintainer": ("Maintainers: jane\n", 1, "invalid Maintainers"),
    "global-tags": (G + "Tags: latest\n", 3, "global Tags not permitted"),
    "no-tags": (G + f"\nGitCommit: {C1}\n", 4, "missing Tags"),
    "no-commit": (
        G + "\nTags: 1.0\n",
        4,
        'invalid GitCommit (must be a commit, not a tag or ref): ""',
    ),
    "bad-fetch": (G + f"\nTags: 1\nGitCommit: {C1}\nGitFetch: main\n", 6, "invalid GitFetch"),
    "bad-commit": (G + "\nTags: 1\nGitCommit: v1\n", 5, "invalid GitCommit"),
    "short-commit": (G + "\nTags: 1\nGitCommit: deadbeef\n", 5, "invalid GitCommit"),
    "bad-arch": (G + f"\nTags: 1\nGitCommit: {C1}\nArchitectures: x86\n", 6, "Architectures"),
    "values-field": (G + "Values: x\n", 3, "Unknown type of field: map[string]string"),
    "bad-tag": (G + f"\nTags: 1, a:b\nGitCommit: {C1}\n", 4, 'has invalid (Shared)Tags: "a:b"'),
    "duplicate-tag": (
        G + f"\nTags: 1, x\nGitCommit: {C1}\n\nTags: 2, x\nGitCommit: {C2}\n",
        7,
        'includes duplicate tag: "x"',
    ),
    "shared-conflict": (
        G + f"\nTags: 1\nSharedTags: s\nGitCommit: {C1}\n\nTags: s\nGitCommit: {C2}\n",
        8,
        "conflicting with a shared tag",
    ),
}

# image name -> (manifest, line of the warning, a fragment of the message): bashbrew accepts these
WARNED: dict[str, tuple[str | bytes, int, str]] = {
    "bad-utf8": (
        G.encode() + f"\nTags: 1\nGitCommit: {C1}\nFile: caf\xe9\n".encode("latin-1"),
        6,
        "not UTF-8",
    ),
    "continuation": (G + "\n  orphan\n", 4, "continuation line with no field"),
    "duplicate-field": (G + f"\nTags: 1\nGitCommit: {C1}\nTags: 2\n", 6, "given twice"),
    "bad-arch-field": (G + f"\nTags: 1\nGitCommit: {C1}\nx86-File: F\n", 6, "unknown architecture"),
    "typo": (G + "Architecures: arm64v8\n", 3, 'did you mean "Architectures"'),
}


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.corpus
def test_check_corpus(corpus_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--library", str(corpus_library)]) == 0
    out = capsys.readouterr().out
    assert out == "144 manifests, 0 errors, 0 warnings\n"


@pytest.mark.corpus
def test_check_named_corpus_images(
    corpus_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--library", str(corpus_library), "python", "debian"]) == 0
    assert capsys.readouterr().out == "2 manifests, 0 errors, 0 warnings\n"


def test_check_reports_every_bad_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "good", GOOD)
    for name, (content, _line, _fragment) in BAD.items():
        write(tmp_path, name, content)
    write(tmp_path, ".hidden", "not a manifest")
    (tmp_path / "subdir").mkdir()

    assert main(["check", "--library", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"{len(BAD) + 1} manifests, {len(BAD)} errors, 0 warnings"
    reported = {line.split(":", 1)[0]: line for line in out[:-1]}
    assert set(reported) == {str(tmp_path / name) for name in BAD}
    for name, (_content, line, fragment) in BAD.items():
        report = reported[str(tmp_path / name)]
        assert report.startswith(f"{tmp_path / name}:{line}: error: "), report
        assert fragment in report, report


@pytest.mark.parametrize("name", sorted(BAD))
def test_check_one_bad_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    content, line, fragment = BAD[name]
    path = write(tmp_path, name, content)
    write(tmp_path, "good", GOOD)
    assert main(["check", "--library", str(tmp_path), name]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith(f"{path}:{line}: error: ")
    assert fragment in out[0]
    assert out[1] == "1 manifests, 1 errors, 0 warnings"


@pytest.mark.parametrize("name", sorted(WARNED))
def test_check_warns_and_exits_0_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    content, line, fragment = WARNED[name]
    path = write(tmp_path, name, content)
    assert main(["check", "--library", str(tmp_path), name]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith(f"{path}:{line}: warning: ")
    assert fragment in out[0]
    assert out[1] == "1 manifests, 0 errors, 1 warnings"
    assert main(["check", "--strict", "--library", str(tmp_path), name]) == 1
    assert capsys.readouterr().out.splitlines() == out


def test_check_shows_the_warnings_before_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "x", G + "Architecures: arm64v8\n\nTags: 1\nGitCommit: v1\n")
    assert main(["check", "--library", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{path}:3: warning: unknown field "Architecures", ignored by bashbrew'
        ' (did you mean "Architectures"?)',
        f'{path}:6: error: Tags "1" has invalid GitCommit (must be a commit, not a tag or ref):'
        ' "v1"',
        "1 manifests, 1 errors, 1 warnings",
    ]


def test_check_strict_with_no_warnings_is_0(tmp_path: Path) -> None:
    write(tmp_path, "good", GOOD)
    assert main(["check", "--strict", "--library", str(tmp_path)]) == 0


def test_check_all_good(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "good", GOOD)
    write(tmp_path, "also-good", GOOD)
    assert main(["check", "--library", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "2 manifests, 0 errors, 0 warnings\n"


def test_check_default_library_is_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "library").mkdir()
    write(tmp_path / "library", "good", GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "1 manifests, 0 errors, 0 warnings\n"


@pytest.mark.parametrize("name", ["../x", "a/b", "/etc/passwd", "..", ".hidden", "Upper"])
def test_check_refuses_names_that_are_not_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    write(tmp_path, "good", GOOD)
    assert main(["check", "--library", str(tmp_path), name, "good"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"error: {name}: refused: not a plain image name")
    assert out[-1] == "1 manifests, 1 errors, 0 warnings"


def test_check_unknown_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--library", str(tmp_path), "nope"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path / 'nope'}: error: unknown image 'nope' (no images in {tmp_path})",
        "0 manifests, 1 errors, 0 warnings",
    ]


def test_check_typo_suggests_the_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "python", GOOD)
    assert main(["check", "--library", str(tmp_path), "pyhton"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path / 'pyhton'}: error: unknown image 'pyhton' (did you mean 'python'?)",
        "0 manifests, 1 errors, 0 warnings",
    ]


def test_check_missing_library_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--library", str(tmp_path / "absent")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no such directory" in captured.err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["no-such-command"]) == 2
    assert main(["check", "--no-such-option"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "check" in capsys.readouterr().out


def test_parser_is_extensible() -> None:
    parser = build_parser()
    args = parser.parse_args(["check", "--library", "lib", "python"])
    assert args.command == "check"
    assert args.library == "lib"
    assert args.images == ["python"]
    assert callable(args.func)


def test_python_dash_m(tmp_path: Path) -> None:
    write(tmp_path, "bad", G + "\nTags 1\n")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_official_images", "check", "--library", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == (
        f"{tmp_path / 'bad'}:4: error: Bad line: 'Tags 1' has no ':'\n"
        "1 manifests, 1 errors, 0 warnings\n"
    )


# -- --format github / json, --strict --------------------------------------------------


def test_check_format_github(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One workflow command per problem, on the problem's file and line; the path is
    escaped (``%``, ``:``, ``,``) as a workflow command property."""
    library = tmp_path / "lib:a,b%c"
    library.mkdir()
    write(library, "good", GOOD)
    content, line, fragment = BAD["duplicate-tag"]
    write(library, "bad", content)
    assert main(["check", "--format", "github", "--library", str(library)]) == 1
    out = capsys.readouterr().out.splitlines()
    escaped = str(library / "bad").replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert len(out) == 2
    assert out[0].startswith(
        f"::error file={escaped},line={line},title=sphinx-official-images%3A duplicate-tag::"
    )
    assert fragment in out[0]
    assert out[1] == "2 manifests, 1 errors, 0 warnings"


def test_check_format_github_without_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused name is no file: its command has no ``file=`` (and the name's ``/``
    and ``..`` are message text, not a path the runner would resolve)."""
    write(tmp_path, "bad", G + "\nTags 1\n")
    assert main(["check", "--format", "github", "--library", str(tmp_path), "bad", "../x"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("::error title=sphinx-official-images%3A refused-name::../x: refused")
    assert out[1].startswith(f"::error file={tmp_path / 'bad'},line=4,")
    assert out[2] == "1 manifests, 2 errors, 0 warnings"


def test_check_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "good", GOOD)
    write(tmp_path, "bad", BAD["no-commit"][0])
    assert main(["check", "--format", "json", "--library", str(tmp_path), "bad", "nope"]) == 1
    captured = capsys.readouterr()
    problems = json.loads(captured.out)
    assert problems == [
        {
            "path": str(tmp_path / "nope"),
            "line": None,
            "severity": "error",
            "code": "unknown-image",
            "message": "unknown image 'nope' (known: bad, good)",
        },
        {
            "path": str(tmp_path / "bad"),
            "line": 4,
            "severity": "error",
            "code": "invalid-git-commit",
            "message": problems[1]["message"],
        },
    ]
    assert "invalid GitCommit" in problems[1]["message"]
    assert captured.err == "1 manifests, 2 errors, 0 warnings\n"


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_clean_exits_0_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    write(tmp_path, "good", GOOD)
    assert main(["check", "--format", fmt, "--strict", "--library", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    if fmt == "json":
        assert json.loads(captured.out) == []
    else:
        assert captured.out == "1 manifests, 0 errors, 0 warnings\n"


def test_check_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["check", "--format", "xml", "--library", str(tmp_path)]) == 2


def test_check_format_github_one_error_and_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A manifest with a misspelt field (a warning) and a duplicate tag (an error)
    gives two workflow commands, each on its own file and line."""
    content = (
        G
        + "Architecures: arm64v8\n"
        + f"\nTags: 1, x\nGitCommit: {C1}\n"
        + f"\nTags: 2, x\nGitCommit: {C1}\nDirectory: b\n"
    )
    path = write(tmp_path, "both", content)
    assert main(["check", "--format", "github", "--library", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3, out
    assert out[0].startswith(f"::warning file={path},line=3,title=sphinx-official-images%3A ")
    assert "did you mean" in out[0]
    assert out[1].startswith(f"::error file={path},line=8,title=sphinx-official-images%3A ")
    assert 'duplicate tag: "x"' in out[1]
    assert out[2] == "1 manifests, 1 errors, 1 warnings"
