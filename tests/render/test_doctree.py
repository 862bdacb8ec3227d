"""The docutils emitter builds the structured fields from the view model (issue #12).

The logo, the license section, the tag-list notices and the shared-tags FAQ
sentence are nodes made from the view model's data, not Markdown the
Markdown emitter wrote and MyST parsed: a logo URL full of Markdown syntax is
still one image of that exact URI. Where the Markdown is well formed, the
nodes are the ones MyST makes of the Markdown emitter's text (so the HTML
stays what it was).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document
from myst_parser.parsers.docutils_ import Parser

from sphinx_official_images.render.doctree import (
    EmitContext,
    content_nodes,
    readme_nodes,
    span_nodes,
    tags_nodes,
)
from sphinx_official_images.render.markdown import render_field, render_spans, render_tags
from sphinx_official_images.render.prose import REMOTE, ProseParser
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.page import ImagePage, LicenseSection, Logo, TagList, build_page
from sphinx_official_images.view.template import fill_template
from sphinx_official_images.view.texts import (
    NO_SUPPORTED_TAGS,
    SHARED_TAGS_FAQ,
    Spans,
    arch_note,
    not_supported_warning,
)

DATA = Path(__file__).resolve().parents[2] / "data"
_MYST = ProseParser(parser=Parser, reporter=lambda reporter: reporter)
# Markdown syntax of every kind: a URL that cannot be written as ![logo](URL) as is.
HOSTILE_URL = "https://example.com/a_(b)*c*[d]`e` <f> ![g](h).png?x=1&y=**2**"


def _context() -> EmitContext:
    settings = get_default_settings(Parser)
    settings.report_level = 5
    return EmitContext(new_document("test.md", settings), "test.md", _MYST)


@pytest.fixture(scope="module")
def page() -> ImagePage:
    return build_page(Loader(DATA / "library", DATA / "docs", DATA / "facts"), "python")


def _markdown_nodes(text: str) -> list[str]:
    """What MyST makes of ``text``, in a document of its own."""
    return [node.pformat() for node in _context().markdown(text)]


def test_logo_is_one_image_of_its_exact_url(page: ImagePage) -> None:
    logo = Logo(HOSTILE_URL, "logo.png", "0" * 40)
    content = "Before.\n\n%%LOGO%%\n\n[%%LOGO%%](https://example.org/)\n\nText %%LOGO%% text."
    out = content_nodes(dataclasses.replace(page, content=content, logo=logo), _context())
    images = [image for root in out for image in root.findall(nodes.image)]
    assert [(image["uri"], image["alt"]) for image in images] == [(HOSTILE_URL, "logo")] * 3
    assert all(image[REMOTE] for image in images)
    # on its own: a paragraph holding the image; in a link: the link's content
    assert isinstance(images[0].parent, nodes.paragraph) and len(images[0].parent) == 1
    assert isinstance(images[1].parent, nodes.reference)
    assert images[1].parent["refuri"] == "https://example.org/"
    # LOGO takes the blanks around it (update.sh's sed), the image's text is its alt
    assert images[2].parent.astext() == "Textlogotext."


def test_logo_in_code_is_the_text_update_sh_inserts(page: ImagePage) -> None:
    logo = Logo(HOSTILE_URL, "logo.png", "0" * 40)
    changed = dataclasses.replace(page, content="```\n%%LOGO%%\n```", logo=logo)
    out = content_nodes(changed, _context())
    assert not [image for root in out for image in root.findall(nodes.image)]
    (block,) = [b for root in out for b in root.findall(nodes.literal_block)]
    assert block.astext().rstrip("\n") == f"![logo]({HOSTILE_URL})"


def _license_page(page: ImagePage, template: str) -> ImagePage:
    return dataclasses.replace(
        page,
        template=template,
        note=None,
        deprecated=None,
        license=LicenseSection("Some *license* text for %%REPO%%.", "Common words."),
    )


def test_license_is_a_section_titled_license(page: ImagePage) -> None:
    changed = _license_page(page, "# What\n\nIntro.\n\n## Details\n\nMore.%%LICENSE%%\n")
    out = readme_nodes(changed, _context())
    assert [type(n) for n in out] == [nodes.section, nodes.section]
    license_section = out[-1]
    assert license_section[0].astext() == "License"
    assert license_section["ids"] == ["license"]
    assert [p.astext() for p in license_section[1:]] == [
        "Some license text for python.",
        "Common words.",
    ]


@pytest.mark.parametrize(
    "template",
    [
        # the license last, after a nested section (the docker-library template)
        "# What\n\nIntro.\n\n## Details\n\nMore.%%LICENSE%%\n",
        # text and subsections after it go into it; top-level sections stay after it
        "# What\n\n## Details\n\n%%LICENSE%%\n\nAfter.\n\n## Sub\n\nS.\n\n# Next\n\nN.\n",
        # at the top, before any heading
        "%%LICENSE%%\n\nAfter.\n",
    ],
)
def test_license_section_is_where_markdown_puts_it(page: ImagePage, template: str) -> None:
    changed = _license_page(page, template)
    ours = [node.pformat() for node in readme_nodes(changed, _context())]
    markdown = fill_template(changed.template_text(warning=False), changed.fields(), render_field)
    assert ours == _markdown_nodes(markdown)


@pytest.mark.parametrize(
    "deprecated",
    [
        "Use *another* image for %%REPO%%.\n",
        "# Gone\n\nThis image is gone.",  # its own heading: prose, as it is
    ],
)
def test_deprecation_notice_is_where_markdown_puts_it(page: ImagePage, deprecated: str) -> None:
    template = "Before any heading.\n\n# What\n\nIntro.\n\n## More\n\nM.\n"
    changed = dataclasses.replace(
        page, template=template, note=None, license=None, deprecated=deprecated
    )
    out = readme_nodes(changed, _context())
    markdown = fill_template(changed.template_text(warning=False), changed.fields(), render_field)
    assert [node.pformat() for node in out] == _markdown_nodes(markdown)
    first = out[0]
    assert isinstance(first, nodes.section)
    if not deprecated.startswith("# "):
        assert isinstance(first[0][0], nodes.strong)
        assert first[0].astext() == "DEPRECATION NOTICE"
        assert first["ids"] == ["deprecation-notice"]
        # the text before the template's first heading goes into it, as in Markdown
        assert [p.astext() for p in first[1:]] == [
            "Use another image for python.",
            "Before any heading.",
        ]


@pytest.mark.parametrize(
    "notice", [NO_SUPPORTED_TAGS, not_supported_warning("s390x")], ids=["none", "arch"]
)
def test_tag_notices_are_nodes_of_their_spans(page: ImagePage, notice: Spans) -> None:
    tags = TagList((), (), False, notice)
    ours = tags_nodes(dataclasses.replace(page, tags=tags), _context())
    assert [node.pformat() for node in ours] == _markdown_nodes(render_tags(tags))
    assert not [n for root in ours for n in root.findall(nodes.Text) if "*" in n or "`" in n]


def test_arch_note_is_built_from_its_runs(page: ImagePage) -> None:
    note = arch_note("windows-amd64", "python")
    arch_page = dataclasses.replace(page, note=note, view_kind="arch", arch="windows-amd64")
    first = readme_nodes(arch_page, _context())[0]
    assert [first.pformat()] == _markdown_nodes(render_spans(note))
    (linked,) = [r for r in first.findall(nodes.reference) if r["refuri"].endswith("/_/python")]
    assert [type(n) for n in linked.children] == [nodes.Text, nodes.literal, nodes.Text]


def test_shared_tags_faq_is_a_link() -> None:
    para = nodes.paragraph("", "", *span_nodes(SHARED_TAGS_FAQ))
    assert [para.pformat()] == _markdown_nodes(render_spans(SHARED_TAGS_FAQ))
    (ref,) = para.findall(nodes.reference)
    assert ref["refuri"].startswith("https://github.com/docker-library/faq#")
