"""The loader: docs-folder reading (stored and real symlinks), caches, facts, suites."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_official_images.model.errors import DocsError, ManifestError, OfficialImagesError
from sphinx_official_images.model.manifest import parse_manifest
from sphinx_official_images.sources.docsfolder import DocsFolder
from sphinx_official_images.sources.facts import FactsResolver, git_last_commits, load_facts_file
from sphinx_official_images.sources.loader import Loader, debian_suites, ubuntu_suites

GLOBAL = (
    "Maintainers: Jane Doe <jane@example.com> (@jane)\nGitRepo: https://github.com/acme/w.git\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- docs folder ----------------------------------------------------------------


def test_stored_symlink_files_resolve_like_links(tmp_path: Path) -> None:
    write(tmp_path / ".common-templates/maintainer-x.md", "[X](%%GITHUB-REPO%%)\n")
    write(tmp_path / "a/maintainer.md", "../.common-templates/maintainer-x.md")
    write(tmp_path / "b/maintainer.md", "../a/maintainer.md")  # a chain
    write(tmp_path / "php/variant-fpm.md", "fpm words\n")
    write(tmp_path / "drupal/variant-fpm.md", "../php/variant-fpm.md")
    write(tmp_path / "a/github-repo", "https://github.com/acme/a")
    write(tmp_path / "a/missing.md", "../nowhere.md")
    docs = DocsFolder(tmp_path)
    assert docs.read("a/maintainer.md") == "[X](%%GITHUB-REPO%%)\n"
    found = docs.resolve("b/maintainer.md")
    assert found is not None
    assert found.target == tmp_path.resolve() / ".common-templates/maintainer-x.md"
    assert len(found.chain) == 3
    assert docs.read("drupal/variant-fpm.md") == "fpm words\n"
    # content that is not a path to an existing file is content
    assert docs.read("a/github-repo") == "https://github.com/acme/a"
    assert docs.read("a/missing.md") == "../nowhere.md"
    assert docs.read("a/nothing.md") is None


def test_stored_symlink_to_an_empty_file_is_empty(tmp_path: Path) -> None:
    write(tmp_path / "php/variant-alpine.md", "")
    write(tmp_path / "x/variant-alpine.md", "../php/variant-alpine.md")
    docs = DocsFolder(tmp_path)
    assert docs.is_file("x/variant-alpine.md")
    found = docs.resolve("x/variant-alpine.md")
    assert found is not None and found.size == 0  # [ -s ] is false


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_real_symlinks_and_escapes(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write(root / ".common-templates/m.md", "m\n")
    (root / "a").mkdir()
    os.symlink("../.common-templates/m.md", root / "a/maintainer.md")
    os.symlink("../../secret", root / "a/license.md")
    write(tmp_path / "secret", "secret\n")
    write(root / "a/escape.md", "../../secret")
    docs = DocsFolder(root)
    assert docs.read("a/maintainer.md") == "m\n"
    with pytest.raises(DocsError):
        docs.read("a/license.md")
    # a stored link leaving the docs folder is refused too (issue #6), not shown as text
    with pytest.raises(DocsError, match=r"stored symbolic link '\.\./\.\./secret' points"):
        docs.read("a/escape.md")


def test_text_is_cached_and_refreshed(tmp_path: Path) -> None:
    path = write(tmp_path / "a/content.md", "one\n")
    docs = DocsFolder(tmp_path)
    assert docs.read("a/content.md") == "one\n"
    first = docs.read("a/content.md")
    assert docs.read("a/content.md") is first  # served from the cache
    path.write_text("two, longer\n", encoding="utf-8")
    assert docs.read("a/content.md") == "two, longer\n"


def test_invalid_utf8_is_a_docs_error(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/content.md").write_bytes(b"ok\n\xff\n")
    with pytest.raises(DocsError) as info:
        DocsFolder(tmp_path).read("a/content.md")
    assert info.value.line == 2


def test_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(DocsError):
        DocsFolder(tmp_path / "nope")
    (tmp_path / "docs").mkdir()
    with pytest.raises(ManifestError):
        Loader(tmp_path / "nope", tmp_path / "docs")
    (tmp_path / "library").mkdir()
    with pytest.raises(DocsError):
        Loader(tmp_path / "library", tmp_path / "docs", tmp_path / "nofacts")


# -- manifests ------------------------------------------------------------------


def test_manifests_are_cached_by_file_identity(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    path = write(lib / "w", GLOBAL + "\nTags: 1\nGitCommit: " + "a" * 40 + "\n")
    (tmp_path / "docs").mkdir()
    cat = Loader(lib, tmp_path / "docs")
    first = cat.manifest("w")
    assert cat.manifest("w") is first
    write(path, GLOBAL + "\nTags: 1, one\nGitCommit: " + "a" * 40 + "\n")
    second = cat.manifest("w")
    assert second is not first and second.entries[0].tags == ("1", "one")
    assert cat.manifest_images() == ["w"]


def test_manifest_errors(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    write(lib / "bad", "Tags: 1\n")
    (tmp_path / "docs").mkdir()
    cat = Loader(lib, tmp_path / "docs")
    with pytest.raises(ManifestError) as info:
        cat.manifest("missing")
    assert info.value.path is not None and info.value.path.endswith("missing")
    with pytest.raises(ManifestError):
        cat.manifest("bad")
    with pytest.raises(OfficialImagesError):
        cat.manifest("../library/bad")


def test_images_are_folders_with_content(tmp_path: Path) -> None:
    write(tmp_path / "docs/a/content.md", "a")
    write(tmp_path / "docs/b/README.md", "b")
    write(tmp_path / "docs/.template-helpers/template.md", "t")
    (tmp_path / "library").mkdir()
    assert Loader(tmp_path / "library", tmp_path / "docs").images() == ["a"]


# -- suites ---------------------------------------------------------------------


def test_suite_filters() -> None:
    debian = parse_manifest(
        GLOBAL
        + "GitCommit: "
        + "b" * 40
        + "\n\nTags: bookworm, 12\nDirectory: a\n\nTags: bookworm-slim\nDirectory: b\n\n"
        "Tags: stable\nDirectory: c\n\nTags: rc-buggy, experimental\nDirectory: d\n"
    )
    assert debian_suites(debian) == ("bookworm", "rc-buggy")
    ubuntu = parse_manifest(
        GLOBAL
        + "GitCommit: "
        + "b" * 40
        + "\n\nTags: 24.04, noble, latest\nSharedTags: rolling\nDirectory: a\n\n"
        "Tags: devel, questing\nDirectory: b\n"
    )
    assert ubuntu_suites(ubuntu) == ("noble", "rolling", "questing")


def test_suite_manifests_from_facts(tmp_path: Path) -> None:
    entry = "GitCommit: " + "c" * 40 + "\n\nTags: {0}\nDirectory: {0}\n"
    write(tmp_path / "library/debian", GLOBAL + entry.format("bookworm"))
    write(tmp_path / "library/ubuntu", GLOBAL + entry.format("noble"))
    write(tmp_path / "library-suites/x/debian", GLOBAL + entry.format("trixie"))
    write(
        tmp_path / "facts/x.json",
        json.dumps({"suite_manifests": {"debian": "library-suites/x/debian"}}),
    )
    (tmp_path / "docs").mkdir()
    cat = Loader(tmp_path / "library", tmp_path / "docs", tmp_path / "facts")
    assert cat.suites("x").debian == ("trixie",)
    assert cat.suites("x").ubuntu == ("noble",)
    assert cat.suites("y").debian == ("bookworm",)
    assert cat.suites("y") is cat.suites("y")


def test_missing_suite_manifests_give_no_suites(tmp_path: Path) -> None:
    (tmp_path / "library").mkdir()
    (tmp_path / "docs").mkdir()
    suites = Loader(tmp_path / "library", tmp_path / "docs").suites("x")
    assert suites.debian == () and suites.ubuntu == () and suites.paths == ()


# -- facts --------------------------------------------------------------------------


def test_facts_file_format(tmp_path: Path) -> None:
    path = write(
        tmp_path / "facts/img.json",
        json.dumps(
            {
                "logo": {"file": "logo.svg", "commit": "f" * 40, "url": "ignored"},
                "buildpack_deps_based": False,
                "anything": [1, 2],
            }
        ),
    )
    facts = load_facts_file(path)
    assert (facts.logo_file, facts.logo_commit, facts.buildpack_deps_based) == (
        "logo.svg",
        "f" * 40,
        False,
    )
    resolver = FactsResolver(tmp_path / "docs", tmp_path / "facts")
    assert resolver.logo_commit("img", "logo.svg") == "f" * 40
    assert resolver.logo_commit("img", "logo.png") == "master"  # a different file
    assert resolver.logo_commit("other", "logo.png") == "master"
    assert resolver.buildpack_deps_based("img") is False


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        "{",
        '{"logo": 3}',
        '{"logo": {"file": "../x.png"}}',
        '{"logo": {"commit": "a b"}}',
        '{"buildpack_deps_based": "yes"}',
        '{"suite_manifests": {"debian": 1}}',
    ],
)
def test_bad_facts_files(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "x.json", content)
    with pytest.raises(DocsError) as info:
        load_facts_file(path)
    assert info.value.path == str(path)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_logo_commits_from_a_git_checkout(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=docs, env=env, check=True, capture_output=True)
        return out.stdout.decode().strip()

    docs.mkdir()
    git("init", "-q")
    write(docs / "a/logo.png", "1")
    write(docs / "b/logo.svg", "1")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    first = git("rev-parse", "HEAD")
    write(docs / "a/logo.png", "2")
    git("commit", "-q", "-am", "two")
    second = git("rev-parse", "HEAD")
    found = git_last_commits(docs, ["a/logo.png", "b/logo.svg", "c/logo.png"])
    assert found == {"a/logo.png": second, "b/logo.svg": first}
    # git wins over a facts file
    write(tmp_path / "facts/a.json", json.dumps({"logo": {"commit": "0" * 40}}))
    resolver = FactsResolver(docs, tmp_path / "facts")
    assert resolver.logo_commit("a", "logo.png") == second
    assert resolver.logo_commit("c", "logo.png") == "master"
    # a folder that is not a checkout has no git facts
    assert git_last_commits(docs / "a", ["logo.png"]) == {}
