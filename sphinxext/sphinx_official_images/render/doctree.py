"""The docutils emitter: an :class:`~sphinx_official_images.view.page.ImagePage` as nodes.

It only formats. What the page says comes from the view model, the order in
which ``%%FIELD%%`` placeholders are filled from
:func:`~sphinx_official_images.view.template.fill_template`, and the Markdown
shapes of prose fields from :mod:`~sphinx_official_images.render.markdown`.

Structured data (the tag list, the architectures, code blocks) is built as
real nodes here, with an anchor and an index entry for every tag. Prose (the
docs folder's Markdown) is parsed with MyST. For a whole page, the template
is filled with the prose and with a unique token for each structured field,
parsed once, and every token is then replaced by the nodes built for it: a
token alone in a paragraph is a block (a tag list, a code block), a token
inside text is inline (the architecture links).

Only standard docutils and Sphinx nodes are produced, so every builder and
theme works without custom visitors. This module imports no Sphinx: the
Sphinx glue gives it, in :class:`EmitContext`, the prose parser and the
factory of Sphinx's index nodes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from docutils import nodes

from sphinx_official_images.model.names import tag_anchor
from sphinx_official_images.render import browse
from sphinx_official_images.render import figures as figures_nodes
from sphinx_official_images.render.markdown import render_field
from sphinx_official_images.render.prose import (
    ParseCache,
    ProseParser,
    parse_markdown,
    set_document,
)
from sphinx_official_images.view.bases import ImageBases
from sphinx_official_images.view.matrix import SupportMatrix
from sphinx_official_images.view.page import (
    SHARED_TAGS_FAQ,
    SHARED_TAGS_HEADING,
    SIMPLE_TAGS_HEADING,
    ArchList,
    CodeBlock,
    FieldValue,
    ImagePage,
    TagList,
    arch_note,
)
from sphinx_official_images.view.sizes import ImageFigures
from sphinx_official_images.view.template import Field, fill_template

# One entry of the general index: (type, text, target id, "main" or "", key),
# as Sphinx's index node holds them.
IndexEntry = tuple[str, str, str, str, str | None]


@dataclass
class EmitContext:
    """What the emitter needs from the page being built.

    ``prose_parser`` parses the prose. ``note_tag`` records a tag's anchor with
    the domain (None: not indexed, as with a directive's ``:no-index:``);
    ``index_node`` makes the node holding a tag's general-index entries (None
    leaves the tags out of the general index: ``:no-index-entry:``).
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
    index_node: Callable[[list[IndexEntry]], nodes.Node] | None = None
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


