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
* link destinations: myst-parser before 5.2 HTML-escapes a Markdown link's
  URL into ``refuri`` (``?a=1&amp;b=2``), which the HTML writer escapes
  again, so the link goes somewhere else (MyST-Parser issues 760, 1028,
  1116; fixed by pull request 1126). :func:`_unescape_destinations` undoes
  that where the installed myst-parser is found to do it;
* remote images: a builder that cannot show them (latex, epub...) would have
  Sphinx download them at build time; they are marked here, and
  :func:`remote_images_as_links` turns them into links for those builders
  (the Sphinx glue runs it as a post-transform), so no build fetches.

This module knows no Sphinx application: which MyST parser reads the prose
and which reporter its sub-document reports through come in a
:class:`ProseParser` (the Sphinx glue gives MyST's Sphinx parser and Sphinx's
logging reporter).
"""

from __future__ import annotations

import copy
import logging
import pickle
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from docutils import nodes
from docutils.parsers import Parser
from docutils.utils import Reporter, new_document

# Marks the remote images of image prose (see RemoteImagesAsLinks).
REMOTE = "official_images_remote"
# The class of raw HTML shown as text (raw HTML not allowed).
RAW_HTML = "raw-html"

# How far back a line's origin is looked for from an unambiguous line above it.
_MAX_WALK = 400


@dataclass(frozen=True)
class ProseParser:
    """How prose is parsed: a fresh parser for each parse, and the reporter of its
    sub-document made from docutils' own (so that its messages reach the
    application's logging with a location)."""

    parser: Callable[[], Parser]
    reporter: Callable[[Reporter], Reporter]
    # whether that parser HTML-escapes link destinations (myst-parser up to
    # 5.1 does: ``&`` becomes ``&amp;``), so the links are mended after it
    escapes_destinations: Callable[[], bool] = lambda: False


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
        # warnings of the parse, as they were logged (located), for replaying
        self.records: list[logging.LogRecord] = []
        self._seen: set[int] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if id(record) in self._seen:
            return True
        self._seen.add(id(record))
        _myst_type(record)
        self._locate(record)
        if record.levelno >= logging.WARNING:
            self.records.append(copy.copy(record))
        return True

    def _locate(self, record: logging.LogRecord) -> None:
        if getattr(record, "_official_images_located", False):
            return
        location = getattr(record, "location", None)
        line: int | None = None
        # A ``(docname, line)`` tuple; myst-parser < 5 puts the parsed
        # document's source where the docname goes (Sphinx would then show it
        # as ``<source>.rst:<line>``), so that is accepted too.
        if (
            isinstance(location, tuple)
            and len(location) == 2
            and location[0] in (self.docname, self.source)
        ):
            line = location[1] if isinstance(location[1], int) else None
            if location[0] == self.source and line is not None:
                record.location = f"{self.source}:{line}"
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


# myst-parser 3 reports its warnings through the docutils reporter, with its
# type in the text ("... [myst.directive_unknown]"), so Sphinx logs them as
# type "docutils" (shown as "... [myst.directive_unknown] [docutils]", and
# deaf to ``suppress_warnings = ["myst.…"]``); later releases log them with
# type "myst" and the subtype. Such a record is given that type and subtype.
_MYST_SUFFIX = re.compile(r" \[myst\.([a-z0-9_]+)\]$")


def _myst_type(record: logging.LogRecord) -> None:
    if getattr(record, "type", None) != "docutils" or record.args:
        return
    if not isinstance(record.msg, str):
        return
    found = _MYST_SUFFIX.search(record.msg)
    if found is not None:
        record.msg = record.msg[: found.start()]
        record.type = "myst"
        record.subtype = found.group(1)


def _node_source(node: nodes.Node) -> str | None:
    while node is not None and getattr(node, "source", None) is None:
        node = node.parent
    return None if node is None else node.source


def _node_line(node: nodes.Node) -> int | None:
    while node is not None and _trusted_line(node) is None:
        node = node.parent
    return None if node is None else _trusted_line(node)


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


