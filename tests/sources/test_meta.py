"""The docker-library/meta reader (sources/meta.py) and the buildpack-deps fact from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.model.manifest import parse_manifest
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sources.meta import (
    buildpack_deps_based,
    is_buildpack_deps_base,
    load_meta,
    variant_sh_entries,
)
from sphinx_official_images.view.page import build_page

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "meta-sample"
needs_sample = pytest.mark.skipif(
    not (SAMPLE / "expected.json").is_file(), reason="../shared/meta-sample is absent"
)

C1 = "1" * 40
C2 = "2" * 40
C3 = "3" * 40


def _record(
    sid: str, repo: str, commit: str, arches: dict[str, str], directory: str = "."
) -> dict[str, Any]:
    return {
        "sourceId": sid,
        "tags": [],
        "entry": {
            "GitRepo": repo,
            "GitFetch": "refs/heads/master",
            "GitCommit": commit,
            "Directory": directory,
            "File": "Dockerfile",
            "Builder": "",
        },
        "arches": {
            arch: {
                "froms": ["scratch", last] if last != "scratch" else ["scratch"],
                "lastStageFrom": last,
                "parents": {last: {"sourceId": None, "pin": None}},
                "platformString": f"linux/{arch}",
                "platform": {"architecture": arch, "os": "linux"},
            }
            for arch, last in arches.items()
        },
    }


def _meta(tmp_path: Path, *records: dict[str, Any]) -> Path:
    folder = tmp_path / "meta"
    folder.mkdir(parents=True)
    data = {r["sourceId"]: r for r in records}
    (folder / "sources.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return folder


MANIFEST = f"""\
Maintainers: Jane Doe (@jane)
GitRepo: https://github.com/acme/lang.git

Tags: 2.0, 2, latest
SharedTags: two
Architectures: arm64v8, amd64
GitCommit: {C1}
Directory: 2
arm64v8-GitCommit: {C2}

