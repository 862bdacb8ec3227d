"""The name rules of model/names.py: one wording wherever a name comes from; tag
and image ids are CSS identifiers, one per name, never a docutils id."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.errors import OfficialImagesError
from sphinx_official_images.model.names import (
    arch_problem,
    check_arch,
    check_image,
    image_anchor,
    image_key,
    image_name_problem,
    image_ref,
    is_tag,
    tag_anchor,
    tag_key,
)

KNOWN = ", ".join(sorted(SUPPORTED_ARCHITECTURES))


@pytest.mark.parametrize("tag", ["latest", "3.14-slim", "1.0_rc1", "_x", "A" * 128])
def test_valid_tags(tag: str) -> None:
    assert is_tag(tag)


@pytest.mark.parametrize("tag", ["", "-x", ".x", "a:b", "a/b", "a@b", "A" * 129, "a\n"])
def test_invalid_tags(tag: str) -> None:
    assert not is_tag(tag)


def test_image_name_problem_names_the_text_it_came_from() -> None:
    assert image_name_problem("python") is None
    assert image_name_problem("../x") == (
        "invalid image name '../x': expected a plain name such as 'python'"
    )
    assert image_name_problem("a/b", within="a/b:1") == (
        "invalid image name 'a/b' in 'a/b:1': expected a plain name such as 'python'"
    )
    # the whole target is the name: not repeated
    assert image_name_problem("A", within="A") == (
        "invalid image name 'A': expected a plain name such as 'python'"
    )


def test_arch_problem() -> None:
    assert arch_problem("windows-amd64") is None
    assert arch_problem("sparc") == f"unknown architecture 'sparc' (known: {KNOWN})"
    assert arch_problem("sparc", within="x@sparc") == (
        f"unknown architecture 'sparc' in 'x@sparc' (known: {KNOWN})"
    )
    assert arch_problem("../amd64") is not None


def test_checks_raise_the_same_words() -> None:
    assert check_image("python") == "python"
    assert check_arch("amd64") == "amd64"
    with pytest.raises(OfficialImagesError, match="invalid image name '/etc'"):
        check_image("/etc")
    with pytest.raises(OfficialImagesError, match="unknown architecture 'x86'"):
        check_arch("x86")


def test_keys_anchors_and_refs() -> None:
    assert image_key("python", None) == "python"
    assert image_key("python", "windows-amd64") == "python@windows-amd64"
    assert tag_key("python", "3-slim", None) == "python:3-slim"
    assert tag_key("python", "3", "arm64v8") == "python:3@arm64v8"
    assert image_ref("python", None) == "python"
    assert image_ref("python", "") == "python"
    assert image_ref("python", "winamd64") == "winamd64/python"


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