def _trusted_line(node: nodes.Node) -> int | None:
    """The line of ``node`` in the parsed text, as far as it can be known.

    MyST gives inline nodes (links, roles, emphasis) no line of their own:
    docutils stamps them with the document's current line when they are
    attached, which can be the line of any later block (a link in
    ``content.md`` then seemed to come from the license text at the end
    of the page). An inline node whose line is not within its block's lines
    takes its block's first line.
    """
    line: int | None = getattr(node, "line", None)
    if not isinstance(node, nodes.Inline):
        return line
    block: nodes.Node | None = node.parent
    while block is not None and isinstance(block, nodes.Inline):
        block = block.parent
    first: int | None = getattr(block, "line", None)
    if block is None or first is None:
        return line
    last = first + block.astext().count("\n")
    return line if line is not None and first <= line <= last else first


def _relocate_nodes(root: nodes.Node, source: str, source_map: SourceMap) -> None:
    """Give the parsed nodes the ``file:line`` they came from (for later warnings)."""
    # lines first: relocating a block changes the line its inline nodes are checked against
    lines = [
        (node, _trusted_line(node)) for node in root.findall(nodes.Element) if node.source == source
    ]
    for node, line in lines:
        if line is not None:
            found = source_map.locate(line)
            if found is not None:
                node.source, node.line = found


def parse_markdown(
    text: str,
    document: nodes.document,
    source: str,
    prose_parser: ProseParser,
    allow_raw_html: bool = False,
    origins: Sequence[tuple[str, str]] = (),
    shared: Sequence[tuple[str, str]] = (),
    cache: ParseCache | None = None,
) -> list[nodes.Node]:
    """Parse Markdown into nodes that can be inserted into ``document``.

    Raw HTML in the prose becomes visible text unless ``allow_raw_html``: prose
    comes from many hands, and a page must not run a stranger's script.
    ``origins`` are the ``(path, text)`` of the prose files ``text`` was
    filled from: nodes and warnings get their ``file:line`` (else ``source``
    and the line in ``text``).

    ``shared`` are ``(sentinel, value)`` pairs: ``text`` was filled with each
    sentinel where the page has the value (``%%IMAGE%%``: ``python`` or
    ``winamd64/python``). The views of one image then share one text, which
    is parsed once per build (``cache``) and copied for each view with the
    sentinels replaced (see :func:`_shared_parse`); where sharing is not safe,
    or there is no cache, the sentinels are replaced in the text and the text
    parsed as usual.
    """
    if shared:
        if cache is not None and all(
            _can_share(sentinel, value, document) for sentinel, value in shared
        ):
            children = _shared_parse(
                cache, text, document, source, prose_parser, allow_raw_html, origins
            )
            _substitute(children, shared)
            adopt_ids(children, document)
            return children
        for sentinel, value in shared:
            text = text.replace(sentinel, value)
    children, _ = _parse(text, document, source, prose_parser, allow_raw_html, origins)
    adopt_ids(children, document)
    return children


def _parse(
    text: str,
    document: nodes.document,
    source: str,
    prose_parser: ProseParser,
    allow_raw_html: bool,
    origins: Sequence[tuple[str, str]],
) -> tuple[list[nodes.Node], list[logging.LogRecord]]:
    """The parse itself: detached nodes (ids not yet registered in ``document``) and
    the warnings it logged."""
    # Prose comes from many hands: it may not read the build machine's files
    # or fetch URLs, and raw output is only allowed when the project says so.
    settings = copy.copy(document.settings)
    settings.file_insertion_enabled = False
    settings.raw_enabled = allow_raw_html
    sub = new_document(source, settings)
    sub.reporter = prose_parser.reporter(sub.reporter)
    parser = prose_parser.parser()
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
    if prose_parser.escapes_destinations():
        _unescape_destinations(sub)
    if not allow_raw_html:
        _neutralise_raw(sub)
    children = list(sub.children)
    for child in children:
        child.parent = None
    set_document(children, None)
    return children, relocate.records


def _unescape_destinations(root: nodes.Node) -> None:
    """Undo myst-parser's ``escapeHtml`` on the external links MyST made.

    Its ``<``, ``>`` and ``"`` never survive to that point (markdown-it
    percent-encodes them), so the escape only turned each ``&`` into
    ``&amp;``: replacing ``&amp;`` back is exact.
    """
    for ref in root.findall(nodes.reference):
        refuri = ref.get("refuri")
        if refuri and "&amp;" in refuri:
            ref["refuri"] = refuri.replace("&amp;", "&")


