"""Prose links go where the Markdown says, whichever myst-parser renders them.

myst-parser before 5.2 HTML-escaped a link's URL into ``refuri``, so the HTML
writer escaped it again and ``?a=1&b=2`` became ``?a=1&amp;b=2`` in the
browser (MyST-Parser issues 760, 1028, 1116). The prose parse undoes that.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from _sites import build, make_site

PROSE = (
    "# What is bad?\n\n"
    "An [inline link](https://example.com/search?a=1&b=2), an autolink "
    "<https://example.com/auto?c=3&d=4>, a [reference][ref], a "
    "[mail](mailto:jane%40example.com?subject=x&body=y) and an "
    "[entity](https://example.com/entity?e=5&amp;f=6).\n\n"
    "[ref]: https://example.com/ref?g=7&h=8\n"
)


def test_prose_link_destinations_keep_their_ampersands(tmp_path: Path) -> None:
    src = make_site(
        tmp_path, {"bad.rst": "Bad\n===\n\n.. image-readme:: bad\n"}, docs={"bad/content.md": PROSE}
    )
    result = build(src, tmp_path / "out")
    assert result.status == 0, result.warnings
    soup = BeautifulSoup(result.html("bad"), "html.parser")
    hrefs = {a.get_text(): a.get("href") for a in soup.find_all("a")}
    assert hrefs["inline link"] == "https://example.com/search?a=1&b=2"
    assert hrefs["https://example.com/auto?c=3&d=4"] == "https://example.com/auto?c=3&d=4"
    assert hrefs["reference"] == "https://example.com/ref?g=7&h=8"
    assert hrefs["mail"] == "mailto:jane%40example.com?subject=x&body=y"
    # an entity in the Markdown is the character it names, as CommonMark says
    assert hrefs["entity"] == "https://example.com/entity?e=5&f=6"
