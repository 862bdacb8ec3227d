"""``facts``, and ``update``/``readme`` on a docs checkout with and without facts.

The round trip of issue 11 on a small git checkout: READMEs committed by the
incumbent (with the buildpack-deps paragraph), ``update`` without facts says
which README it cannot reproduce and why, ``facts`` pins what is missing, and
``update`` with those facts rewrites every README byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _git import commit_all, git, init, needs_git
from _sites import COMMIT, COMMIT2, HELPERS, image_docs, manifest_text, write_tree
from sphinx_official_images.cli.main import main

BUILDPACK = "This tag is based off of [`buildpack-deps`](https://hub.docker.com/_/buildpack-deps/)."
PLAIN = "This tag is based off of nothing in particular."


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, Path]:
    """``library/`` and a docs git checkout whose READMEs the incumbent wrote.

    ``lang`` is buildpack-deps based (its README has the paragraph), ``tool``
    is not, ``empty`` has no variant section (the fact is not needed), and
    ``scratch`` has no ``content.md``.
    """
    library = tmp_path / "library"
    docs = tmp_path / "docs"
    write_tree(
        library,
        {"lang": manifest_text("lang"), "tool": manifest_text("tool"), "empty": _no_variants()},
    )
    init(docs)
    write_tree(
        docs,
        {
            **HELPERS,
            ".template-helpers/variant-default-buildpack-deps.md": BUILDPACK + "\n",
            **image_docs("lang"),
            **image_docs("tool"),
            **image_docs("empty"),
            "lang/logo.png": "PNG",
            "scratch/README-short.txt": "an empty image\n",
        },
    )
    logo_commit = commit_all(docs, "prose")
    # the incumbent's output, as committed: written here from pinned facts
    pinned = tmp_path / "pinned"
    write_tree(
        pinned,
        {
            "lang.json": json.dumps({"buildpack_deps_based": True}),
            "tool.json": json.dumps({"buildpack_deps_based": False}),
        },
    )
    assert (
        main(["update", "--library", str(library), "--docs", str(docs), "--facts", str(pinned)])
        == 0
    )
    readme = (docs / "lang/README.md").read_text(encoding="utf-8")
    assert BUILDPACK in readme
    assert f"docker-library/docs/{logo_commit}/lang/logo.png" in readme
    commit_all(docs, "READMEs")
    return library, docs


def _no_variants() -> str:
    return manifest_text("empty").replace("1.0-slim, 1-slim, slim", "2.0, 2")


def _inputs(library: Path, docs: Path) -> list[str]:
    return ["--library", str(library), "--docs", str(docs)]


@needs_git
def test_update_without_facts_names_what_it_cannot_reproduce(
    checkout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    library, docs = checkout
    assert main(["update", *_inputs(library, docs)]) == 0
    err = capsys.readouterr().err
    lines = err.splitlines()
    # one warning per image whose README needs the fact, naming it, the fact and the remedy
    needing = [line for line in lines if "buildpack-deps fact unknown" in line]
    assert [line.split(":")[1].strip() for line in needing] == ["lang", "tool"]
    assert all("--facts" in line and "--meta" in line for line in needing)
    assert any(
        line.startswith("warning: lang: the README on disk has the buildpack-deps paragraph")
        for line in lines
    )
    assert "left out (no content.md, as update.sh): scratch" in lines
    assert any(
        line.startswith("2 written without the buildpack-deps fact (1 of them lose the paragraph")
        and "lang" in line
        for line in lines
    )
    assert git(docs, "status", "--porcelain") == "M lang/README.md"


@needs_git
def test_facts_from_readme_then_update_is_byte_for_byte(
    checkout: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library, docs = checkout
    out = tmp_path / "facts"
    assert main(["facts", *_inputs(library, docs), "--out", str(out), "--from-readme"]) == 0
    err = capsys.readouterr().err
    assert "3 images: 3 created; buildpack-deps: 2 from readme, 0 unknown" in err
    lang = json.loads((out / "lang.json").read_text(encoding="utf-8"))
    logo_commit = git(docs, "log", "-1", "--format=%H", "--", "lang/logo.png")
    assert lang["logo"] == {"file": "logo.png", "commit": logo_commit}
    assert lang["buildpack_deps_based"] is True
    assert lang["sources"]["logo"] == "git"
    assert lang["sources"]["buildpack_deps_based"] == "readme"
    assert lang["sources"]["docs_head"] == git(docs, "rev-parse", "HEAD")
    tool = json.loads((out / "tool.json").read_text(encoding="utf-8"))
    assert tool["buildpack_deps_based"] is False
    empty = json.loads((out / "empty.json").read_text(encoding="utf-8"))
    assert empty["buildpack_deps_based"] is None  # no variant section: not needed
    # the facts pin what was missing: every README byte for byte
    assert main(["update", *_inputs(library, docs), "--facts", str(out)]) == 0
    err = capsys.readouterr().err
    assert "buildpack-deps fact unknown" not in err
    assert git(docs, "status", "--porcelain") == ""
    # again: nothing changes, and the files keep their bytes
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["facts", *_inputs(library, docs), "--out", str(out), "--from-readme"]) == 0
    assert "3 unchanged" in capsys.readouterr().err
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}


@needs_git
def test_facts_without_a_source_reports_the_unknown(
    checkout: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library, docs = checkout
    out = tmp_path / "facts"
    # a value already pinned by hand stays; keys the command does not write stay
    write_tree(out, {"tool.json": json.dumps({"buildpack_deps_based": False, "note": "mine"})})
    assert main(["facts", *_inputs(library, docs), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: lang: buildpack-deps fact unknown" in err
    assert "warning: tool" not in err
    assert (
        "3 images: 2 created, 1 updated; buildpack-deps: 1 from the existing file, 1 unknown" in err
    )
    tool = json.loads((out / "tool.json").read_text(encoding="utf-8"))
    assert (tool["buildpack_deps_based"], tool["note"]) == (False, "mine")
    assert (
        json.loads((out / "lang.json").read_text(encoding="utf-8"))["buildpack_deps_based"] is None
    )


@needs_git
def test_facts_and_update_from_meta(
    checkout: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library, docs = checkout
    meta = tmp_path / "meta"

    def record(repo: str, base: str, commit: str = COMMIT, directory: str = "1") -> object:
        return {
            "entry": {
                "GitRepo": f"https://github.com/acme/{repo}.git",
                "GitCommit": commit,
                "Directory": directory,
                "File": "Dockerfile",
            },
            "arches": {"amd64": {"froms": [base], "lastStageFrom": base}},
        }

    write_tree(
        meta,
        {
            "sources.json": json.dumps(
                {
                    "s1": record("lang", "buildpack-deps:trixie"),
                    "s2": record("tool", "debian:x"),
                    # every entry of tool is known, so "not based" is known too
                    "s3": record("tool", "buildpack-deps:trixie-scm", COMMIT2, "1/slim"),
                }
            )
        },
    )
    # update straight from meta reproduces the READMEs
    assert main(["update", *_inputs(library, docs), "--meta", str(meta)]) == 0
    assert "buildpack-deps fact unknown" not in capsys.readouterr().err
    assert git(docs, "status", "--porcelain") == ""
    out = tmp_path / "facts"
    assert main(["facts", *_inputs(library, docs), "--out", str(out), "--meta", str(meta)]) == 0
    assert "buildpack-deps: 2 from meta" in capsys.readouterr().err
    lang = json.loads((out / "lang.json").read_text(encoding="utf-8"))
    assert (lang["buildpack_deps_based"], lang["sources"]["buildpack_deps_based"]) == (True, "meta")


def test_facts_from_readme_without_git_takes_the_logo_commit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A docs copy that is not a checkout: the README's logo URL gives the commit."""
    library, docs = tmp_path / "library", tmp_path / "docs"
    write_tree(library, {"lang": manifest_text("lang")})
    commit = "c" * 40
    write_tree(
        docs,
        {
            **HELPERS,
            **image_docs("lang"),
            "lang/logo.svg": "<svg/>",
            "lang/README.md": (
                f"![logo](https://raw.githubusercontent.com/docker-library/docs/{commit}"
                "/lang/logo.svg?sanitize=true)\n"
            ),
        },
    )
    out = tmp_path / "facts"
    assert main(["facts", *_inputs(library, docs), "--out", str(out), "--from-readme"]) == 0
    lang = json.loads((out / "lang.json").read_text(encoding="utf-8"))
    assert lang["logo"] == {"file": "logo.svg", "commit": commit}
    assert lang["sources"]["logo"] == "readme"
    assert "docs_head" not in lang["sources"]


