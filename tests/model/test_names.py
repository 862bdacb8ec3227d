"""Tag and image ids: CSS identifiers, one per name, never a docutils id."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.names import image_anchor, tag_anchor

# What a CSS selector ``#ID`` takes without escaping (ASCII part).
CSS_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

images = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True).filter(
    lambda name: ".." not in name
)
tags = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}", fullmatch=True)
arches = st.none() | st.sampled_from(sorted(SUPPORTED_ARCHITECTURES))


def test_readable_ids() -> None:
    assert tag_anchor("python", "3.14-slim", None) == "tag-python__3_14-slim"
    assert tag_anchor("python", "3.14", "windows-amd64") == "tag-python__3_14__windows-amd64"
    assert image_anchor("python", None) == "image__python"
    assert image_anchor("python", "arm64v8") == "image__python__arm64v8"
    # names the readable spelling would confuse are spelled out
    assert tag_anchor("a", "b_c", None) != tag_anchor("a", "b.c", None)
    assert tag_anchor("a", "b..c", None).startswith("tagx-")


@given(st.lists(st.tuples(images, tags, arches), min_size=2, max_size=2, unique=True))
def test_ids_are_css_identifiers_and_unique(names: list[tuple[str, str, str | None]]) -> None:
    ids = [tag_anchor(*name) for name in names]
    ids += [image_anchor(image, arch) for image, _, arch in names]
    for anchor in ids:
        assert CSS_IDENT.fullmatch(anchor), anchor
        assert "_" in anchor  # docutils' ids (make_id) never have one
    views = {(image, arch) for image, _, arch in names}
    assert len(set(ids)) == len(names) + len(views)
