"""``image-content :heading-offset: N``: the prose's headings take their level in the page.

The oracle is the page with the prose written into it by hand, its headings
shifted by ``N`` (what MyST's ``{include}`` with ``heading-offset`` means): both
pages must have the same sections, holding the same paragraphs, in the same
order. Without the option the prose nests under the current section (as if
its headings were shifted by the current section's level), and the page's
text after the directive still falls into the prose's last section.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from myst_parser.parsers.docutils_ import Parser as MystDocutilsParser
from test_sphinx_extension import DATA, build, write_site

from sphinx_official_images.render.sections import HeadingOffset, heading_offset_marker

PROSE = """\
Intro paragraph.

# What is it?

What text.

## Details

Details text.

# How to use

Use text.
"""


def _shifted(prose: str, by: int) -> str:
    return "\n".join(
        "#" * by + line if line.startswith("#") else line for line in prose.split("\n")
    )


def _myst_page(middle: str) -> str:
    return (
        "# Page\n\n## About\n\nText a.\n\n"
        f"{middle}\n\n"
        "Text b.\n\n### Deep\n\nDeep text.\n\n## Next\n\nNext text.\n"
    )


def _rst_page(middle: str) -> str:
    return (
        "Page\n====\n\nAbout\n-----\n\nText a.\n\n"
        f"{middle}\n\n"
        "Text b.\n\nDeep\n~~~~\n\nDeep text.\n\nNext\n----\n\nNext text.\n"
    )


def _outline(doctree: nodes.document) -> list[str]:
    """Sections (by depth and title) and paragraphs, in document order."""
    out = []
    for node in doctree.findall(lambda n: isinstance(n, nodes.section | nodes.paragraph)):
        if any(isinstance(a, nodes.system_message) for a in _ancestors(node)):
            continue  # MyST's warnings about skipped levels, kept in the tree
        depth = sum(1 for _ in _ancestors(node) if isinstance(_, nodes.section))
        if isinstance(node, nodes.section):
            out.append(f"{depth + 1}: {node[0].astext()}")
        else:
            out.append(f"{depth}   {node.astext()}")
    return out


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


@pytest.fixture
def site(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "docs", docs)
    (docs / "python" / "content.md").write_text(PROSE, encoding="utf-8")
    return tmp_path


def _conf(site: Path) -> str:
    return f"official_images_docs = {str(site / 'docs')!r}\n"


# offset None: no option (nest under the current section, "About", depth 2)
@pytest.mark.parametrize(("offset", "shift"), [(None, 2), (0, 0), (1, 1), (2, 2), (3, 3)])
def test_sections_land_as_if_written_in_the_page(
    site: Path, offset: int | None, shift: int
) -> None:
    option = "" if offset is None else f":heading-offset: {offset}\n"
    src = site / "src"
    write_site(
        src,
        {
            "index.md": "# Index\n\n```{toctree}\ndirective\nliteral\nrst\n```\n",
            "directive.md": _myst_page(f"```{{image-content}} python\n{option}```"),
            "literal.md": _myst_page(_shifted(PROSE, shift)),
            "rst.rst": _rst_page(
                ".. image-content:: python" + ("" if offset is None else f"\n   {option}")
            ),
        },
        _conf(site) + "suppress_warnings = ['myst.header']\n",
    )
    app, warnings = build(src)
    assert warnings == ""
    literal = _outline(app.env.get_doctree("literal"))
    directive = _outline(app.env.get_doctree("directive"))
    rst = _outline(app.env.get_doctree("rst"))
    assert directive == literal
    assert rst == literal
    assert any(line.endswith(": What is it?") for line in directive)


def test_offset_moves_sections_out_and_the_page_follows(site: Path) -> None:
    src = site / "src"
    write_site(
        src,
        {"index.md": _myst_page("```{image-content} python\n:heading-offset: 0\n```")},
        _conf(site),
    )
    app, warnings = build(src)
    assert warnings == ""
    assert _outline(app.env.get_doctree("index")) == [
        "1: Page",
        "2: About",
        "2   Text a.",
        "2   Intro paragraph.",
        "1: What is it?",
        "1   What text.",
        "2: Details",
        "2   Details text.",
        "1: How to use",
        "1   Use text.",
        "1   Text b.",
        "2: Deep",
        "2   Deep text.",
        "2: Next",
        "2   Next text.",
    ]
    # every section is in the table of contents, the moved ones included
    toc = app.env.tocs["index"].astext()
    for title in ("What is it?", "Details", "How to use", "Deep", "Next"):
        assert title in toc
    html = (src / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'id="what-is-it"' in html and "pending" not in html


def test_bad_offset_is_a_warning_with_location(site: Path) -> None:
    src = site / "src"
    write_site(
        src,
        {"index.md": "# Page\n\n```{image-content} python\n:heading-offset: -1\n```\n"},
        _conf(site),
    )
    _, warnings = build(src)
    # the file and a line of the directive (myst-parser 5 names the option's line)
    assert re.search(r"index\.md(\.rst)?:[34]: WARNING: .*heading-offset", warnings)


# -- the transform alone, on generated pages -----------------------------------------

_SETTINGS = {"report_level": 5, "doctitle_xform": False, "sectsubtitle_xform": False}


def _parse(text: str) -> nodes.document:
    return publish_doctree(text, parser=MystDocutilsParser(), settings_overrides=_SETTINGS)


def _blocks(first: int) -> st.SearchStrategy[list[int]]:
    """Heading levels (0 for a paragraph) with no skipped level, from ``first``."""

    @st.composite
    def build(draw: st.DrawFn) -> list[int]:
        out: list[int] = []
        level = first - 1
        for _ in range(draw(st.integers(0, 9))):
            if draw(st.booleans()):
                out.append(0)
            else:
                level = draw(st.integers(first, level + 1))
                out.append(level)
        return out

    return build()


def _markdown(blocks: list[int], prefix: str) -> str:
    return "\n\n".join(
        f"{'#' * b} {prefix}{i}" if b else f"{prefix} text {i}" for i, b in enumerate(blocks)
    )


@settings(max_examples=150, deadline=None)
@given(
    page=_blocks(1),
    prose=_blocks(1),
    where=st.integers(0, 9),
    offset=st.none() | st.integers(0, 5),
)
def test_relocation_matches_the_literal_page(
    page: list[int], prose: list[int], where: int, offset: int | None
) -> None:
    """Any page, any prose, any place and offset: the same tree as the page
    with the prose's headings shifted by ``offset`` (None: by the level of the
    section the directive is in) written in it."""
    where = min(where, len(page))
    before, after = page[:where], page[where:]
    # None: the level of the open section at the directive (the last heading's)
    shift = offset if offset is not None else next((b for b in reversed(before) if b), 0)
    assume(max(prose, default=0) + shift <= 6 and max(page, default=0) <= 6)  # Markdown's H6
    prose_md = _markdown(prose, "P")
    literal = _parse(
        "\n\n".join([_markdown(before, "A"), _shifted(prose_md, shift), _markdown(after, "B")])
    )
    document = _parse("\n\n".join([_markdown(before, "A"), "PROSEMARKER", _markdown(after, "B")]))
    marker_para = next(p for p in document.findall(nodes.paragraph) if p.astext() == "PROSEMARKER")
    output = [child.deepcopy() for child in _parse(prose_md).children]
    holder = marker_para.parent
    assert holder is not None
    index = holder.index(marker_para)
    holder.remove(marker_para)
    marker = heading_offset_marker(document, len(output), offset)
    for i, node in enumerate([marker, *output]):
        holder.insert(index + i, node)
    HeadingOffset(document, startnode=marker).apply()
    assert _outline(document) == _outline(literal)