@pytest.mark.parametrize("command", ["readme", "update", "facts"])
def test_a_typo_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    library, docs = tmp_path / "library", tmp_path / "docs"
    write_tree(library, {"python": manifest_text("python")})
    write_tree(docs, {**HELPERS, **image_docs("python")})
    extra = ["--out", str(tmp_path / "facts")] if command == "facts" else []
    assert main([command, "pyhton", *_inputs(library, docs), *extra]) == 1
    err = capsys.readouterr().err
    assert "unknown image 'pyhton' (did you mean 'python'?)" in err
    assert not (docs / "pyhton").exists()


def test_update_summary_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library, docs = tmp_path / "library", tmp_path / "docs"
    write_tree(library, {"python": manifest_text("python")})
    write_tree(docs, {**HELPERS, **image_docs("python"), "scratch/README-short.txt": "x\n"})
    assert main(["update", "python", "scratch", "nosuch", *_inputs(library, docs)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert "skipping scratch: missing content.md" in lines
    assert any(line.startswith("error: unknown image 'nosuch'") for line in lines)
    assert any(line.startswith("3 images: 1 created, 1 skipped, 1 error") for line in lines)
    assert "left out (no content.md, as update.sh): scratch" in lines
    assert "left out (errors above): nosuch" in lines


@pytest.mark.parametrize("command", ["readme", "update", "facts"])
def test_a_bad_meta_is_the_command_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    library, docs = tmp_path / "library", tmp_path / "docs"
    write_tree(library, {"python": manifest_text("python")})
    write_tree(docs, {**HELPERS, **image_docs("python")})
    write_tree(tmp_path / "meta", {"sources.json": '{\n  "a": [1,\n'})
    extra = ["--out", str(tmp_path / "facts")] if command == "facts" else []
    names = ["python"] if command == "readme" else []

    def run(meta: Path) -> int:
        return main([command, *names, *_inputs(library, docs), "--meta", str(meta), *extra])

    assert run(tmp_path / "meta") == 1
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'meta/sources.json'}:3: meta sources file is not valid JSON" in err
    assert run(tmp_path / "none") == 1
    assert "no docker-library/meta sources.json here" in capsys.readouterr().err
