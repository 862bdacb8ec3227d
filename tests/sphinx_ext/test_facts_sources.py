"""The buildpack-deps fact in a Sphinx build: from meta (``official_images_meta``), or a
warning at the directive when neither the facts folder nor meta knows it."""

from __future__ import annotations

import json
from pathlib import Path

from _sites import COMMIT, COMMIT2, build, make_site

PARAGRAPH = "BUILDPACK-DEPS-PARAGRAPH-MARK"
PAGE = "Bad page\n========\n\n.. image-variants:: bad\n"
DOCS = {".template-helpers/variant-default-buildpack-deps.md": PARAGRAPH + "\n"}


def _record(commit: str, directory: str, base: str) -> dict[str, object]:
    return {
        "entry": {
            "GitRepo": "https://github.com/acme/bad.git",
            "GitCommit": commit,
            "Directory": directory,
            "File": "Dockerfile",
        },
        "arches": {"amd64": {"froms": [base], "lastStageFrom": base}},
    }


def test_meta_gives_the_fact(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    meta = {
        "s1": _record(COMMIT, "1", "buildpack-deps:trixie"),
        "s2": _record(COMMIT2, "1/slim", "debian:trixie-slim"),
    }
    src = make_site(
        root,
        {"bad.rst": PAGE},
        docs=DOCS,
        facts={"bad.json": None},
        conf='official_images_meta = "../meta"\n',
    )
    (root / "meta").mkdir()
    (root / "meta/sources.json").write_text(json.dumps(meta), encoding="utf-8")
    result = build(src, root / "out" / "html", werror=True)
    assert result.status == 0, result.warnings
    assert result.warnings == []
    assert PARAGRAPH in result.html("bad")


def test_an_unknown_fact_is_a_warning_at_the_directive(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    src = make_site(root, {"bad.rst": PAGE}, docs=DOCS, facts={"bad.json": None})
    result = build(src, root / "out" / "html")
    assert result.status == 0
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.startswith(f"{src}/bad.rst:4: WARNING: image-variants: bad: buildpack-deps")
    assert "official_images_facts" in warning and "official_images_meta" in warning
    assert warning.endswith("[official_images.input]")
    assert PARAGRAPH not in result.html("bad")
    assert build(src, root / "out" / "strict", werror=True).status != 0


def test_a_missing_meta_costs_the_fact_not_the_page(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    src = make_site(
        root,
        {"bad.rst": PAGE},
        docs=DOCS,
        facts={"bad.json": None},
        conf='official_images_meta = "../nometa"\n',
    )
    result = build(src, root / "out" / "html")
    assert result.status == 0
    assert [w.split(": WARNING: ")[1][:40] for w in result.warnings] == [
        f"image-variants: {root}/nometa: no docke"[:40],
        "image-variants: bad: buildpack-deps fact",
        # the tag list of the other page would name each entry's base image
        f"image-tags: {root}/nometa: no docke"[:40],
    ]
    assert "Image Variants" in result.html("bad") or "flavours" in result.html("bad")
