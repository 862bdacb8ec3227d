"""The sizes and base-image views over the real samples (repo-info and meta)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_official_images.model.manifest import load_manifest
from sphinx_official_images.render.sizes import human_size, short_digest, sizes_markdown
from sphinx_official_images.sources.meta import MetaIndex, load_meta
from sphinx_official_images.sources.repoinfo import RepoInfo
from sphinx_official_images.view.bases import base_ref, build_bases, users_by_image
from sphinx_official_images.view.sizes import build_figures

META_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "meta-sample"


@pytest.fixture(scope="module")
def repo_info(corpus: Path) -> RepoInfo:
    return RepoInfo(corpus / "repo-info")


def test_python_entries_take_the_figures_of_their_tags(corpus: Path, repo_info: RepoInfo) -> None:
    manifest = load_manifest(corpus / "current" / "library" / "python")
    figures = build_figures(manifest, repo_info, "python")
    slim = figures.for_tag("3.14.7-slim-trixie")
    assert slim is not None
    assert slim.source_tag == "3.14-slim"  # the entry's own tag with a file
    assert len(slim.platforms) == 8
    cell = figures.cell("3.14.7-slim-trixie", "amd64")
    assert cell is not None
    assert (cell.size, cell.digest) == (
        43437809,
        "sha256:d6e0850f13fda0e2305d4c3c1c2f7930fe1042d34ddd958e49bba6ef685d0bb2",
    )
    # a shared tag's file (latest) gives the trixie entry its linux platforms only
    full = figures.for_tag("3.14.7-trixie")
    assert full is not None
    assert full.source_tag == "latest"
    assert "windows-amd64" not in [p.arch for p in full.platforms]
    assert figures.cell("3.14.7-trixie", "amd64").size == 414967043  # type: ignore[union-attr]
    # latest lists two Windows builds: which is ltsc2022's cannot be told, so none is shown
    ltsc2022 = figures.for_tag("3.14.7-windowsservercore-ltsc2022")
    assert ltsc2022 is not None and ltsc2022.platforms == ()
    win = figures.cell("3.14.7-windowsservercore-ltsc2025", "windows-amd64")
    assert win is not None and win.size == 2526983573
    # entries with no file have no row
    assert figures.for_tag("3.15.0rc1-trixie") is None
    assert set(figures.inputs) == {
        corpus / "repo-info/repos/python/remote" / f"{t}.md"
        for t in ("latest", "3.14-slim", "3-alpine", "3-windowsservercore-ltsc2025")
    }


def test_per_architecture_view_keeps_its_architecture(corpus: Path, repo_info: RepoInfo) -> None:
    manifest = load_manifest(corpus / "current" / "library" / "debian")
    figures = build_figures(manifest, repo_info, "debian", "arm64v8")
    assert figures.arches == ("arm64v8",)
    trixie = figures.for_tag("trixie")
    assert trixie is not None
    assert [(p.arch, p.size) for p in trixie.platforms] == [("arm64v8", 49673846)]


def test_formatting_is_the_hubs() -> None:
    assert human_size(43437809) == "43.4 MB"
    assert human_size(2526983573) == "2.5 GB"
    assert human_size(2415) == "2.4 KB"
    assert human_size(249) == "249.0 B"
    assert short_digest("sha256:d6e0850f13fda0e2305d4c3c1c2f79") == "sha256:d6e0850f13fd"


def test_human_sizes_agree_with_every_sample_file(corpus: Path) -> None:
    """Our format is repo-info's own: every "H (N bytes)" of the sample formats back to H."""
    import re

    pairs = set()
    for path in (corpus / "repo-info" / "repos").glob("*/remote/*.md"):
        text = path.read_text(encoding="utf-8")
        pairs |= set(re.findall(r"([0-9.]+ [KMG]?B) \(([0-9]+) bytes\)", text))
    assert len(pairs) > 250
    assert all(human_size(int(n)) == h for h, n in pairs)


def test_sizes_markdown(corpus: Path, repo_info: RepoInfo) -> None:
    manifest = load_manifest(corpus / "current" / "library" / "python")
    text = sizes_markdown(build_figures(manifest, repo_info, "python"))
    assert text.startswith("# Compressed sizes and digests\n")
    assert "| `3.14.7-slim-trixie` | 43.4 MB (43437809 bytes)<br>`sha256:d6e0850f13fd` |" in text


# -- base images (docker-library/meta sample) -----------------------------------------


@pytest.fixture(scope="module")
def meta() -> MetaIndex:
    if not META_SAMPLE.is_dir():
        pytest.skip("../shared/meta-sample is absent")
    return load_meta(META_SAMPLE)


def test_built_from_per_tag_and_architecture(meta: MetaIndex) -> None:
    manifest = load_manifest(META_SAMPLE / "library" / "haproxy")
    bases = build_bases(manifest, meta, "haproxy")
    row = bases.for_tag("2.9.6")
    assert row is not None and row.unknown == ()
    (group,) = row.groups  # every architecture is built the same way
    assert group.last_stage_from == base_ref("debian:bookworm-slim")
    assert "amd64" in group.arches and "s390x" in group.arches
    alpine = bases.for_tag("2.9.6-alpine")
    assert alpine is not None
    assert alpine.groups[0].last_stage_from is not None
    assert alpine.groups[0].last_stage_from.ref == "alpine:3.19"


def test_multi_stage_builds_list_every_from(meta: MetaIndex) -> None:
    # a build whose Dockerfile has several FROM lines keeps them all, the last stage apart
    multi = [
        (s, a)
        for s in meta.sources.values()
        for a, d in sorted(s.arches.items())
        if len(set(d.froms)) > 1
    ]
    assert multi
    source, arch = multi[0]
    image = base_ref(source.tags[0]).image
    assert image is not None
    manifest = load_manifest(META_SAMPLE / "library" / image)
    bases = build_bases(manifest, meta, image, arch)
    data = source.arches[arch]
    stages = {ref.ref for row in bases.rows for g in row.groups for ref in g.stages}
    assert set(data.froms) - {data.last_stage_from} <= stages


def test_used_as_a_base_by(meta: MetaIndex) -> None:
    users = users_by_image(meta)
    debian = {u.image: u for u in users["debian"]}
    assert "haproxy" in debian and "redis" in debian
    assert "debian:bookworm-slim" in debian["haproxy"].bases
    assert "2.9.6" in debian["haproxy"].tags
    assert "debian" not in debian  # never its own user
    alpine = {u.image for u in users["alpine"]}
    assert {"haproxy", "redis", "bash"} <= alpine
    # the reverse agrees with the forward direction, for every record
    for source in meta.sources.values():
        user = base_ref(source.tags[0]).image
        for data in source.arches.values():
            for ref in data.froms:
                base = base_ref(ref).image
                if base is not None and base != user:
                    assert user in {u.image for u in users[base]}


def test_parents_follow_the_published_bases(meta: MetaIndex) -> None:
    manifest = load_manifest(META_SAMPLE / "library" / "redmine")
    bases = build_bases(manifest, meta, "redmine")
    edges = {(e.child.ref, e.parent.ref) for e in bases.parents}
    assert ("redmine", "ruby:3.2-slim-bookworm") in edges
    # ruby is in meta's subset: its record says what ruby:3.2-slim-bookworm is built on
    assert ("ruby:3.2-slim-bookworm", "debian:bookworm-slim") in edges
    assert ("ruby:3.2-alpine3.18", "alpine:3.18") in edges
    assert len(edges) == len(bases.parents)  # each edge once
