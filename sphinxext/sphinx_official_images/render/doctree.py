"""The docutils emitter: an :class:`~sphinx_official_images.view.page.ImagePage` as nodes.

It only formats the view model. What the page says comes from the view
model, the order in which ``%%FIELD%%`` placeholders are filled from
:meth:`~sphinx_official_images.view.page.ImagePage.fields` and
:func:`~sphinx_official_images.view.template.fill_template`.

Two kinds of field:

* **prose**, the docs folder's Markdown (``content.md``, the variant files,
  ``license.md``, ``maintainer.md``...) and the plain string fields
  (``%%IMAGE%%``, ``%%REPO%%``...). A string field's text is substituted into
  the prose *before* it is parsed, because that is what ``update.sh`` does:
  ``%%IMAGE%%`` inside a link of ``content.md`` becomes part of that link, and
  text inserted by a field is searched by every later field. The variants'
  block (:attr:`~sphinx_official_images.view.page.Variants.substituted`) is
  prose too: its headings nest with the page's, as MyST nests them. Prose is
  the only thing parsed, with MyST.
* **structured** fields, built as nodes from the view model's data: the tag
  list (an anchor and an index entry per tag; its notices and the shared-tags
  FAQ sentence from their styled runs,
  :mod:`~sphinx_official_images.view.texts`), the architectures, code blocks,
  the logo (one image of the logo's URL, whatever characters it holds), the
  license (a section titled :data:`LICENSE_HEADING` holding the parsed
  ``license.md`` text), the deprecation notice (a section under update.sh's
  bold heading holding the parsed ``deprecated.md``) and the
  per-architecture note (a paragraph of styled runs). The prose is filled
  with a unique token for each, parsed once, and every token is then
  replaced by its nodes: a token alone in a paragraph is a block (a tag
  list, a code block), a token inside text is inline (the architecture
  links, the logo); a section goes where a level-1 heading goes, taking
  what followed it as Markdown would. A token inside code (or raw HTML
  shown as text) shows as the characters ``update.sh`` inserts there: the
  Markdown emitter's text, never parsed.

Nothing here parses or edits Markdown the Markdown emitter wrote. Only
standard docutils and Sphinx nodes are produced, so every builder and theme
works without custom visitors. This module imports no Sphinx: the Sphinx glue
gives it, in :class:`EmitContext`, the prose parser and the factory of
Sphinx's index nodes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from docutils import nodes

from sphinx_official_images.model.names import tag_anchor
from sphinx_official_images.render import browse
from sphinx_official_images.render import figures as figures_nodes
from sphinx_official_images.render.markdown import render_field
from sphinx_official_images.render.prose import (
    RAW_HTML,
    REMOTE,
    ParseCache,
    ProseParser,
    adopt_ids,
    parse_markdown,
)
from sphinx_official_images.view.bases import ImageBases
from sphinx_official_images.view.matrix import SupportMatrix
from sphinx_official_images.view.page import (
    ArchList,
    CodeBlock,
    FieldValue,
    ImagePage,
    LicenseSection,
    Logo,
    TagList,
    Variants,
)
from sphinx_official_images.view.sizes import ImageFigures
from sphinx_official_images.view.template import (
    DEPRECATION_WORDS,
    Field,
    deprecation_notice,
    fill_template,
    has_own_heading,
    shell_value,
)
from sphinx_official_images.view.texts import (
    LICENSE_HEADING,
    LOGO_ALT,
    SHARED_TAGS_FAQ,
    SHARED_TAGS_HEADING,
    SIMPLE_TAGS_HEADING,
    Spans,
)

# One entry of the general index: (type, text, target id, "main" or "", key),
# as Sphinx's index node holds them.
IndexEntry = tuple[str, str, str, str, str | None]


@dataclass
class EmitContext:
    """What the emitter needs from the page being built.

    ``prose_parser`` parses the prose. ``note_tag`` records a tag's anchor with
    the domain (None: not indexed, as with a directive's ``:no-index:``);
    ``index_node`` makes the node holding a tag's general-index entries, given
    them and the entries HTML's search matches instead (see :func:`_anchor`;
    None leaves the tags out of the general index: ``:no-index-entry:``).
    ``origins`` are the ``(path, text)`` of the page's prose files, to locate
    warnings in them.
    ``parses`` is the build's cache of parses shared between pages (None:
    parse each time).
    """

    document: nodes.document
    source: str
    prose_parser: ProseParser
    allow_raw_html: bool = False
    note_tag: Callable[[str, str], None] | None = None
    origins: Sequence[tuple[str, str]] = ()
    index_node: Callable[[list[IndexEntry], list[IndexEntry]], nodes.Node] | None = None
    parses: ParseCache | None = None
    figures: ImageFigures | None = None
    # base images under each tag entry (meta), each FROM value shown by base_link
    bases: ImageBases | None = None
    base_link: figures_nodes.RefNode | None = None
    _seen_anchors: set[str] = field(default_factory=set)
    # the tag lists emitted so far (see search_tags_only)
    tag_lists: list[nodes.Node] = field(default_factory=list)

    def markdown(self, text: str, shared: Sequence[tuple[str, str]] = ()) -> list[nodes.Node]:
        return parse_markdown(
            text,
            self.document,
            self.source,
            self.prose_parser,
            self.allow_raw_html,
            self.origins,
            shared,
            self.parses,
        )


# -- filling prose -------------------------------------------------------------


_TOKEN_PREFIX = "OIFIELDTOKEN"


def _texts_with(root: nodes.Element, needle: str) -> list[nodes.Text]:
    """The Text nodes under ``root`` that contain ``needle``, in document order.

    A plain walk over the children lists: ``findall`` costs a generator frame
    per node, and a README page has thousands of nodes but a handful of tokens.
    """
    found: list[nodes.Text] = []
    stack: list[nodes.Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Text):
            if needle in node:
                found.append(node)
        elif isinstance(node, nodes.Element):
            stack.extend(reversed(node.children))
    return found


# Where a token shows as the characters update.sh inserts (never parsed):
# code, raw output, and raw HTML shown as text.
def _in_literal(node: nodes.Node | None) -> bool:
    while node is not None:
        if isinstance(node, nodes.FixedTextElement | nodes.literal):
            return True
        if isinstance(node, nodes.Element) and RAW_HTML in node["classes"]:
            return True
        node = node.parent
    return False


def _enclosing(node: nodes.Node, kind: type[nodes.Element]) -> nodes.Element | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, kind):
        parent = parent.parent
    return parent


def _deepest_open(section: nodes.Element) -> nodes.Element:
    """Where body text after ``section``'s heading goes: its last subsection's last..."""
    while section.children and isinstance(section.children[-1], nodes.section):
        section = section.children[-1]
    return section


def _attach(section: nodes.Element, following: Sequence[nodes.Node]) -> None:
    """Put the nodes that followed a spliced section where Markdown puts them:
    body elements into its deepest open section, subsections into it."""
    for node in following:
        node.parent = None
        if isinstance(node, nodes.section):
            section += node
        else:
            _deepest_open(section).append(node)


class _SectionToken(NamedTuple):
    """A top-level section a token stands for, and update.sh's Markdown of it."""

    title: nodes.title
    body: str
    after: str | None
    markdown: str


