"""The Markdown emitter: an :class:`~sphinx_official_images.view.page.ImagePage` as
the ``README.md`` docker-library/docs' ``update.sh`` writes.

It only formats.  The rules (what the page says, in which order the
placeholders are filled) come from :mod:`~sphinx_official_images.view.page` and
:mod:`~sphinx_official_images.view.template`; the prose comes from the user's docs
folder.  The Markdown shapes below are those of
``generate-dockerfile-links-partial.tmpl``, ``arches.sh``, ``variant.sh`` and
``update.sh``.
"""

from __future__ import annotations

from sphinx_official_images.view.page import (
    LICENSE_HEADING,
    SHARED_TAGS_FAQ,
    SHARED_TAGS_HEADING,
    SIMPLE_TAGS_HEADING,
    ArchList,
    CodeBlock,
    FieldValue,
    ImagePage,
    LicenseSection,
    Logo,
    TagList,
    Variants,
)
from sphinx_official_images.view.template import Field, fill_template
from sphinx_official_images.view.texts import LOGO_ALT, Span, Spans

__all__ = [
    "render_arches",
    "render_code_block",
    "render_field",
    "render_license",
    "render_logo",
    "render_readme",
    "render_spans",
    "render_tags",
    "render_variants",
]

_SIMPLE_HEADING = f"## {SIMPLE_TAGS_HEADING}"
_SHARED_HEADING = f"## {SHARED_TAGS_HEADING}"
_LICENSE_HEADING = f"# {LICENSE_HEADING}"


def _code_list(tags: tuple[str, ...]) -> str:
    return "`" + "`, `".join(tags) + "`"


def _link(text: str, url: str | None) -> str:
    return text if url is None else f"[{text}]({url})"


def _span(span: Span) -> str:
    if span.style == "strong":
        return f"**{span.text}**"
    if span.style == "emphasis":
        return f"*{span.text}*"
    if span.style == "code":
        return f"`{span.text}`"
    if span.style == "link":
        return _link(render_spans(span.children) if span.children else span.text, span.url)
    return span.text


def render_spans(spans: Spans) -> str:
    """A hard-coded sentence (:mod:`~sphinx_official_images.view.texts`) as the
    incumbent's Markdown."""
    return "".join(_span(span) for span in spans)


def render_tags(tags: TagList) -> str:
    """The "Supported tags" list, as the links template prints it."""
    if tags.notice is not None:
        return render_spans(tags.notice)
    item_end = "\n" if tags.tight else "\n\n"
    out: list[str] = []
    if tags.grouped:
        out.append(f"{render_spans(SHARED_TAGS_FAQ)}\n\n{_SIMPLE_HEADING}\n\n")
    out.append(
        item_end.join(f"-\t{_link(_code_list(line.tags), line.url)}" for line in tags.simple)
    )
    out.append("\n\n")
    if tags.grouped:
        out.append(f"{_SHARED_HEADING}\n\n")
        for group in tags.shared:
            out.append(f"-\t{_code_list(group.shared_tags)}:{item_end}")
            for item in group.items:
                out.append(f"\t-\t{_link(f'`{item.tag}`', item.url)}\n")
            if not tags.tight:
                out.append("\n")
        if tags.tight:
            out.append("\n")
    return "".join(out)


def render_arches(arches: ArchList) -> str:
    """The "Supported architectures" line of ``arches.sh``."""
    if arches.notice_words is not None:
        return f"**{arches.notice_words}**"
    return ", ".join(_link(f"`{link.arch}`", link.url) for link in arches.arches)


def render_variants(variants: Variants | None) -> str:
    """``variant.sh``'s output (empty when there is no variant section)."""
    return "" if variants is None else variants.substituted


def render_logo(logo: Logo | None) -> str:
    return "" if logo is None else f"![{LOGO_ALT}]({logo.url})"


def render_code_block(block: CodeBlock | None) -> str:
    return "" if block is None else f"```{block.language}\n{block.code}\n```"


def render_license(section: LicenseSection | None) -> str:
    if section is None:
        return ""
    return f"\n\n{_LICENSE_HEADING}\n\n{section.body}"


def render_field(field: Field[FieldValue]) -> str:
    """The Markdown ``update.sh`` substitutes for one field."""
    value = field.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, TagList):
        return render_tags(value)
    if isinstance(value, ArchList):
        return render_arches(value)
    if isinstance(value, Variants):
        return render_variants(value)
    if isinstance(value, Logo):
        return render_logo(value)
    if isinstance(value, CodeBlock):
        return render_code_block(value)
    return render_license(value)


def render_readme(page: ImagePage) -> str:
    """The whole ``README.md`` for ``page``, byte for byte as ``update.sh`` writes it."""
    note = None if page.note is None else render_spans(page.note)
    return fill_template(page.template_text(note=note), page.fields(), render_field)
