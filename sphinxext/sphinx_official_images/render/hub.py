"""What docker-library/docs' ``push.pl`` uploads to Docker Hub for a README.

``push.pl`` does not upload ``README.md`` as it is:

1. it trims leading and trailing white space (``Mojo::Util::trim``) and drops
   the leading HTML comment (the "DO NOT EDIT" warning) and the white space
   after it, because the Hub does not render HTML comments;
2. if the result is over the Hub's limit of 25,000 **bytes** (UTF-8), it
   first replaces the "Supported tags" list by a note linking to the full
   README on GitHub;
3. if that is still too long, it starts over from the untrimmed text and cuts
   it at the byte limit (minus the room for two notes), drops a partial
   UTF-8 character at the cut, goes back to the last blank line (or drops
   trailing newlines when the cut fell on one), and frames the text with a
   note at the top and "..." plus the same note at the end.

:func:`hub_markdown` reproduces this byte for byte, except for re-inserting
the "Sponsored Resources" block that ``push.pl`` copies from the text
currently on the Hub (out of scope: it needs the network).  The texts of the
notes are the short fixed strings ``push.pl`` hard-codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["GITHUB_BASE", "HUB_LENGTH_LIMIT", "HubText", "hub_markdown"]

HUB_LENGTH_LIMIT = 25_000
GITHUB_BASE = "https://github.com/docker-library/docs/tree/master"

# Perl's \s on a character string (Unicode White_Space; not \x1c-\x1f).
_PERL_SPACE = "\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_LEADING = re.compile(f"\\A[{_PERL_SPACE}]+")
_TRAILING = re.compile(f"[{_PERL_SPACE}]+\\Z")
_COMMENT = re.compile(f"\\A<!--.*?-->[{_PERL_SPACE}]*", re.S)
_SUPPORTED_TAGS = re.compile(
    r"^(# Supported tags and respective `Dockerfile` links\n\n)(.*?\n)(?=# |\[)", re.M | re.S
)
# A lead byte at the very end with fewer continuation bytes than it needs.
_PARTIAL_UTF8 = re.compile(
    rb"(?:[\xC0-\xDF]|[\xE0-\xEF][\x80-\xBF]?|[\xF0-\xF7][\x80-\xBF]{0,2})\Z"
)
_SEE_ALSO = (
    "See also [docker/hub-feedback#238](https://github.com/docker/hub-feedback/issues/238)"
    " and [docker/roadmap#475](https://github.com/docker/roadmap/issues/475)."
)


@dataclass(frozen=True, slots=True)
class HubText:
    """The text to upload and what was done to it.

    ``input_bytes`` is the size once the comment is stripped, ``output_bytes``
    the size of ``text``; ``trimmed`` is ``"none"``, ``"tags"`` (the tag list
    was replaced by a note) or ``"cut"`` (the generic cut at a blank line).
    """

    text: str
    input_bytes: int
    output_bytes: int
    trimmed: Literal["none", "tags", "cut"]
    limit: int

    def report(self, repo: str) -> str:
        """One line saying what was trimmed, for stderr."""
        if self.trimmed == "none":
            return f"{repo}: {self.output_bytes} bytes, within the Hub limit of {self.limit}"
        what = (
            'replaced the "Supported tags" list by a note'
            if self.trimmed == "tags"
            else "cut the text at a blank line and added notes"
        )
        return (
            f"{repo}: {self.input_bytes} bytes is over the Hub limit of {self.limit}: "
            f"{what}; now {self.output_bytes} bytes"
        )


def _perl_trim(text: str) -> str:
    return _TRAILING.sub("", _LEADING.sub("", text))


def _drop_partial_utf8(data: bytes) -> bytes:
    """Drop a UTF-8 sequence cut short at the end, as push.pl's regex does."""
    return _PARTIAL_UTF8.sub(b"", data, count=1)


def hub_markdown(
    readme: str,
    repo: str,
    limit: int = HUB_LENGTH_LIMIT,
    github_base: str = GITHUB_BASE,
) -> HubText:
    """The Hub description ``push.pl`` would upload for ``repo``'s ``readme``."""
    text = _COMMENT.sub("", _perl_trim(readme), count=1)
    size = len(text.encode("utf-8"))
    if limit <= 0 or size <= limit:
        return HubText(text, size, size, "none", limit)

    full_url = f"{github_base}/{repo}/README.md"
    short_tags = (
        '-\tSee ["Supported tags and respective `Dockerfile` links" at '
        f"{full_url}]({full_url}#supported-tags-and-respective-dockerfile-links)\n\n"
    )
    tags_note = (
        f"**Note:** the description for this image is longer than the Hub length limit of "
        f'{limit}, so the "Supported tags" list has been trimmed to compensate.  '
        f"{_SEE_ALSO}\n\n{short_tags}"
    )
    generic_note = (
        f"**Note:** the description for this image is longer than the Hub length limit of "
        f"{limit}, so has been trimmed.  The full description can be found at "
        f"[{full_url}]({full_url}).  {_SEE_ALSO}"
    )
    starting_note = generic_note + "\n\n"
    ending_note = "\n\n...\n\n" + generic_note

    trimmed = _SUPPORTED_TAGS.sub(lambda m: m.group(1) + tags_note, text, count=1)
    trimmed_size = len(trimmed.encode("utf-8"))
    if trimmed_size <= limit:
        return HubText(trimmed, size, trimmed_size, "tags", limit)

    room = limit - len((starting_note + ending_note).encode("utf-8"))
    data = starting_note.encode("utf-8") + text.encode("utf-8")[: max(room, 0)]
    cut = _drop_partial_utf8(data).decode("utf-8", "replace")
    if cut.endswith("\n"):
        cut = cut.rstrip("\n")
    else:
        # s/\n\n(.\n?)*$//: back to the last blank line
        blank = cut.rfind("\n\n")
        if blank >= 0:
            cut = cut[:blank]
    cut += ending_note
    return HubText(cut, size, len(cut.encode("utf-8")), "cut", limit)
