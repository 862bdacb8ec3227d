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
  carry a location and ``-W`` sees them.
"""

from __future__ import annotations

import copy

from docutils import nodes
from docutils.utils import new_document


def parse_markdown(
    text: str, document: nodes.document, source: str, allow_raw_html: bool = False
) -> list[nodes.Node]:
    """Parse Markdown into nodes that can be inserted into ``document``.

    Raw HTML in the prose becomes visible text unless ``allow_raw_html``: prose
    comes from many hands, and a page must not run a stranger's script.
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
    parser.parse(text, sub)
    sub.transformer.populate_from_components((parser,))
    sub.transformer.apply_transforms()
    if not allow_raw_html:
        _neutralise_raw(sub)
    children = list(sub.children)
    for child in children:
        child.parent = None
    _adopt_ids(children, document)
    return children


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
        replacement: nodes.Node
        if isinstance(raw.parent, nodes.TextElement):
            replacement = nodes.Text(text)
        else:
            replacement = nodes.paragraph(text, text)
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
            for name in node.get("names", []):
                document.nameids.setdefault(name, node["ids"][0])
    if renamed:
        for child in children:
            for ref in child.findall(nodes.reference):
                refid = ref.get("refid")
                if refid in renamed:
                    ref["refid"] = renamed[refid]
