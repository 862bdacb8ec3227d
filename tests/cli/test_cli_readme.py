"""The ``readme`` and ``update`` sub-commands."""

from __future__ import annotations

import argparse
import os
import shutil
import stat
from pathlib import Path

import pytest

from sphinx_official_images.cli.readme import add_readme_parser, add_update_parser

CORPUS = Path(
    os.environ.get("OFFICIAL_IMAGES_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "corpus"
)
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "index.json").is_file(), reason="../shared/corpus is absent"
)
# The corpus images whose README is over the Hub limit once the comment is gone.
BIG = [
    "clojure",
    "drupal",
    "eclipse-temurin",
    "gradle",
    "mariadb",
    "nextcloud",
    "php",
    "postgres",
    "tomee",
]


def _parser() -> argparse.ArgumentParser:
    try:
        from sphinx_official_images.cli import main as cli
    except ImportError:
        cli = None  # type: ignore[assignment]
    build = getattr(cli, "build_parser", None)
    if build is not None:
        parser: argparse.ArgumentParser = build()
        choices = next(
            (a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
            {},
        )
        if "readme" in choices and "update" in choices:
            return parser
    parser = argparse.ArgumentParser(prog="sphinx-official-images")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_readme_parser(subparsers)
    add_update_parser(subparsers)
    return parser


def run(*argv: str) -> int:
    args = _parser().parse_args(list(argv))
    result: int = args.func(args)
    return result


def _inputs(corpus: Path, docs: Path | None = None) -> list[str]:
    current = corpus / "current"
    return [
        "--library",
        str(current / "library"),
        "--docs",
        str(docs or current / "docs"),
        "--facts",
        str(current / "facts"),
    ]


@needs_corpus
def test_readme_prints_the_expected_readme(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    assert run("readme", "python", *_inputs(CORPUS)) == 0
    out = capfdbinary.readouterr().out
    assert out == (CORPUS / "current/docs/python/README.md").read_bytes()


@needs_corpus
def test_readme_seed_arch_view(tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    seed = CORPUS / "seed"
    (tmp_path / "facts").mkdir()
    shutil.copyfile(seed / "facts.json", tmp_path / "facts/python.json")
    argv = ["--library", str(seed / "library"), "--docs", str(seed / "docs")]
    assert (
        run(
            "readme", "python", *argv, "--facts", str(tmp_path / "facts"), "--arch", "windows-amd64"
        )
        == 0
    )
    assert capfdbinary.readouterr().out == (seed / "winamd64-python.md").read_bytes()
    assert run("readme", "python", *argv, "--arch", "windows-amd64", "--namespace", "acme") == 0
    assert b"FROM acme/python:3" in capfdbinary.readouterr().out


@needs_corpus
@pytest.mark.parametrize("image", BIG)
def test_readme_hub_fits_the_limit(image: str, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    assert run("readme", image, "--hub", *_inputs(CORPUS)) == 0
    captured = capfdbinary.readouterr()
    assert len(captured.out) <= 25_000
    assert not captured.out.startswith(b"<!--")
    assert b"over the Hub limit of 25000" in captured.err


def test_readme_errors_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "library").mkdir()
    (tmp_path / "docs").mkdir()
    argv = ["--library", str(tmp_path / "library"), "--docs", str(tmp_path / "docs")]
    assert run("readme", "nope", *argv) == 1
    assert "error:" in capsys.readouterr().err
    assert run("readme", "../x", *argv) == 1
    assert run("readme", "x", *argv, "--arch", "sparc") == 1


@needs_corpus
def test_update_rewrites_a_copy_identically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS / "current/docs", docs)
    for folder, dirs, files in os.walk(docs):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    expected = {p.parent.name: p.read_bytes() for p in docs.glob("*/README.md")}
    (docs / "python/README.md").write_text("stale\n")
    (docs / "redis/README.md").unlink()

    assert run("update", *_inputs(CORPUS, docs)) == 0
    captured = capsys.readouterr()
    assert f"updated: {docs / 'python/README.md'}" in captured.out
    assert f"created: {docs / 'redis/README.md'}" in captured.out
    assert "142 unchanged" in captured.err
    assert {p.parent.name: p.read_bytes() for p in docs.glob("*/README.md")} == expected

    assert run("update", "python", "hello-world", *_inputs(CORPUS, docs)) == 0
    assert "2 images: 2 unchanged" in capsys.readouterr().err


def test_update_skips_folders_without_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "library").mkdir()
    (tmp_path / "docs/empty").mkdir(parents=True)
    argv = ["--library", str(tmp_path / "library"), "--docs", str(tmp_path / "docs")]
    assert run("update", *argv) == 0
    assert "skipping empty: missing content.md" in capsys.readouterr().err
    (tmp_path / "docs/broken").mkdir()
    (tmp_path / "docs/broken/content.md").write_text("x")
    assert run("update", *argv) == 1
    assert "error:" in capsys.readouterr().err


# -- update --check --------------------------------------------------------------------


def _docs_copy(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS / "current/docs", docs)
    for folder, dirs, files in os.walk(docs):
        for name in [*dirs, *files]:
            path = Path(folder, name)
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return docs


def _snapshot(docs: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(docs)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in docs.rglob("*")
        if p.is_file()
    }


def _named(out: str) -> list[str]:
    """The images ``update --check`` names as out of date or missing."""
    return [
        line.split(": ", 1)[1].split(" ", 1)[0]
        for line in out.splitlines()
        if line.startswith(("out of date: ", "missing: "))
    ]


@needs_corpus
def test_update_check_names_exactly_the_changed_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _docs_copy(tmp_path)
    assert run("update", "--check", *_inputs(CORPUS, docs)) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "144 images: 0 out of date, 144 up to date, 0 errors" in captured.err

    readme = docs / "redis/README.md"
    expected = readme.read_text(encoding="utf-8")
    edited = expected.replace("# How to use this image", "# How to use this picture", 1)
    assert edited != expected
    readme.write_text(edited, encoding="utf-8")
    before = _snapshot(docs)
    assert run("update", "--check", *_inputs(CORPUS, docs)) == 1
    captured = capsys.readouterr()
    assert _snapshot(docs) == before  # wrote nothing
    assert _named(captured.out) == ["redis"]
    assert f"out of date: redis ({readme})" in captured.out
    assert "--- a/redis/README.md\n+++ b/redis/README.md\n" in captured.out
    assert "\n-# How to use this picture\n+# How to use this image\n" in captured.out
    assert "1 out of date, 143 up to date" in captured.err

    # the diff is a patch: applied in the docs folder, the README is what update writes
    diff = captured.out.split("\n", 1)[1]
    readme.write_text(_apply(edited, diff), encoding="utf-8")
    assert readme.read_text(encoding="utf-8") == expected

    readme.write_text(edited, encoding="utf-8")
    assert run("update", "--check", "--stat", *_inputs(CORPUS, docs)) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"out of date: redis ({readme})",
        " redis/README.md | 2 +-",
        " 1 files changed, 1 insertions(+), 1 deletions(-)",
    ]
    assert run("update", "--check", "python", "hello-world", *_inputs(CORPUS, docs)) == 0
    assert "2 images: 0 out of date, 2 up to date" in capsys.readouterr().err

    readme.unlink()
    assert run("update", "--check", *_inputs(CORPUS, docs)) == 1
    out = capsys.readouterr().out
    assert _named(out) == ["redis"]
    assert out.startswith(f"missing: redis ({readme})\n--- /dev/null\n+++ b/redis/README.md\n")
    assert not readme.exists()