class _Splicer:
    """Tokens standing for structured fields while the prose is parsed.

    ``render`` is :func:`~sphinx_official_images.view.template.fill_template`'s
    callback: prose fields (text, the variants' block) are substituted as
    text, every structured field (tags, architectures, code, logo, license)
    as a token, which :meth:`parse` replaces by the nodes built for it.
    """

    def __init__(
        self,
        page: ImagePage,
        ctx: EmitContext,
        text_page: ImagePage | None = None,
        shared: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.page = page
        self.ctx = ctx
        # the page whose fields fill the Markdown (the same page, or one with
        # a sentinel for %%IMAGE%%: see readme_nodes), and the sentinels
        self.text_page = page if text_page is None else text_page
        self.shared = tuple(shared)
        self.values: dict[str, Field[FieldValue]] = {}
        # tokens standing for a top-level section: what to build it from (its
        # title, its prose and the field it follows), and the Markdown update.sh
        # writes for it (shown as text inside code). Data, not closures over
        # the splicer: a closure would make the splicer a reference cycle that
        # holds the page's nodes until the cyclic collector runs (see
        # sphinx_ext/release.py).
        self.sections: dict[str, _SectionToken] = {}

    def _token(self) -> str:
        return f"{_TOKEN_PREFIX}{len(self.values) + len(self.sections)}X"

    def render(self, f: Field[FieldValue]) -> str:
        value = f.value
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, Variants):
            return value.substituted
        if isinstance(value, CodeBlock):
            # the later fields fill placeholders inside the block, as in the Markdown
            code = fill_template(value.code, self.page.fields_after(f.name), render_field)
            f = Field(f.name, CodeBlock(value.language, code), f.trim_blanks)
        token = self._token()
        if isinstance(value, LicenseSection):
            title = nodes.title(LICENSE_HEADING, LICENSE_HEADING)
            self.sections[token] = _SectionToken(
                title, value.body, "LICENSE", shell_value(render_field(f))
            )
            # update.sh's license is a heading: it starts a block of its own
            return f"\n\n{token}\n\n"
        self.values[token] = f
        return token

    def deprecation(self, text: str) -> str:
        """:meth:`~sphinx_official_images.view.page.ImagePage.template_text`'s
        ``notice``: ``deprecated.md`` under update.sh's heading, as a section
        token (a file with its own heading is prose, kept as it is)."""
        text = text.rstrip("\n")
        if has_own_heading(text):
            return text
        words = nodes.strong(DEPRECATION_WORDS, DEPRECATION_WORDS)
        token = self._token()
        self.sections[token] = _SectionToken(
            nodes.title("", "", words), text, None, deprecation_notice(text)
        )
        return token

    def fill(self, text: str, after: str | None) -> str:
        return fill_template(text, self.text_page.fields_after(after), self.render)

    def parse(self, text: str) -> list[nodes.Node]:
        children = self.ctx.markdown(text, self.shared)
        if self.values or self.sections:
            holder = nodes.container()
            holder.extend(children)
            self._splice(holder)
            children = list(holder.children)
            for child in children:
                child.parent = None
        return children

    def _splice(self, root: nodes.Element) -> None:
        for text in _texts_with(root, _TOKEN_PREFIX):
            value = text.astext()
            tokens = [t for t in (*self.values, *self.sections) if t in value]
            if not tokens or text.parent is None:
                continue
            para = text.parent
            if _in_literal(para):
                self._replace_inline(text, tokens, literal=True)
                continue
            section_token = next((t for t in tokens if t in self.sections), None)
            if section_token is not None and _enclosing(text, nodes.paragraph) is not None:
                self._place_section(text, section_token, root)
                continue
            alone = self.values.get(value.strip())
            if (
                isinstance(para, nodes.paragraph)
                and len(para.children) == 1
                and alone is not None
                and isinstance(alone.value, TagList | ArchList | CodeBlock)
            ):
                self._replace_block(para, alone.value)
            else:
                self._replace_inline(text, tokens)

    def _replace_block(self, para: nodes.paragraph, value: FieldValue) -> None:
        parent = para.parent
        assert parent is not None
        as_sections = isinstance(parent, nodes.section | nodes.document | nodes.container)
        if isinstance(value, TagList):
            new = tag_list_nodes(self.page, value, self.ctx, sections=as_sections)
        elif isinstance(value, ArchList):
            new = [nodes.paragraph("", "", *arch_nodes(value))]
        else:
            assert isinstance(value, CodeBlock)
            new = [code_block_node(value)]
        index = parent.index(para)
        following = parent.children[index + 1 :]
        del parent.children[index:]
        parent.extend(new)
        last = new[-1] if new else None
        if isinstance(last, nodes.section):
            # Body text after the list belongs to its last section, as in Markdown.
            body = [n for n in following if not isinstance(n, nodes.section)]
            rest = [n for n in following if isinstance(n, nodes.section)]
            for n in body:
                n.parent = None
            last.extend(body)
            following = rest
        for n in following:
            n.parent = None
        parent.extend(following)

    def _place_section(self, text: nodes.Text, token: str, root: nodes.Element) -> None:
        """A section update.sh starts with a level-1 heading (``# License``...),
        placed as Markdown places it.

        The section goes where a level-1 heading puts it: after the top-level
        section holding the token. What followed the token goes into it, as
        it would follow the section's text (body text, subsections); sections
        that followed at the top level stay there, after it.
        """
        para = _enclosing(text, nodes.paragraph)
        assert para is not None
        before, _, after = text.astext().partition(token)
        self._replace_text(text, [nodes.Text(p) for p in (before, after) if p])
        keep = bool(para.astext().strip())
        spec = self.sections[token]
        section = self._section(spec.title, spec.body, spec.after)
        container = para.parent
        assert container is not None
        index = container.index(para)
        if not isinstance(container, nodes.section | nodes.container | nodes.document):
            # inside a list, a table...: a heading there is a rubric
            title = section[0]
            assert isinstance(title, nodes.title)
            new: list[nodes.Node] = [nodes.rubric("", "", *title.children)]
            new += section.children[1:]
            start = index + 1 if keep else index
            del container.children[start : index + 1]
            for offset, node in enumerate(new):
                node.parent = None
                container.insert(start + offset, node)
            return
        tail: list[nodes.Node] = [para] if keep else []
        following = container.children[index + 1 :]
        del container.children[index:]
        while container is not root and isinstance(container, nodes.section):
            parent = container.parent
            assert parent is not None
            tail += following
            index = parent.index(container)
            following = parent.children[index + 1 :]
            del parent.children[index + 1 :]
            container = parent
        # ``following``: what came after the token's top-level node
        container.append(section)
        _attach(section, [*tail, *(n for n in following if not isinstance(n, nodes.section))])
        for node in following:
            if isinstance(node, nodes.section):
                node.parent = None
                container.append(node)

    def _section(self, title: nodes.title, body: str, after: str | None) -> nodes.section:
        """A section titled ``title`` holding the prose ``body``, filled with the
        fields after ``after``, parsed."""
        section = nodes.section()
        section += title
        # the id and name MyST gives a heading, clashes renamed as for the prose
        name = title.astext()
        section["names"].append(nodes.fully_normalize_name(name))
        section["ids"].append(nodes.make_id(name))
        adopt_ids([section], self.ctx.document)
        section.extend(self.parse(self.fill(body, after)))
        return section

    @staticmethod
    def _replace_text(text: nodes.Text, pieces: Sequence[nodes.Node]) -> None:
        parent = text.parent
        assert parent is not None
        index = parent.index(text)
        parent.children[index : index + 1] = []
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)

    def _replace_inline(self, text: nodes.Text, tokens: list[str], literal: bool = False) -> None:
        parent = text.parent
        assert parent is not None
        pieces: list[nodes.Node] = []
        rest = text.astext()
        while rest:
            positions = [(rest.find(t), t) for t in tokens if t in rest]
            if not positions:
                pieces.append(nodes.Text(rest))
                break
            pos, token = min(positions)
            if pos:
                pieces.append(nodes.Text(rest[:pos]))
            pieces.extend(self._inline(token, parent, literal))
            rest = rest[pos + len(token) :]
        if literal:
            # characters in code: one text node, as the parser made it
            pieces = [nodes.Text("".join(p.astext() for p in pieces))]
        self._replace_text(text, pieces)

    def _inline(self, token: str, parent: nodes.Element, literal: bool) -> list[nodes.Node]:
        if token in self.sections:
            # a section's token not in a paragraph of its own: its Markdown as text
            return [nodes.Text(self.sections[token].markdown)]
        f = self.values[token]
        value = f.value
        if literal:
            # in code the reader sees what update.sh inserted, character for character
            return [nodes.Text(shell_value(render_field(f)))]
        if isinstance(value, ArchList):
            return arch_nodes(value)
        if isinstance(value, CodeBlock):
            return [nodes.literal(value.code, value.code)]
        if isinstance(value, TagList):
            if value.notice is not None:
                return span_nodes(value.notice)
            return [nodes.Text(", ".join(t for line in value.simple for t in line.tags))]
        if isinstance(value, Logo):
            return [logo_node(value, parent)]
        return []


