"""Logo and stack commits from a docs checkout's git history (sources/facts.py)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from _git import commit_all, git, init, needs_git
from sphinx_official_images.sources import facts as facts_module
from sphinx_official_images.sources.facts import (
    CommitTable,
    FactsResolver,
    git_commit_table,
    git_head,
    git_last_commit,
)

pytestmark = needs_git


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A docs checkout with history: logos and a stack.yml changed in several commits."""
    root = tmp_path / "docs"
    init(root)
    _write(root / "a/logo.png", "a1")
    _write(root / "b/logo.svg", "b1")
    _write(root / "c/content.md", "no logo")
    first = commit_all(root, "one")
    _write(root / "a/logo.png", "a2")
    _write(root / "b/stack.yml", "services: {}\n")
    _write(root / "a/sub/logo.png", "not an image's logo")
    second = commit_all(root, "two")
    _write(root / "c/content.md", "still no logo")
    third = commit_all(root, "three")
    return root, {"first": first, "second": second, "third": third}


def test_one_path_is_git_log_1(docs: tuple[Path, dict[str, str]]) -> None:
    root, commits = docs
    assert git_last_commit(root, "a/logo.png") == commits["second"]
    assert git_last_commit(root, "b/logo.svg") == commits["first"]
    assert git_last_commit(root, "c/logo.png") is None
    assert git_head(root) == commits["third"]
    # a folder inside a checkout is not a docs checkout
    assert git_last_commit(root / "a", "logo.png") is None
    assert git_head(root / "a") is None


def test_table_agrees_with_git_log_1_for_every_path(docs: tuple[Path, dict[str, str]]) -> None:
    root, commits = docs
    table = git_commit_table(root)
    assert table is not None
    assert table.head == commits["third"]
    assert dict(table.commits) == {
        "a/logo.png": commits["second"],
        "b/logo.svg": commits["first"],
        "b/stack.yml": commits["second"],
    }
    for path, commit in table.commits.items():
        assert git_last_commit(root, path) == commit
    # plain data: it can be kept in a pickled Sphinx environment
    assert pickle.loads(pickle.dumps(table)) == table


def test_table_on_merged_history(tmp_path: Path) -> None:
    """A change made on a branch and merged is the branch's commit, as git log -1 says."""
    root = tmp_path / "docs"
    init(root)
    _write(root / "a/logo.png", "1")
    commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "topic")
    _write(root / "a/logo.png", "2")
    topic = commit_all(root, "new logo")
    git(root, "checkout", "-q", "master")
    _write(root / "b/logo.png", "1")
    commit_all(root, "other image")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "topic")
    table = git_commit_table(root)
    assert table is not None
    assert table.get("a/logo.png") == topic == git_last_commit(root, "a/logo.png")
    assert table.get("b/logo.png") == git_last_commit(root, "b/logo.png")


def test_not_a_checkout(tmp_path: Path) -> None:
    _write(tmp_path / "a/logo.png", "1")
    assert git_commit_table(tmp_path) is None
    resolver = FactsResolver(tmp_path)
    assert resolver.git_head() is None
    assert resolver.load_commit_table() is None
    assert resolver.git_commit("a", "logo.png") is None
    assert resolver.logo_commit("a", "logo.png") == "master"


def test_one_image_touches_only_its_paths(
    docs: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``readme IMAGE`` asks git about that image's file only; a second image walks once."""
    root, commits = docs
    calls: list[tuple[str, ...]] = []
    real = facts_module._run_git

    def spy(folder: Path, *args: str) -> str | None:
        calls.append(args)
        return real(folder, *args)

    monkeypatch.setattr(facts_module, "_run_git", spy)
    resolver = FactsResolver(root)
    assert resolver.logo_commit("a", "logo.png") == commits["second"]
    assert calls == [("log", "-1", "--format=%H", "--", "a/logo.png")]
    assert resolver.commit_table is None
    # asked again: answered from memory
    assert resolver.logo_commit("a", "logo.png") == commits["second"]
    assert len(calls) == 1
    # a second image: one walk for every image, then no more git runs
    assert resolver.logo_commit("b", "logo.svg") == commits["first"]
    assert resolver.commit_table is not None
    walks = [c for c in calls if "--name-only" in c]
    assert len(walks) == 1
    before = len(calls)
    assert resolver.file_commit("b", "stack.yml") == commits["second"]
    assert resolver.logo_commit("c", "logo.png") == "master"
    assert len(calls) == before


def test_a_kept_table_is_used_only_at_its_head(docs: tuple[Path, dict[str, str]]) -> None:
    root, commits = docs
    table = FactsResolver(root).load_commit_table()
    assert table is not None
    again = FactsResolver(root)
    assert again.use_commit_table(table)
    assert again.commit_table is table
    stale = CommitTable("f" * 40, {"a/logo.png": "0" * 40})
    other = FactsResolver(root)
    assert not other.use_commit_table(stale)
    assert not other.use_commit_table(None)
    assert other.logo_commit("a", "logo.png") == commits["second"]
    # the caller may pass the HEAD it already knows
    assert FactsResolver(root).use_commit_table(table, head=commits["third"])
    # a new commit: the table no longer applies
    _write(root / "a/logo.png", "a3")
    fourth = commit_all(root, "four")
    moved = FactsResolver(root)
    assert not moved.use_commit_table(table)
    assert moved.logo_commit("a", "logo.png") == fourth


def test_git_beats_facts_and_facts_beat_master(
    docs: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, commits = docs
    _write(tmp_path / "facts/a.json", json.dumps({"logo": {"commit": "0" * 40}}))
    _write(
        tmp_path / "facts/c.json", json.dumps({"logo": {"file": "logo.png", "commit": "1" * 40}})
    )
    resolver = FactsResolver(root, tmp_path / "facts")
    assert resolver.logo_commit("a", "logo.png") == commits["second"]
    assert resolver.logo_commit("c", "logo.png") == "1" * 40
    assert resolver.logo_commit("d", "logo.png") == "master"


def test_facts_written_at_head_answer_without_a_walk(
    docs: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A facts file that records the current HEAD is git's answer, pinned: no ``git log``."""
    root, commits = docs
    pinned = {"logo": {"file": "logo.png", "commit": commits["second"]}}
    _write(
        tmp_path / "facts/a.json",
        json.dumps({**pinned, "sources": {"docs_head": commits["third"]}}),
    )
    _write(tmp_path / "facts/b.json", json.dumps({"logo": {"commit": "0" * 40}}))
    calls: list[tuple[str, ...]] = []
    real = facts_module._run_git

    def spy(folder: Path, *args: str) -> str | None:
        calls.append(args)
        return real(folder, *args)

    monkeypatch.setattr(facts_module, "_run_git", spy)
    resolver = FactsResolver(root, tmp_path / "facts")
    assert resolver.logo_commit("a", "logo.png") == commits["second"]
    assert [c[0] for c in calls] == ["rev-parse"]
    # no recorded HEAD: git wins over the hand-written pin
    assert resolver.logo_commit("b", "logo.svg") == commits["first"]
    # the checkout moved: the pin no longer answers, git does
    _write(root / "a/logo.png", "a3")
    fourth = commit_all(root, "four")
    assert FactsResolver(root, tmp_path / "facts").logo_commit("a", "logo.png") == fourth
