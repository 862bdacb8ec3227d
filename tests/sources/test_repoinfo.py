"""The repo-info reader over the real sample (../shared/corpus/repo-info) and broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_official_images.model.architectures import arch_for_platform
from sphinx_official_images.sources.repoinfo import RepoInfo, parse_size, parse_tag_file


@pytest.fixture(scope="module")
def repo_info(corpus: Path) -> RepoInfo:
    return RepoInfo(corpus / "repo-info")


def test_python_slim_platforms_sizes_and_digests(repo_info: RepoInfo) -> None:
    facts, problems = repo_info.tag("python", "3.14-slim")
    assert problems == ()
    assert facts is not None
    assert facts.digest == "sha256:e11c17f46f87983eb946b121694dedba6290ee2b0dd5294d137d82943502d179"
    assert [p.arch for p in facts.platforms] == [
        "amd64", "arm32v5", "arm32v7", "arm64v8", "i386", "ppc64le", "riscv64", "s390x",
    ]  # fmt: skip
    assert facts.attestations == 8  # the "unknown; unknown" sections are not platforms
    amd64 = facts.for_arch("amd64")
    assert amd64 is not None
    assert amd64.size == 43437809
    assert amd64.digest == "sha256:d6e0850f13fda0e2305d4c3c1c2f7930fe1042d34ddd958e49bba6ef685d0bb2"
    assert amd64.image_id == (
        "sha256:a41c1f663be90eb31af9864d1e1ccdaa91b6af11776b7ade1c05915e76da7aea"
    )
    assert amd64.default_command == '["python3"]'
    assert amd64.layers == 4
    arm64 = facts.for_arch("arm64v8")
    assert arm64 is not None
    assert (arm64.label, arm64.size, arm64.line) == ("linux; arm64 variant v8", 43689870, 245)
    assert arm64.digest == "sha256:c65a4a1140b75416bbc7f28807f82a3746bd6567645d5848123b6a6587f86962"


def test_windows_and_mixed_indexes(repo_info: RepoInfo) -> None:
    facts, _ = repo_info.tag("python", "3-windowsservercore-ltsc2025")
    assert facts is not None
    (win,) = facts.platforms
    assert (win.arch, win.os_version, win.size) == ("windows-amd64", "10.0.26100.33438", 2526983573)
    assert win.digest == "sha256:b87db87b0106096b4d86806fd333d11b300463e0e7fa3614e7fa0237450be18c"
    hello, _ = repo_info.tag("hello-world", "latest")
    assert hello is not None
    assert (len(hello.platforms), hello.attestations) == (11, 9)
    assert [p.arch for p in hello.platforms].count("windows-amd64") == 2
    busybox, _ = repo_info.tag("busybox", "latest")
    assert busybox is not None
    assert (len(busybox.platforms), busybox.attestations) == (9, 8)
    old, _ = repo_info.tag("hello-world", "linux")  # a manifest list v2: no attestations
    assert old is not None
    assert (len(old.platforms), old.attestations) == (9, 0)
    assert old.for_arch("mips64le") is not None


def test_every_sample_file_reads_cleanly(corpus: Path, repo_info: RepoInfo) -> None:
    files = sorted((corpus / "repo-info" / "repos").glob("*/remote/*.md"))
    assert len(files) == 13
    for path in files:
        image, tag = path.parts[-3], path.stem
        assert tag in repo_info.tags(image)
        facts, problems = repo_info.tag(image, tag)
        assert problems == (), path
        assert facts is not None and facts.platforms, path


def test_no_file_means_no_figures(repo_info: RepoInfo) -> None:
    assert repo_info.tag("python", "2.7") == (None, ())
    assert repo_info.tag("nosuchimage", "latest") == (None, ())
    assert repo_info.tag("python", "../../etc/passwd") == (None, ())
    assert repo_info.tags("nosuchimage") == frozenset()


def test_sizes() -> None:
    assert parse_size("43.4 MB (43437809 bytes)") == 43437809
    assert parse_size("249.0 B") == 249
    assert parse_size("2.5 GB (2526983573 bytes)") == 2526983573
    assert parse_size("43.4 MB") is None  # no byte count above 1000 bytes
    assert parse_size("43.5 MB (43437809 bytes)") is None  # disagrees with its count
    assert parse_size("lots") is None


def test_platform_names() -> None:
    assert arch_for_platform("linux", "arm", "v6") == "arm32v6"
    assert arch_for_platform("linux", "386", None) == "i386"
    assert arch_for_platform("windows", "amd64", None) == "windows-amd64"
    assert arch_for_platform("linux", "sparc", None) is None


# -- malformed files -------------------------------------------------------------------


def _copy(corpus: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo-info"
    shutil.copytree(corpus / "repo-info" / "repos" / "python", root / "repos" / "python")
    return root


def _slim(root: Path) -> Path:
    return root / "repos" / "python" / "remote" / "3.14-slim.md"


def test_truncated_file(corpus: Path, tmp_path: Path) -> None:
    root = _copy(corpus, tmp_path)
    path = _slim(root)
    lines = path.read_text(encoding="utf-8").split("\n")
    # cut in the middle of the arm64 section's layers (the section starts at line 245)
    path.write_text("\n".join(lines[:290]), encoding="utf-8")
    facts, problems = RepoInfo(root).tag("python", "3.14-slim")
    assert facts is not None
    assert [p.arch for p in facts.platforms] == ["amd64", "arm32v5", "arm32v7"]
    by_line = {p.line: p.message for p in problems}
    assert "left out" in by_line[245]  # the cut section: its layers do not add up
    assert by_line[8].startswith("Platforms: 16, but the file has 7 sections")
    assert all(p.path == str(path) for p in problems)


def test_size_line_that_does_not_parse(corpus: Path, tmp_path: Path) -> None:
    root = _copy(corpus, tmp_path)
    path = _slim(root)
    text = path.read_text(encoding="utf-8")
    bad = text.replace("**43.4 MB (43437809 bytes)**", "**43.4 MB (lots of bytes)**", 1)
    path.write_text(bad, encoding="utf-8")
    facts, problems = RepoInfo(root).tag("python", "3.14-slim")
    assert facts is not None
    assert facts.for_arch("amd64") is None  # left out
    assert facts.for_arch("arm64v8") is not None  # the rest is kept
    (problem,) = problems
    assert (problem.path, problem.line) == (str(path), 33)
    assert "does not parse" in problem.message


def test_digest_that_is_not_hex(corpus: Path, tmp_path: Path) -> None:
    root = _copy(corpus, tmp_path)
    path = _slim(root)
    text = path.read_text(encoding="utf-8")
    digest = "c65a4a1140b75416bbc7f28807f82a3746bd6567645d5848123b6a6587f86962"
    path.write_text(text.replace(digest, "z" * 64), encoding="utf-8")
    facts, problems = RepoInfo(root).tag("python", "3.14-slim")
    assert facts is not None
    assert facts.for_arch("arm64v8") is None
    assert len(facts.platforms) == 7
    (problem,) = problems
    assert (problem.line, problem.path) == (248, str(path))
    assert "not sha256: and 64 hex digits" in problem.message


def test_not_a_repo_info_file(tmp_path: Path) -> None:
    facts, problems = parse_tag_file("hello\n", tmp_path / "x.md", "python", "3")
    assert facts is None
    assert problems[0].line == 1
    facts, problems = parse_tag_file("## `python:4`\n", tmp_path / "x.md", "python", "3")
    assert facts is None
    assert "expected 'python:3'" in problems[0].message


def test_cache_notices_a_changed_file(corpus: Path, tmp_path: Path) -> None:
    root = _copy(corpus, tmp_path)
    reader = RepoInfo(root)
    first, _ = reader.tag("python", "3.14-slim")
    assert reader.tag("python", "3.14-slim")[0] is first
    path = _slim(root)
    path.write_text(path.read_text(encoding="utf-8").replace("43437809", "43437808"))
    changed, problems = reader.tag("python", "3.14-slim")
    assert changed is not first
    assert problems  # the size no longer matches its layers
