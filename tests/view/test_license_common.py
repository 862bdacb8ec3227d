"""``update.sh`` prefers ``IMAGE/license-common.md`` over the helper's (view/page.py)."""

from __future__ import annotations

from pathlib import Path

from _sites import HELPERS, image_docs, manifest_text, write_tree
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.page import build_page

SHARED = HELPERS[".template-helpers/license-common.md"]


def _loader(tmp_path: Path, docs: dict[str, str | bytes | None] | None = None) -> Loader:
    files: dict[str, str | bytes | None] = {**HELPERS, **image_docs("one"), **image_docs("two")}
    files.update(docs or {})
    write_tree(tmp_path / "library", {"one": manifest_text("one"), "two": manifest_text("two")})
    write_tree(tmp_path / "docs", files)
    return Loader(tmp_path / "library", tmp_path / "docs")


def test_an_image_license_common_wins(tmp_path: Path) -> None:
    loader = _loader(tmp_path, {"one/license-common.md": "One's own common terms.\n"})
    one = build_page(loader, "one")
    assert one.license is not None
    assert one.license.common == "One's own common terms."
    assert tmp_path.joinpath("docs/one/license-common.md").resolve() in one.inputs
    readme = render_readme(one)
    assert "One's own common terms." in readme
    assert SHARED not in readme
    # another image keeps the helper's
    two = build_page(loader, "two")
    assert two.license is not None
    assert two.license.common == SHARED


def test_without_license_md_there_is_no_license_section(tmp_path: Path) -> None:
    loader = _loader(tmp_path, {"one/license.md": None, "one/license-common.md": "Own terms.\n"})
    page = build_page(loader, "one")
    assert page.license is None
    assert "Own terms." not in render_readme(page)


def test_an_empty_image_license_common_is_used_as_is(tmp_path: Path) -> None:
    """``cat IMAGE/license-common.md || cat helper``: an empty file still wins."""
    loader = _loader(tmp_path, {"one/license-common.md": ""})
    page = build_page(loader, "one")
    assert page.license is not None
    assert page.license.common == ""
