"""Placing a directive's sections by heading level, as if written in the page.

docutils' document model has no body text after a section's subsections:
text after a heading belongs to that heading's section. A directive that
returns sections (prose headings) cannot follow that rule by itself: the page
after it is not parsed yet, and both parsers append what follows to the
section that held the directive, after the directive's sections. Sphinx's
writers mostly cope; Sphinx 7.4's text writer loops for ever on it.

So the directive leaves a docutils ``pending`` node in front of its output,
and :class:`HeadingOffset` moves the nodes once the whole page is parsed,
before Sphinx collects the table of contents, replaying MyST's rule for
headings. By default the directive's top-level sections nest under the
current section; ``image-content``'s ``:heading-offset: N`` asks instead for
what MyST's ``{include}`` does with the same option: they are level ``1 + N``
headings of the page, so they may close the current section and become its
siblings (or its parent's). Either way, what follows the directive falls
into the last of its sections, exactly as if the prose had been written in
the page. Only docutils is used: ids and names stay on their nodes.
"""

from __future__ import annotations

from docutils import nodes
from docutils.transforms import Transform

__all__ = ["HeadingOffset", "heading_offset_marker"]


def heading_offset_marker(
    document: nodes.document, count: int, offset: int | None = None
) -> nodes.pending:
    """The node to put before the ``count`` nodes a directive returns.

    ``offset`` is the level, in the page, of the prose's top-level headings
    minus one (MyST's ``heading-offset``); None nests them under the
    current section.
    """
    marker = nodes.pending(HeadingOffset, {"count": count, "offset": offset})
    document.note_pending(marker)
    return marker


def _holders(node: nodes.Element) -> list[nodes.Element]:
    """The document and the sections holding ``node`` (itself included),
    outermost first: the open sections, by level, at ``node``."""
    path: list[nodes.Element] = []
    current: nodes.Element | None = node
    while current is not None:
        if isinstance(current, nodes.section | nodes.document):
            path.insert(0, current)
        current = current.parent
    return path


def _open_from(level: int, section: nodes.Element) -> dict[int, nodes.Element]:
    """``section`` at ``level``, its last subsection at the next level, that
    one's last subsection...: where a following heading or paragraph can
    still go."""
    opened = {level: section}
    while section.children and isinstance(section.children[-1], nodes.section):
        section = section.children[-1]
        level += 1
        opened[level] = section
    return opened


class HeadingOffset(Transform):
    """Moves the sections a directive returned to their level in the page.

    It replays what MyST does with headings (``update_section_level_state``):
    sections are kept open by level; a heading of level ``L`` goes under the
    open section of the highest level below ``L`` and closes the deeper ones;
    a paragraph goes into the section opened last. The prose's top-level
    sections have level ``1 + offset``; the page's have their depth.
    """

    # early: before anything collects sections (Sphinx's toctree is at 880)
    default_priority = 200

    def apply(self, **kwargs: object) -> None:
        marker = self.startnode
        assert isinstance(marker, nodes.pending)
        parent = marker.parent
        if parent is None:
            return
        start = parent.index(marker) + 1
        output = parent.children[start : start + marker.details["count"]]
        parent.remove(marker)
        if not isinstance(parent, nodes.section | nodes.document):
            return  # no sections here: the nodes stay as the directive made them
        sections = [n for n in output if isinstance(n, nodes.section)]
        if not sections:
            return
        path = _holders(parent)  # path[i]: the open section of level i
        offset = marker.details["offset"]
        self._relocate(path, sections, len(path) if offset is None else 1 + offset)

    @staticmethod
    def _relocate(path: list[nodes.Element], sections: list[nodes.section], level: int) -> None:
        parent = path[-1]

        # Everything after the directive, in page order, with its level:
        # what follows its sections in ``parent``, then what follows
        # ``parent`` in its parent, and so on up to the document.
        following: list[tuple[int, nodes.Node]] = []
        after = parent.index(sections[-1]) + 1
        following += [(len(path), n) for n in parent.children[after:]]
        del parent.children[after:]
        for holder_level in range(len(path) - 2, -1, -1):
            holder = path[holder_level]
            after = holder.index(path[holder_level + 1]) + 1
            following += [(holder_level + 1, n) for n in holder.children[after:]]
            del holder.children[after:]
        for section in sections:
            parent.remove(section)

        # The prose's top-level sections go under the open section of the
        # highest level below theirs.
        home = min(level - 1, len(path) - 1)
        path[home].extend(sections)
        opened = {i: path[i] for i in range(home + 1)} | _open_from(level, sections[-1])

        for node_level, node in following:
            if not isinstance(node, nodes.section):
                opened[max(opened)].append(node)
                continue
            home = max(lvl for lvl in opened if lvl < node_level)
            opened[home].append(node)
            opened = {lvl: s for lvl, s in opened.items() if lvl < node_level}
            opened |= _open_from(node_level, node)