# Sphinx (8+) leaves elements with this class out of its search index.
NO_SEARCH = "no-search"


def search_tags_only(roots: Sequence[nodes.Node], tag_lists: Sequence[nodes.Node]) -> None:
    """Leave everything under ``roots`` but the tag lists out of the search index.

    With no ``tag_lists``, everything (``:search: none``).

    For pages that repeat prose indexed elsewhere (a generated architecture
    page repeats its default view): the page is still found by its title and
    by every tag, but a search for words of the prose lists the one page that
    owns it instead of a copy per architecture, and Sphinx does not stem the
    same text again for every copy. Elements on the way down to a tag list
    (its section) are walked into; every other element is marked.
    """
    keep = {id(n) for n in tag_lists}
    above: set[int] = set()
    for n in tag_lists:
        parent = n.parent
        while parent is not None and id(parent) not in above:
            above.add(id(parent))
            parent = parent.parent
    stack = list(roots)
    while stack:
        node = stack.pop()
        if id(node) in keep or not isinstance(node, nodes.Element):
            continue
        if id(node) in above:
            stack.extend(node.children)
        elif NO_SEARCH not in node["classes"]:
            node["classes"].append(NO_SEARCH)


# -- structured pieces --------------------------------------------------------------


def _literals(tags: Sequence[str], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, tag in enumerate(tags):
        if i:
            out.append(nodes.Text(sep))
        out.append(nodes.literal(tag, tag))
    return out


def _linked(children: list[nodes.Node], url: str | None) -> list[nodes.Node]:
    if url is None:
        return children
    ref = nodes.reference("", "", *children, refuri=url, internal=False)
    return [ref]


def _anchor(item: nodes.Element, page: ImagePage, tags: Sequence[str], ctx: EmitContext) -> None:
    """Give ``item`` an id and an index entry per tag, once per page.

    Every index entry of the item points at the item itself (its first id),
    so that a search lists one entry once, however many of its tags match.

    The general index groups the tags under their image (``python;
    3.14-slim``). Sphinx's search matches each level of an entry on its own,
    so there the image's name would find every one of its tags: HTML's search
    gets the tag and its full name instead (``3.14-slim; python:3.14-slim``,
    :mod:`~sphinx_official_images.sphinx_ext.search`).
    """
    if ctx.note_tag is None:
        return
    arch = page.per_arch
    ref = page.image_ref
    # The default view is where a tag is documented: its entries are "main"
    # (bold in the index, and first in the search results for the tag);
    # per-architecture copies are ordinary entries.
    main = "main" if arch is None else ""
    entries: list[IndexEntry] = []
    searched: list[IndexEntry] = []
    for tag in tags:
        anchor = tag_anchor(page.image, tag, arch)
        if anchor in ctx.document.ids or anchor in ctx._seen_anchors:
            continue
        ctx._seen_anchors.add(anchor)
        item["ids"].append(anchor)
        ctx.document.ids[anchor] = item
        ctx.note_tag(tag, anchor)
        entries.append(("single", f"{ref}; {tag}", item["ids"][0], main, None))
        searched.append(("single", f"{tag}; {ref}:{tag}", item["ids"][0], main, None))
    if entries and ctx.index_node is not None:
        item.insert(0, ctx.index_node(entries, searched))


def _heading(title: str, ctx: EmitContext, section: bool) -> nodes.Element:
    if not section:
        return nodes.rubric(title, title)
    node = nodes.section()
    node += nodes.title(title, title)
    node["names"].append(nodes.fully_normalize_name(title))
    ctx.document.note_implicit_target(node, node)
    return node


def tag_list_nodes(
    page: ImagePage, tags: TagList, ctx: EmitContext, sections: bool = False
) -> list[nodes.Node]:
    """The "Supported tags" list; ``sections`` makes its two headings real sections."""
    if tags.notice is not None:
        return [nodes.paragraph("", "", *span_nodes(tags.notice))]
    out = _tag_list_nodes(page, tags, ctx, sections)
    ctx.tag_lists.extend(out)
    return out


def _tag_list_nodes(
    page: ImagePage, tags: TagList, ctx: EmitContext, sections: bool
) -> list[nodes.Node]:
    simple = nodes.bullet_list(bullet="-", classes=[browse.TAGS, browse.TAGS_START])
    for line in tags.simple:
        item = nodes.list_item()
        para = nodes.paragraph("", "", *_linked(_literals(line.tags), line.url))
        item += para
        if ctx.figures is not None:
            _entry_figures(item, ctx.figures, line.tags)
        if ctx.bases is not None:
            _entry_bases(item, ctx, line.tags)
        item += browse.pull_snippet(page.image_ref, line.tags[0])
        _anchor(item, page, line.tags, ctx)
        simple += item
    if not tags.grouped:
        return [simple]

    shared = nodes.bullet_list(bullet="-", classes=[browse.TAGS])
    for group in tags.shared:
        item = nodes.list_item()
        item += nodes.paragraph("", "", *_literals(group.shared_tags), nodes.Text(":"))
        item += browse.pull_snippet(page.image_ref, group.shared_tags[0])
        inner = nodes.bullet_list(bullet="-")
        for entry in group.items:
            sub = nodes.list_item()
            sub += nodes.paragraph("", "", *_linked(_literals([entry.tag]), entry.url))
            inner += sub
        item += inner
        _anchor(item, page, group.shared_tags, ctx)
        shared += item

    faq = _shared_faq_nodes(ctx)
    simple_head = _heading(SIMPLE_TAGS_HEADING, ctx, sections)
    shared_head = _heading(SHARED_TAGS_HEADING, ctx, sections)
    if sections:
        simple_head += simple
        shared_head += shared
        return [*faq, simple_head, shared_head]
    return [*faq, simple_head, simple, shared_head, shared]


def _entry_figures(item: nodes.Element, figures: ImageFigures, tags: Sequence[str]) -> None:
    row = figures.for_tag(tags[0]) if tags else None
    node = None if row is None else figures_nodes.entry_figures_node(row)
    if node is not None:
        item += node


def _entry_bases(item: nodes.Element, ctx: EmitContext, tags: Sequence[str]) -> None:
    assert ctx.bases is not None
    row = ctx.bases.for_tag(tags[0]) if tags else None
    link = ctx.base_link or figures_nodes.plain_ref
    node = None if row is None else figures_nodes.entry_bases_node(row, link)
    if node is not None:
        item += node


def _shared_faq_nodes(ctx: EmitContext) -> list[nodes.Node]:
    """The FAQ sentence above the simple tags of a manifest with shared tags."""
    return [nodes.paragraph("", "", *span_nodes(SHARED_TAGS_FAQ))]


def span_nodes(spans: Spans) -> list[nodes.Node]:
    """A sentence update.sh hard-codes (:mod:`~sphinx_official_images.view.texts`), inline."""
    out: list[nodes.Node] = []
    for span in spans:
        text = span.text
        if span.style == "strong":
            out.append(nodes.strong(text, text))
        elif span.style == "emphasis":
            out.append(nodes.emphasis(text, text))
        elif span.style == "code":
            out.append(nodes.literal(text, text))
        elif span.style == "link" and span.url is not None:
            inner = span_nodes(span.children) if span.children else [nodes.Text(text)]
            out.append(nodes.reference("", "", *inner, refuri=span.url))
        else:
            out.append(nodes.Text(text))
    return out


def logo_node(logo: Logo, where: nodes.Node | None = None) -> nodes.image:
    """The logo, an image of its URL (a remote image, as prose's are: see
    :data:`~sphinx_official_images.render.prose.REMOTE`); ``where`` gives it
    a source and line."""
    image = nodes.image("", uri=logo.url, alt=LOGO_ALT)
    if "://" in logo.url:
        image[REMOTE] = True
    while where is not None and getattr(where, "source", None) is None:
        where = where.parent
    if where is not None:
        image.source, image.line = where.source, where.line
    return image


def arch_nodes(arches: ArchList) -> list[nodes.Node]:
    """The architecture links, inline."""
    if arches.notice_words is not None:
        return [nodes.strong(arches.notice_words, arches.notice_words)]
    out: list[nodes.Node] = []
    for i, link in enumerate(arches.arches):
        if i:
            out.append(nodes.Text(", "))
        out.extend(_linked([nodes.literal(link.arch, link.arch)], link.url))
    return out


def code_block_node(block: CodeBlock, caption: str | None = None) -> nodes.Element:
    """A highlighted literal block (with an optional caption)."""
    literal = nodes.literal_block(block.code, block.code)
    literal["language"] = block.language or "text"
    if caption is None:
        return literal
    container = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
    container += nodes.caption(caption, caption)
    container += literal
    return container


# -- whole parts ---------------------------------------------------------------------


# Stands for %%IMAGE%% in the Markdown of a whole page, so that the views of
# one image parse the same text (letters only: it parses like the names it
# stands for; see prose.parse_markdown).
IMAGE_SENTINEL = "oiimagerefsentinel"


def readme_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """The whole page, as the Hub README says it (without the generated-file comment).

    The per-architecture note, a paragraph of its own at the top, is built
    from its runs; the rest of the text is then the same for every view of
    the image that has the same variant sections, and is parsed with a
    sentinel for ``%%IMAGE%%``, once for all the views that share it (see
    :func:`~sphinx_official_images.render.prose.parse_markdown`).
    """
    prose = [f.value for f in page.fields() if isinstance(f.value, str)]
    if any(IMAGE_SENTINEL in text for text in (page.template, *prose)):
        splicer = _Splicer(page, ctx)
    else:
        text_page = dataclasses.replace(page, image_ref=IMAGE_SENTINEL)
        splicer = _Splicer(page, ctx, text_page, [(IMAGE_SENTINEL, page.image_ref)])
    skeleton = page.template_text(warning=False, notice=splicer.deprecation)
    body = splicer.parse(splicer.fill(skeleton, None))
    if page.note is None:
        return body
    return [nodes.paragraph("", "", *span_nodes(page.note)), *body]


def content_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """``content.md`` with its placeholders filled."""
    splicer = _Splicer(page, ctx)
    return splicer.parse(splicer.fill(page.content, "CONTENT"))


def variants_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """The "Image Variants" sections (nothing when the image has none)."""
    if page.variants is None:
        return []
    splicer = _Splicer(page, ctx)
    return splicer.parse(splicer.fill(page.variants.body, "VARIANT"))


def license_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """``license.md`` and the shared license note (no heading: the page has its own)."""
    if page.license is None:
        return []
    splicer = _Splicer(page, ctx)
    return splicer.parse(splicer.fill(page.license.body, "LICENSE"))


def tags_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """The tag list for a directive (rubrics, so it fits anywhere)."""
    return tag_list_nodes(page, page.tags, ctx, sections=False)


def arches_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    return [nodes.paragraph("", "", *arch_nodes(page.arches))]


def quickref_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """The quick-reference facts as a field list."""
    splicer = _Splicer(page, ctx)

    def prose(name: str, text: str) -> list[nodes.Node]:
        parsed = splicer.parse(splicer.fill(text, name))
        return parsed or [nodes.paragraph()]

    rows: list[tuple[str, list[nodes.Node]]] = [
        ("Maintained by", prose("MAINTAINER", page.maintainer)),
        ("Where to get help", prose("GET-HELP", page.get_help)),
        ("Where to file issues", prose("ISSUES", page.issues)),
        ("Supported architectures", arches_nodes(page, ctx)),
    ]
    if page.github_repo:
        rows.append(("Source repository", prose("GITHUB-REPO", f"<{page.github_repo}>")))
    if page.note is not None:
        rows.insert(
            0, ("Architecture", [nodes.paragraph("", "", nodes.literal(page.arch, page.arch))])
        )
    field_list = nodes.field_list(classes=[browse.QUICKREF])
    for label, body in rows:
        f = nodes.field()
        f += nodes.field_name(label, label)
        fbody = nodes.field_body()
        fbody.extend(body)
        f += fbody
        field_list += f
    return [field_list]


def usage_node(page: ImagePage, body: str, language: str, caption: str | None) -> nodes.Element:
    """A snippet whose ``%%IMAGE%%``, ``%%REPO%%``... follow the page's view."""
    text = fill_template(body, page.fields(), render_field)
    return code_block_node(CodeBlock(language, text), caption)


def _matrix_widths(matrix: SupportMatrix) -> list[int]:
    """Column widths in characters, as an rST table's source would give them.

    The text and LaTeX writers size columns by them; a width of 1 also
    sends Sphinx 7.4's text writer into an endless loop on longer words.
    """
    first = max((len(row.tags[0]) for row in matrix.rows), default=0)
    others = max((len(", ".join(row.tags[1:])) for row in matrix.rows), default=0)
    widths = [max(len("Tag"), first)]
    widths += [len(arch) for arch in matrix.arches]
    widths += [max(len("Other tags"), others)]
    return [min(max(width, 2), _MAX_COLUMN) for width in widths]


# Wider cells wrap (the "other tags" of an entry can be a long list).
_MAX_COLUMN = 30


def matrix_nodes(matrix: SupportMatrix, figures: ImageFigures | None = None) -> list[nodes.Node]:
    """Entries by architectures, each cell linking that architecture's Dockerfile
    (and, with ``figures``, giving its compressed size).

    The other tags of an entry come last: in HTML they stay on one line
    (browse's CSS) and are reached by scrolling the matrix's own box, the
    architecture columns next to the tag; other writers wrap them.
    """
    arches = list(matrix.arches)
    header = [
        nodes.entry("", nodes.paragraph(title, title), classes=classes)
        for title, classes in (
            ("Tag", []),
            *((arch, [browse.MATRIX_ARCH]) for arch in arches),
            ("Other tags", []),
        )
    ]
    table, body = browse.table_skeleton([browse.MATRIX], _matrix_widths(matrix), header)
    for row in matrix.rows:
        r = nodes.row()
        first = nodes.entry()
        first += nodes.paragraph("", "", nodes.literal(row.tags[0], row.tags[0]))
        r += first
        for cell in row.cells:
            e = nodes.entry(classes=[browse.MATRIX_ARCH])
            if cell.supported:
                mark = nodes.Text("✓")
                e += nodes.paragraph(
                    "",
                    "",
                    *_linked([mark], cell.url),
                    *figures_nodes.matrix_cell_figure(figures, row.tags[0], cell.arch),
                )
            r += e
        others = nodes.entry()
        others += nodes.paragraph("", "", *_literals(row.tags[1:]))
        r += others
        body += r
    return [browse.matrix_box(table)]