Tags: 2.0-alpine, alpine
Architectures: amd64
GitCommit: {C3}
Directory: 2/alpine/
"""


def test_is_buildpack_deps_base() -> None:
    assert is_buildpack_deps_base("buildpack-deps:bookworm")
    assert is_buildpack_deps_base("buildpack-deps:noble")
    assert not is_buildpack_deps_base("buildpack-deps:bookworm-scm")
    assert not is_buildpack_deps_base("buildpack-deps:bookworm-curl")
    assert not is_buildpack_deps_base("debian:bookworm")
    assert not is_buildpack_deps_base("library/buildpack-deps:bookworm")
    assert not is_buildpack_deps_base(None)


def test_entries_match_by_arch_specific_values(tmp_path: Path) -> None:
    meta = _meta(
        tmp_path,
        _record("s-amd64", "https://github.com/acme/lang.git", C1, {"amd64": "debian:x"}, "2"),
        _record(
            "s-arm", "https://github.com/acme/lang.git", C2, {"arm64v8": "buildpack-deps:x"}, "2"
        ),
        _record(
            "s-alpine", "https://github.com/acme/lang.git", C3, {"amd64": "alpine:3"}, "2/alpine"
        ),
    )
    index = load_meta(meta)
    manifest = parse_manifest(MANIFEST)
    first, alpine = manifest.entries
    assert index.last_stage_from(first, "amd64") == "debian:x"
    assert index.last_stage_from(first, "arm64v8") == "buildpack-deps:x"  # arm64v8-GitCommit
    assert index.last_stage_from(alpine, "amd64") == "alpine:3"  # Directory cleaned
    assert index.last_stage_from(alpine, "arm64v8") is None  # no such build
    assert index.built_from(first, "amd64") == ("scratch", "debian:x")
    assert [s.source_id for s, _ in index.used_by("alpine:3")] == ["s-alpine"]
    # variant.sh: first tag of each entry, its first architecture in sorted order (amd64)
    assert [tag for tag, _ in variant_sh_entries(manifest)] == ["2.0", "2.0-alpine"]
    assert buildpack_deps_based(index, manifest) is False


def test_the_rule_true_false_and_unknown(tmp_path: Path) -> None:
    repo = "https://github.com/acme/lang.git"
    manifest = parse_manifest(MANIFEST)
    based = load_meta(
        _meta(
            tmp_path / "1",
            _record("a", repo, C1, {"amd64": "buildpack-deps:bookworm"}, "2"),
        )
    )
    # one entry matches: True, though the alpine entry has no record
    assert buildpack_deps_based(based, manifest) is True
    scm = load_meta(
        _meta(tmp_path / "2", _record("a", repo, C1, {"amd64": "buildpack-deps:b-scm"}, "2"))
    )
    # no match, and one entry without a record: unknown
    assert buildpack_deps_based(scm, manifest) is None
    both = load_meta(
        _meta(
            tmp_path / "3",
            _record("a", repo, C1, {"amd64": "buildpack-deps:b-scm"}, "2"),
            _record("b", repo, C3, {"amd64": "alpine:3"}, "2/alpine"),
        )
    )
    assert buildpack_deps_based(both, manifest) is False


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{\n  "a": {\n    "entry": {,\n', 3, "not valid JSON"),
        ("[1, 2]\n", 1, "JSON object"),
        ('{\n  "x": 1,\n  "y": {"entry": 3}\n}\n', 2, "record must be an object"),
        ('{\n  "x": {"entry": {}},\n  "y": {"entry": 3}\n}\n', 2, "entry.GitRepo"),
        (
            '{\n  "x": {"entry": {"GitRepo": "r", "GitCommit": "c"}},\n'
            '  "y": {"entry": {"GitRepo": "r", "GitCommit": "c"},\n'
            '        "arches": {"amd64": {"froms": "alpine"}}}\n}\n',
            3,
            "arches.amd64.froms",
        ),
    ],
)
def test_malformed_sources_json(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "sources.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocsError) as info:
        load_meta(tmp_path)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert words in info.value.message


def test_missing_and_undecodable_sources_json(tmp_path: Path) -> None:
    with pytest.raises(DocsError, match="cannot read meta sources"):
        load_meta(tmp_path)
    (tmp_path / "sources.json").write_bytes(b'{\n"\xff": 1}')
    with pytest.raises(DocsError) as info:
        load_meta(tmp_path / "sources.json")
    assert info.value.line == 2


def test_a_malformed_meta_is_a_notice_not_a_failure(tmp_path: Path) -> None:
    """The page is still built (as without meta) and says why meta was not used."""
    from _sites import HELPERS, image_docs, manifest_text, write_tree

    write_tree(tmp_path / "library", {"widget": manifest_text()})
    write_tree(tmp_path / "docs", {**HELPERS, **image_docs("widget")})
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta/sources.json").write_text("{\n  oops\n}\n", encoding="utf-8")
    loader = Loader(tmp_path / "library", tmp_path / "docs", meta=tmp_path / "meta")
    page = build_page(loader, "widget")
    assert page.variants is not None
    assert page.variants.default_notes == ()  # no buildpack-deps paragraph (nor suites)
    errors = [n.error for n in page.notices]
    assert any(e.path == str(tmp_path / "meta/sources.json") and e.line == 2 for e in errors)
    assert page.unknown_facts == ("buildpack-deps",)


@needs_sample
def test_meta_sample_index() -> None:
    index = load_meta(SAMPLE)
    assert len(index) == 520
    pairs = sum(len(s.arches) for s in index.sources.values())
    assert pairs == 2363


@needs_sample
def test_meta_sample_every_subset_entry_has_its_build() -> None:
    """Every entry/arch pair of the 42 images meta covers finds its record (2,383 pairs)."""
    index = load_meta(SAMPLE)
    covered = {tag.split(":")[0] for s in index.sources.values() for tag in s.tags}
    pairs = found = 0
    for image in sorted(covered):
        manifest = parse_manifest((SAMPLE / "library" / image).read_bytes(), image)
        for entry in manifest.entries:
            for arch in entry.architectures:
                pairs += 1
                found += index.entry_build(entry, arch) is not None
    assert len(covered) == 42
    assert (found, pairs) == (2383, 2383)


@needs_sample
def test_meta_sample_sentence_matches_expected() -> None:
    """The paragraph the pages get from meta equals expected.json's ``from_meta`` (42/42),
    and the README the docs repository had, wherever meta covers the image."""
    expected = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))["images"]
    loader = Loader(SAMPLE / "library", SAMPLE / "docs", meta=SAMPLE)
    helper = SAMPLE / "docs" / ".template-helpers" / "variant-default-buildpack-deps.md"
    buildpack_note = helper.read_text(encoding="utf-8").rstrip("\n")
    compared = agreed = 0
    for image, facts in sorted(expected.items()):
        if facts["from_meta"] is None:
            fact = loader.buildpack_deps(image) if (SAMPLE / "docs" / image).is_dir() else None
            assert fact is None or fact.based is None, image
            continue
        page = build_page(loader, image)
        sentence = page.variants is not None and buildpack_note in page.variants.default_notes
        compared += 1
        agreed += sentence == facts["from_meta"] == facts["readme_has_buildpack_deps_sentence"]
        assert "buildpack-deps" not in page.unknown_facts, image
    assert (agreed, compared) == (42, 42)