# -- one parse for every view of an image ------------------------------------------
#
# A catalogue has a page per image and per architecture; their prose differs
# only where ``%%IMAGE%%`` is (``python`` / ``winamd64/python``), plus the
# per-architecture note and variant sections, which the emitter keeps out of
# the shared text. The text is parsed once with a sentinel for the image
# reference; each view gets a copy with the sentinel replaced in text, raw
# sources and attributes. That is only done where a sentinel made of letters
# provably parses like the value:
#
# * the value is letters and digits joined by single ``.``, ``-`` or ``/``
#   (no Markdown syntax, no ``_`` emphasis, no typographic replacements,
#   ids that follow by character: ``make_id`` maps ``/`` and ``.`` to ``-``
#   and keeps the rest);
# * MyST's heading anchors are off (their slugs would need MyST's slug
#   function run again).
#
# A copy behaves as the parse itself did: every view, the first included, gets
# nodes loaded from the same pickle (so doctrees do not depend on which view
# was read first, or by which -j worker), and the warnings the parse logged
# are logged again for each view. The copies are kept pickled (compact,
# invisible to the garbage collector; the views of one image are not read one
# after another) for one build: each build has its own :class:`ParseCache`.
#
# A parallel build reads its pages in forked processes, each with its own copy
# of the cache, and its chunks of pages follow the docnames: an image's views
# (``catalogue/python``, ``catalogue/amd64/python``...) fall in different
# chunks, so each reader would parse the text again (1,556 parses instead of
# 487 for the corpus catalogue with ``-j 2``). A :class:`SharedParses` store
# given by the Sphinx glue is the second level the readers share.

_SHAREABLE_VALUE = re.compile(r"[a-z][a-z0-9]*(?:[./-][a-z0-9]+)*")
_ID_ATTRIBUTES = frozenset({"ids", "backrefs", "refid", "reflocalid"})
_SHARED_LIMIT = 128 * 1024 * 1024  # bytes of pickled nodes kept
# Tests turn sharing off to compare its output with plain parses.
SHARING = True


# The key of a shared text, and what its parse left: the pickled nodes and the
# warnings it logged.
ParseKey = tuple[str, str, bool, tuple[tuple[str, str], ...]]
Parsed = tuple[bytes, list[logging.LogRecord]]


class SharedParses(Protocol):
    """Parses shared by every reader of one build (processes of a parallel build)."""

    def get(self, key: ParseKey) -> Parsed | None:
        """The parse a reader made of ``key`` (waiting while another one makes
        it), or None: this reader makes it, and then calls :meth:`done`."""

    def done(self, key: ParseKey, parsed: Parsed | None) -> None:
        """Share this reader's parse (None: it failed; the store may decline to
        keep one) and let the readers waiting for it go on."""


class ParseCache:
    """The parses one build shares between pages (owned by the build's environment).

    ``shared``: the pickled nodes and the warnings of each shared text (see
    above), at most ``limit`` bytes of nodes. ``store``: where the readers of
    a parallel build share theirs (None: this process only). Nothing here
    outlives the build that made it: the Sphinx glue makes a new cache for
    each build.
    """

    def __init__(self, limit: int = _SHARED_LIMIT, store: SharedParses | None = None) -> None:
        self.shared: OrderedDict[ParseKey, Parsed] = OrderedDict()
        self.size = 0
        self.limit = limit
        self.store = store

    def keep(self, key: ParseKey, parsed: Parsed) -> None:
        """Keep ``parsed`` in memory, dropping the least recently used above the limit."""
        self.shared[key] = parsed
        self.size += len(parsed[0])
        while self.size > self.limit and len(self.shared) > 1:
            _, (dropped, _) = self.shared.popitem(last=False)
            self.size -= len(dropped)


def _can_share(sentinel: str, value: str, document: nodes.document) -> bool:
    if not SHARING or not _SHAREABLE_VALUE.fullmatch(value) or not sentinel.isalpha():
        return False
    env = getattr(document.settings, "env", None)
    config = getattr(env, "config", None)
    return not getattr(config, "myst_heading_anchors", 0)