class _Splicer:
    """Tokens standing for structured fields while the Markdown is parsed."""

    def __init__(
        self, page: ImagePage, ctx: EmitContext, text_page: ImagePage | None = None
    ) -> None:
        self.page = page
        self.ctx = ctx
        # the page whose fields fill the Markdown (the same page, or one with
        # a sentinel for %%IMAGE%%: see readme_nodes)
        self.text_page = page if text_page is None else text_page
        self.values: dict[str, FieldValue] = {}

    def render(self, f: Field[FieldValue]) -> str:
        value = f.value
        structured = (isinstance(value, TagList | ArchList) and value.notice is None) or isinstance(
            value, CodeBlock
        )
        if not structured:
            return render_field(f)
        if isinstance(value, CodeBlock):
            # the later fields fill placeholders inside the block, as in the Markdown
            code = fill_template(value.code, self.page.fields_after(f.name), render_field)
            value = CodeBlock(value.language, code)
        token = f"{_TOKEN_PREFIX}{len(self.values)}X"
        self.values[token] = value
        return token

    def fill(self, text: str, after: str | None) -> str:
        return fill_template(text, self.text_page.fields_after(after), self.render)

    def parse(self, text: str, shared: Sequence[tuple[str, str]] = ()) -> list[nodes.Node]:
        children = self.ctx.markdown(text, shared)
        if self.values:
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
            tokens = [t for t in self.values if t in value]
            if not tokens or text.parent is None:
                continue
            para = text.parent
            if (
                isinstance(para, nodes.paragraph)
                and len(para.children) == 1
                and value.strip() in self.values
            ):
                self._replace_block(para, self.values[value.strip()])
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

    def _replace_inline(self, text: nodes.Text, tokens: list[str]) -> None:
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
            value = self.values[token]
            if isinstance(value, ArchList):
                pieces.extend(arch_nodes(value))
            elif isinstance(value, CodeBlock):
                pieces.append(nodes.literal(value.code, value.code))
            elif isinstance(value, TagList):
                pieces.append(nodes.Text(", ".join(t for line in value.simple for t in line.tags)))
            rest = rest[pos + len(token) :]
        index = parent.index(text)
        parent.children[index : index + 1] = []
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)


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
    """
    if ctx.note_tag is None:
        return
    arch = page.per_arch
    # The default view is where a tag is documented: its entries are "main"
    # (bold in the index, and first in the search results for the tag);
    # per-architecture copies are ordinary entries.
    main = "main" if arch is None else ""
    entries: list[IndexEntry] = []
    for tag in tags:
        anchor = tag_anchor(page.image, tag, arch)
        if anchor in ctx.document.ids or anchor in ctx._seen_anchors:
            continue
        ctx._seen_anchors.add(anchor)
        item["ids"].append(anchor)
        ctx.document.ids[anchor] = item
        ctx.note_tag(tag, anchor)
        entries.append(("single", f"{page.image_ref}; {tag}", item["ids"][0], main, None))
    if entries and ctx.index_node is not None:
        item.insert(0, ctx.index_node(entries))


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
        return ctx.markdown(tags.notice)
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
    """The FAQ sentence, the same on every page with shared tags: parsed once per
    build (per raw-HTML setting), copied for each page.

    It is no prose file's text: its nodes carry no source or line of their
    own, and take the page's where the page puts them.
    """
    key = ("shared-tags-faq", ctx.allow_raw_html)
    parsed = None if ctx.parses is None else ctx.parses.fragments.get(key)
    if parsed is None:
        parsed = ctx.markdown(SHARED_TAGS_FAQ)
        for root in parsed:
            for node in root.findall(nodes.Element):
                node.source, node.line = None, None
        set_document(parsed, None)  # keep no page's document alive
        if ctx.parses is not None:
            ctx.parses.fragments[key] = parsed
    copies = [node.deepcopy() for node in parsed]
    set_document(copies, ctx.document)
    return copies


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


# Stand for %%IMAGE%% in the Markdown of a whole page, and for the
# architecture and the repository in the per-architecture note, so that the
# views of one image parse the same texts (letters only: they parse like the
# names they stand for; see prose.parse_markdown).
IMAGE_SENTINEL = "oiimagerefsentinel"
ARCH_SENTINEL = "oiarchsentinel"
REPO_SENTINEL = "oireposentinel"


def readme_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """The whole page, as the Hub README says it (without the generated-file comment).

    The per-architecture note is a paragraph of its own at the top; it is
    parsed on its own, so that the rest of the text is the same for every
    view of the image that has the same variant sections. Both texts are
    parsed with sentinels for the view's names, once for all the views that
    share them (see :func:`~sphinx_official_images.render.prose.parse_markdown`).
    """
    prose = [f.value for f in page.fields() if isinstance(f.value, str)]
    sentinels = (IMAGE_SENTINEL, ARCH_SENTINEL, REPO_SENTINEL)
    if any(s in text for text in (page.template, *prose) for s in sentinels):
        splicer = _Splicer(page, ctx)
        skeleton = page.template_text(warning=False)
        return splicer.parse(splicer.fill(skeleton, None))
    splicer = _Splicer(page, ctx, dataclasses.replace(page, image_ref=IMAGE_SENTINEL))
    skeleton = page.template_text(warning=False, note=False)
    body = splicer.parse(splicer.fill(skeleton, None), [(IMAGE_SENTINEL, page.image_ref)])
    if page.note is None:
        return body
    return [*_note_nodes(page, ctx), *body]


def _note_nodes(page: ImagePage, ctx: EmitContext) -> list[nodes.Node]:
    """The per-architecture note (no placeholders: the fields do not apply)."""
    if page.note != arch_note(page.arch, page.image):
        return ctx.markdown(page.note or "")
    template = arch_note(ARCH_SENTINEL, REPO_SENTINEL)
    names = [(ARCH_SENTINEL, page.arch), (REPO_SENTINEL, page.image)]
    # the note is not taken from the prose files: nothing to locate in them
    return parse_markdown(
        template,
        ctx.document,
        ctx.source,
        ctx.prose_parser,
        ctx.allow_raw_html,
        (),
        names,
        ctx.parses,
    )


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
    table = nodes.table(classes=[browse.MATRIX])
    group = nodes.tgroup(cols=2 + len(arches))
    table += group
    for width in _matrix_widths(matrix):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    header = nodes.row()
    for title, classes in (
        ("Tag", []),
        *((arch, [browse.MATRIX_ARCH]) for arch in arches),
        ("Other tags", []),
    ):
        entry = nodes.entry(classes=classes)
        entry += nodes.paragraph(title, title)
        header += entry
    head += header
    body = nodes.tbody()
    group += body
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
