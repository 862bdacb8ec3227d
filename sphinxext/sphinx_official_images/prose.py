"""Markdown prose (``content.md``, variant files, ...) turned into docutils nodes.

The prose is parsed with MyST into a fresh sub-document, the way docutils'
``include`` directive handles its ``parser`` option, and its children are
moved into the page. This works the same from rST and from MyST pages, and
never round-trips through reStructuredText text.

Two things need care when nodes move between documents:

* ids: the sub-document numbered its own ids; they are re-registered in the
  page so two pieces of prose with the same headings never produce
  duplicate HTML ids;
* headings: the prose's sections become children of the section that holds
  the directive, so its ``#`` nests under the page's own title;
* raw HTML: turned into text unless the project allows it (HTML comments,
  which no Markdown renderer shows, are dropped);
* file access: prose cannot include, read or fetch anything (``include``,
  ``literalinclude``, ``raw :file:``/``:url:``, ``csv-table :url:`` are
  disabled), and its docutils messages go through Sphinx's logging, so they
  carry a location and ``-W`` sees them;
* locations: the text parsed is the template filled with several prose
  files, so its line numbers are not those of any file. :class:`SourceMap`
  finds each line in the prose files it came from, and the nodes and the
  warnings of the parse (MyST's, docutils', Sphinx directives') are given
  that ``file:line``;
* remote images: a builder that cannot show them (latex, epub...) would have
  Sphinx download them at build time; :class:`RemoteImagesAsLinks` turns the
  prose's remote images into links for those builders, so no build fetches.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from docutils import nodes
from docutils.utils import new_document

# Marks the remote images of image prose (see RemoteImagesAsLinks).
REMOTE = "official_images_remote"

# How far back a line's origin is looked for from an unambiguous line above it.
_MAX_WALK = 400


class SourceMap:
    """Where the lines of filled-in prose come from, found by their text.

    ``origins`` are the ``(path, text)`` of the prose files the text was
    assembled from. A line found in exactly one place is located there;
    otherwise the nearest line above it that is found in exactly one place
    anchors it (placeholders filled inside a line keep the line count).
    """

    def __init__(self, text: str, origins: Sequence[tuple[str, str]]) -> None:
        self.lines = text.split("\n")
        self.files = [(path, body.split("\n")) for path, body in origins]
        self.index: dict[str, list[tuple[int, int]]] = {}
        for number, (_, lines) in enumerate(self.files):
            for lineno, line in enumerate(lines, 1):
                if line.strip():
                    self.index.setdefault(line, []).append((number, lineno))

    def locate(self, line: int) -> tuple[str, int] | None:
        """``(path, line)`` of line ``line`` (1-based) of the text, None if unknown."""
        if not self.files or not 1 <= line <= len(self.lines):
            return None
        target = self.lines[line - 1]
        exact = self.index.get(target, []) if target.strip() else []
        if len(exact) == 1:
            return self._at(exact[0])
        for back in range(1, min(line, _MAX_WALK)):
            anchors = self.index.get(self.lines[line - 1 - back])
            if anchors is None or len(anchors) != 1:
                continue
            number, lineno = anchors[0]
            guess = (number, lineno + back)
            if exact:
                if guess in exact:
                    return self._at(guess)
                continue
            if guess[1] <= len(self.files[number][1]):
                return self._at(guess)
            break
        return self._at(exact[0]) if exact else None

    def _at(self, where: tuple[int, int]) -> tuple[str, int]:
        return self.files[where[0]][0], where[1]


class _Relocate(logging.Filter):
    """Gives the warnings of a sub-parse the ``file:line`` the map finds."""

    def __init__(self, source_map: SourceMap, docname: str | None, source: str) -> None:
        super().__init__()
        self.map = source_map
        self.docname = docname
        self.source = source

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_official_images_located", False):
            return True
        location = getattr(record, "location", None)
        line: int | None = None
        if isinstance(location, tuple) and len(location) == 2 and location[0] == self.docname:
            line = location[1] if isinstance(location[1], int) else None
        elif isinstance(location, str) and location.startswith(self.source + ":"):
            tail = location[len(self.source) + 1 :]
            line = int(tail) if tail.isdigit() else None
        elif isinstance(location, nodes.Node) and _node_source(location) == self.source:
            line = _node_line(location)
        if line is not None:
            found = self.map.locate(line)
            if found is not None:
                record.location = f"{found[0]}:{found[1]}"
                record._official_images_located = True
        return True


def _node_source(node: nodes.Node) -> str | None:
    while node is not None and getattr(node, "source", None) is None:
        node = node.parent
    return None if node is None else node.source


def _node_line(node: nodes.Node) -> int | None:
    while node is not None and getattr(node, "line", None) is None:
        node = node.parent
    return None if node is None else node.line


@contextmanager
def _relocated(relocate: _Relocate) -> Iterator[None]:
    """Run with ``relocate`` first in line on every handler of Sphinx's logger."""
    handlers = list(logging.getLogger("sphinx").handlers)
    for handler in handlers:
        handler.filters.insert(0, relocate)
    try:
        yield
    finally:
        for handler in handlers:
            if relocate in handler.filters:
                handler.removeFilter(relocate)


def _relocate_nodes(root: nodes.Node, source: str, source_map: SourceMap) -> None:
    """Give the parsed nodes the ``file:line`` they came from (for later warnings)."""
    for node in root.findall(nodes.Element):
        if node.line is not None and node.source == source:
            found = source_map.locate(node.line)
            if found is not None:
                node.source, node.line = found


