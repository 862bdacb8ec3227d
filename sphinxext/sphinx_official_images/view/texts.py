"""The sentences ``update.sh`` and its helpers hard-code, as styled runs of text.

The tag list's "no supported tags" and "not supported on ARCH" lines, the
shared-tags FAQ sentence, the "no supported architectures" words and the
per-architecture note are the incumbent's own Markdown. They are kept here
as :class:`Span` runs (plain, bold, emphasised, code, linked) rather than as
Markdown strings, so that each emitter formats them: the Markdown emitter
writes them back as the incumbent does (``**No supported tags**``), the
docutils emitter builds ``strong``, ``emphasis``, ``literal`` and
``reference`` nodes, and nothing parses the other's output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "LICENSE_HEADING",
    "LOGO_ALT",
    "NO_SUPPORTED_ARCHES_WORDS",
    "NO_SUPPORTED_TAGS",
    "SHARED_TAGS_FAQ",
    "SHARED_TAGS_FAQ_URL",
    "SHARED_TAGS_HEADING",
    "SIMPLE_TAGS_HEADING",
    "Span",
    "SpanStyle",
    "Spans",
    "arch_note",
    "not_supported_warning",
]

SpanStyle: TypeAlias = Literal["text", "strong", "emphasis", "code", "link"]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text and how it is marked up.

    ``url`` is a ``link``'s target; a link whose text is not plain has its
    runs in ``children`` (``text`` is then empty).
    """

    text: str
    style: SpanStyle = "text"
    url: str | None = None
    children: tuple[Span, ...] = ()


Spans: TypeAlias = tuple[Span, ...]

# The headings of generate-dockerfile-links-partial.tmpl, and the heading
# update.sh puts above license.md (all plain words).
SIMPLE_TAGS_HEADING = "Simple Tags"
SHARED_TAGS_HEADING = "Shared Tags"
LICENSE_HEADING = "License"
# The logo image's alternative text (update.sh's ``![logo](URL)``).
LOGO_ALT = "logo"

# The tag list of a manifest without entries.
NO_SUPPORTED_TAGS: Spans = (Span("No supported tags", "strong"),)
# arches.sh's line when there is no architecture (shown in bold).
NO_SUPPORTED_ARCHES_WORDS = "No supported architectures"

SHARED_TAGS_FAQ_URL = (
    "https://github.com/docker-library/faq#whats-the-difference-between-shared-and-simple-tags"
)
# The FAQ sentence above the "Simple Tags" of a manifest with shared tags.
SHARED_TAGS_FAQ: Spans = (
    Span("(See "),
    Span(
        "\"What's the difference between 'Shared' and 'Simple' tags?\" in the FAQ",
        "link",
        SHARED_TAGS_FAQ_URL,
    ),
    Span(".)"),
)


def not_supported_warning(arch: str) -> Spans:
    """The tag list of a per-architecture page whose image has no ``arch`` entry."""
    return (
        Span("WARNING:", "strong"),
        Span(" THIS IMAGE "),
        Span("IS NOT SUPPORTED", "emphasis"),
        Span(" ON THE "),
        Span(arch, "code"),
        Span(" ARCHITECTURE"),
    )


def arch_note(arch: str, repo: str) -> Spans:
    """The note ``update.sh`` puts on top of a per-architecture page."""
    return (
        Span("Note:", "strong"),
        Span(' this is the "per-architecture" repository for the '),
        Span(arch, "code"),
        Span(" builds of "),
        Span(
            "",
            "link",
            f"https://hub.docker.com/_/{repo}",
            (Span("the "), Span(repo, "code"), Span(" official image")),
        ),
        Span(" -- for more information, see "),
        Span(
            '"Architectures other than amd64?" in the official images documentation',
            "link",
            "https://github.com/docker-library/official-images#architectures-other-than-amd64",
        ),
        Span(" and "),
        Span(
            '"An image\'s source changed in Git, now what?" in the official images FAQ',
            "link",
            "https://github.com/docker-library/faq#an-images-source-changed-in-git-now-what",
        ),
        Span("."),
    )