def _shared_parse(
    cache: ParseCache,
    text: str,
    document: nodes.document,
    source: str,
    prose_parser: ProseParser,
    allow_raw_html: bool,
    origins: Sequence[tuple[str, str]],
) -> list[nodes.Node]:
    key: ParseKey = (text, source, allow_raw_html, tuple(origins))
    found = cache.shared.get(key)
    if found is not None:
        cache.shared.move_to_end(key)
    elif cache.store is not None and (found := cache.store.get(key)) is not None:
        cache.keep(key, found)  # parsed by another reader of this build
    else:
        parsed: Parsed | None = None
        try:
            children, records = _parse(
                text, document, source, prose_parser, allow_raw_html, origins
            )
            parsed = (pickle.dumps(children, pickle.HIGHEST_PROTOCOL), records)
        finally:
            if cache.store is not None:
                cache.store.done(key, parsed)
        cache.keep(key, parsed)
        found = (parsed[0], [])
    # a copy logs again the warnings its parse logged (the parse itself did)
    for record in found[1]:
        logging.getLogger(record.name).handle(copy.copy(record))
    loaded: list[nodes.Node] = pickle.loads(found[0])
    return loaded


def _substitute(children: list[nodes.Node], shared: Sequence[tuple[str, str]]) -> None:
    """Put each value where the parse saw its sentinel: text, raw sources, attributes."""
    pairs = [(s, v, v.replace("/", "-").replace(".", "-")) for s, v in shared]

    def replace(text: str, as_id: bool) -> str:
        for sentinel, value, id_value in pairs:
            text = text.replace(sentinel, id_value if as_id else value)
        return text

    def found(text: str) -> bool:
        return any(sentinel in text for sentinel, _, _ in pairs)

    stack: list[nodes.Node] = list(children)
    while stack:
        node = stack.pop()
        if not isinstance(node, nodes.Element):
            continue
        if found(node.rawsource):
            node.rawsource = replace(node.rawsource, False)
        for key, attr in node.attributes.items():
            as_id = key in _ID_ATTRIBUTES
            if isinstance(attr, str):
                if found(attr):
                    node.attributes[key] = replace(attr, as_id)
            elif isinstance(attr, list) and any(isinstance(i, str) and found(i) for i in attr):
                node.attributes[key] = [
                    replace(item, as_id) if isinstance(item, str) else item for item in attr
                ]
        for index, child in enumerate(node.children):
            if isinstance(child, nodes.Text):
                if found(child):
                    text = nodes.Text(replace(str(child), False))
                    text.parent = node
                    node.children[index] = text
            else:
                stack.append(child)


def set_document(roots: Sequence[nodes.Node], document: nodes.document | None) -> None:
    """Give every node under ``roots`` its document (None: forget it).

    Every node created by a parse remembers the sub-document it was built in;
    once moved, it must find the page's document through its parent instead.
    Otherwise pickling the page's doctree also pickles the sub-document,
    whose settings hold the whole build environment (megabytes per page).
    """
    for root in roots:
        for node in root.findall():
            node.document = document  # type: ignore[assignment]


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
            replacement = nodes.inline(text, text, classes=[RAW_HTML])
        else:
            replacement = nodes.paragraph(text, text, classes=[RAW_HTML])
        replacement["support_smartquotes"] = False
        raw.parent.replace(raw, replacement)


def adopt_ids(children: list[nodes.Node], document: nodes.document) -> None:
    """Attach the nodes to the page: register their ids (renaming clashes), set document.

    Setting ``document`` spares every later ``node.document`` a walk up to
    the root (docutils asks for it whenever a child is added).
    """
    elements: list[nodes.Element] = []
    stack: list[nodes.Node] = list(reversed(children))
    while stack:  # in document order, as findall() gives them
        node = stack.pop()
        node.document = document
        if isinstance(node, nodes.Element):
            elements.append(node)
            stack.extend(reversed(node.children))
    renamed: dict[str, str] = {}
    for node in elements:
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
        for node in elements:
            if isinstance(node, nodes.reference):
                refid = node.get("refid")
                if refid in renamed:
                    node["refid"] = renamed[refid]


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