def parse_markdown(
    text: str,
    document: nodes.document,
    source: str,
    allow_raw_html: bool = False,
    origins: Sequence[tuple[str, str]] = (),
) -> list[nodes.Node]:
    """Parse Markdown into nodes that can be inserted into ``document``.

    Raw HTML in the prose becomes visible text unless ``allow_raw_html``: prose
    comes from many hands, and a page must not run a stranger's script.
    ``origins`` are the ``(path, text)`` of the prose files ``text`` was
    filled from: nodes and warnings get their ``file:line`` (else ``source``
    and the line in ``text``).
    """
    # Imported here: myst_parser imports Sphinx, and this module is only used
    # from the Sphinx glue.
    from myst_parser.parsers.sphinx_ import MystParser
    from sphinx.util.docutils import LoggingReporter

    # Prose comes from many hands: it may not read the build machine's files
    # or fetch URLs, and raw output is only allowed when the project says so.
    settings = copy.copy(document.settings)
    settings.file_insertion_enabled = False
    settings.raw_enabled = allow_raw_html
    sub = new_document(source, settings)
    sub.reporter = LoggingReporter.from_reporter(sub.reporter)
    parser = MystParser()
    source_map = SourceMap(text, origins)
    env = getattr(settings, "env", None)
    relocate = _Relocate(source_map, getattr(env, "docname", None), source)
    with _relocated(relocate):
        parser.parse(text, sub)
        sub.transformer.populate_from_components((parser,))
        sub.transformer.apply_transforms()
    if origins:
        _relocate_nodes(sub, source, source_map)
    for image in sub.findall(nodes.image):
        if "://" in image.get("uri", ""):
            image[REMOTE] = True
    if not allow_raw_html:
        _neutralise_raw(sub)
    children = list(sub.children)
    for child in children:
        child.parent = None
        _detach(child)
    _adopt_ids(children, document)
    return children


def _detach(root: nodes.Node) -> None:
    """Forget the sub-document the nodes were built in.

    Every node created by the parse remembers ``sub`` as its ``document``;
    once moved, it must find the page's document through its parent instead.
    Otherwise pickling the page's doctree also pickles ``sub``, whose
    settings hold the whole build environment (megabytes per page).
    """
    for node in root.findall():
        node.document = None  # type: ignore[assignment]


def _is_comment(text: str) -> bool:
    text = text.strip()
    return text.startswith("<!--") and text.endswith("-->") and text.count("-->") == 1


# What MyST itself emits for a Markdown hard line break (two trailing spaces):
# not HTML from the prose, so it stays.
_HARD_BREAK = {("html", "<br />\n"), ("latex", "\\\\\n")}


def _neutralise_raw(node: nodes.Node) -> None:
    for raw in list(node.findall(nodes.raw)):
        if (raw.get("format"), raw.astext()) in _HARD_BREAK:
            continue
        text = raw.astext()
        if _is_comment(text):
            raw.parent.remove(raw)
            continue
        # shown as written: no smart quotes turning " into a curly quote
        replacement: nodes.Element
        if isinstance(raw.parent, nodes.TextElement):
            replacement = nodes.inline(text, text, classes=["raw-html"])
        else:
            replacement = nodes.paragraph(text, text, classes=["raw-html"])
        replacement["support_smartquotes"] = False
        raw.parent.replace(raw, replacement)


def _adopt_ids(children: list[nodes.Node], document: nodes.document) -> None:
    """Register the sub-document's ids in the page, renaming clashes."""
    renamed: dict[str, str] = {}
    for child in children:
        for node in child.findall(nodes.Element):
            ids = node.get("ids")
            if not ids:
                continue
            fresh = []
            for old in ids:
                new = old
                n = 1
                while new in document.ids and document.ids[new] is not node:
                    n += 1
                    new = f"{old}-{n}"
                document.ids[new] = node
                fresh.append(new)
                if new != old:
                    renamed[old] = new
            node["ids"] = fresh
            names: list[str] = node.get("names", [])
            for name in names:
                document.nameids.setdefault(name, node["ids"][0])
    if renamed:
        for child in children:
            for ref in child.findall(nodes.reference):
                refid = ref.get("refid")
                if refid in renamed:
                    ref["refid"] = renamed[refid]


def remote_images_as_links(document: nodes.document) -> None:
    """Replace the prose's remote images by links to them (their alt text as label)."""
    for image in list(document.findall(nodes.image)):
        if not image.get(REMOTE):
            continue
        label = image.get("alt") or image["uri"]
        parent = image.parent
        replacement: nodes.Node
        if parent is not None and any(isinstance(p, nodes.reference) for p in _ancestors(image)):
            replacement = nodes.Text(label)  # a linked image: keep the outer link
        else:
            replacement = nodes.reference("", label, refuri=image["uri"], internal=False)
            if not isinstance(parent, nodes.TextElement):
                replacement = nodes.paragraph("", "", replacement)
        image.replace_self(replacement)


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def remote_images_transform() -> type:
    """The post-transform (built on first use: this module imports no Sphinx at load)."""
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class RemoteImagesAsLinks(SphinxPostTransform):
        """Before Sphinx's ``ImageDownloader`` (priority 100) would fetch them."""

        default_priority = 90

        def run(self, **kwargs: object) -> None:
            builder = getattr(self.env, "_builder_cls", None) or self.app.builder
            if builder.supported_image_types and not builder.supported_remote_images:
                remote_images_as_links(self.document)

    return RemoteImagesAsLinks
