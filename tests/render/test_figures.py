"""The base-image line under a tag entry (``render.figures.entry_bases_node``)."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from sphinx_official_images.model.manifest import load_manifest
from sphinx_official_images.render.figures import BASES_CLASS, entry_bases_node, plain_ref
from sphinx_official_images.sources.meta import load_meta
from sphinx_official_images.view.bases import ArchBases, EntryBases, base_ref, build_bases

META_SAMPLE = CORPUS.parent / "meta-sample"


def test_a_multi_stage_build_names_its_build_stages() -> None:
    if not META_SAMPLE.is_dir():
        pytest.skip("../shared/meta-sample is absent")
    index = load_meta(META_SAMPLE)
    manifest = load_manifest(META_SAMPLE / "library" / "drupal")
    bases = build_bases(manifest, index, "drupal")
    row = bases.for_tag("10.2.4-php8.3-apache-bookworm")
    assert row is not None
    node = entry_bases_node(row, plain_ref)
    assert node is not None and BASES_CLASS in node["classes"]
    assert node.astext() == ("Built FROM php:8.3-apache-bookworm; build stages FROM composer:2")


def test_architectures_built_differently_are_named() -> None:
    debian = base_ref("debian:bookworm-slim")
    windows = base_ref("mcr.microsoft.com/windows/servercore:ltsc2022")
    row = EntryBases(
        ("1.0",),
        (
            ArchBases(("amd64", "arm64v8"), debian, (debian,)),
            ArchBases(("windows-amd64",), windows, (windows,)),
        ),
        ("s390x",),
    )
    node = entry_bases_node(row, plain_ref)
    assert node is not None
    assert node.astext() == (
        "Built FROM debian:bookworm-slim (amd64, arm64v8); "
        "mcr.microsoft.com/windows/servercore:ltsc2022 (windows-amd64)"
    )


def test_one_group_missing_architectures_names_the_known_ones() -> None:
    debian = base_ref("debian:bookworm-slim")
    row = EntryBases(("1.0",), (ArchBases(("amd64",), debian, (debian,)),), ("riscv64",))
    node = entry_bases_node(row, plain_ref)
    assert node is not None and node.astext() == "Built FROM debian:bookworm-slim (amd64)"


def test_no_build_in_meta_no_line() -> None:
    assert entry_bases_node(EntryBases(("1.0",), (), ("amd64",)), plain_ref) is None


def test_every_meta_sample_entry_gives_a_line_or_none() -> None:
    if not META_SAMPLE.is_dir():
        pytest.skip("../shared/meta-sample is absent")
    index = load_meta(META_SAMPLE)
    lines = 0
    for path in sorted((META_SAMPLE / "library").iterdir()):
        bases = build_bases(load_manifest(path), index, path.name)
        for row in bases.rows:
            node = entry_bases_node(row, plain_ref)
            known = any(g.last_stage_from is not None for g in row.groups)
            assert (node is not None) == known
            if node is not None:
                assert node.astext().startswith("Built FROM ")
                lines += 1
    assert lines > 400  # the 42 images of meta's subset: 469 entries