def _apply(text: str, diff: str) -> str:
    """Apply a one-file unified diff to ``text`` (a test's own small ``patch``)."""
    lines = text.split("\n")
    result: list[str] = []
    position = 0
    hunks = diff.split("\n@@ ")[1:]
    for hunk in hunks:
        header, *body = hunk.split("\n")
        start = int(header.split(" ")[0].split(",")[0][1:]) - 1
        result.extend(lines[position:start])
        position = start
        for line in body:
            if line.startswith((" ", "-")):
                assert lines[position] == line[1:]
                position += 1
            if line.startswith((" ", "+")):
                result.append(line[1:])
    result.extend(lines[position:])
    return "\n".join(result)


@needs_corpus
def test_update_check_with_arch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = _docs_copy(tmp_path)
    arch = ["--arch", "windows-amd64"]
    assert run("update", *arch, *_inputs(CORPUS, docs)) == 0
    out = capsys.readouterr().out
    rewritten = sorted(Path(line.split(": ", 1)[1]).parent.name for line in out.splitlines())
    assert rewritten  # some images have a per-architecture view that differs
    assert run("update", "--check", *arch, *_inputs(CORPUS, docs)) == 0
    capsys.readouterr()
    assert run("update", "--check", *_inputs(CORPUS, docs)) == 1
    assert sorted(_named(capsys.readouterr().out)) == rewritten


def test_update_check_reports_errors_and_stat_needs_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "library").mkdir()
    (tmp_path / "docs/broken").mkdir(parents=True)
    (tmp_path / "docs/broken/content.md").write_text("x")
    argv = ["--library", str(tmp_path / "library"), "--docs", str(tmp_path / "docs")]
    assert run("update", "--check", *argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error:" in captured.err and "1 errors" in captured.err
    assert not (tmp_path / "docs/broken/README.md").exists()
    assert run("update", "--stat", *argv) == 2


# -- sizes (repo-info, issue 16) ------------------------------------------------------


@needs_corpus
def test_readme_with_repo_info_is_unchanged_without_sizes(
    capfdbinary: pytest.CaptureFixture[bytes],
) -> None:
    repo_info = str(CORPUS / "repo-info")
    assert run("readme", "python", *_inputs(CORPUS), "--repo-info", repo_info) == 0
    assert capfdbinary.readouterr().out == (CORPUS / "current/docs/python/README.md").read_bytes()


@needs_corpus
def test_readme_sizes(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    repo_info = str(CORPUS / "repo-info")
    assert run("readme", "python", *_inputs(CORPUS), "--repo-info", repo_info, "--sizes") == 0
    out = capfdbinary.readouterr().out.decode("utf-8")
    expected = (CORPUS / "current/docs/python/README.md").read_text(encoding="utf-8")
    assert out.startswith(expected.rstrip("\n") + "\n\n# Compressed sizes and digests\n")
    assert "| `3.14.7-slim-trixie` | 43.4 MB (43437809 bytes)<br>`sha256:d6e0850f13fd` |" in out
    # per-architecture view: that column only
    args = [*_inputs(CORPUS), "--repo-info", repo_info, "--sizes", "--arch", "arm64v8"]
    assert run("readme", "python", *args) == 0
    out = capfdbinary.readouterr().out.decode("utf-8")
    assert "| Tag | `arm64v8` |" in out
    assert "| `3.14.7-slim-trixie` | 43.7 MB (43689870 bytes)<br>`sha256:c65a4a1140b7` |" in out


@needs_corpus
def test_readme_sizes_needs_repo_info(capfd: pytest.CaptureFixture[str]) -> None:
    assert run("readme", "python", *_inputs(CORPUS), "--sizes") == 1
    assert "--sizes needs --repo-info DIR" in capfd.readouterr().err
