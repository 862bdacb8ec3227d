"""``push.pl``'s Hub trimming on synthetic READMEs over (and under) the limit."""

from __future__ import annotations

from sphinx_official_images.render.hub import GITHUB_BASE, HUB_LENGTH_LIMIT, hub_markdown

HEAD = "<!--\n\nDO NOT EDIT\n\n-->\n\n# Quick reference\n\nsome words\n\n"
TAGS_HEADING = "# Supported tags and respective `Dockerfile` links\n\n"


def _readme(tag_lines: int, body_paragraphs: int, paragraph: str = "word " * 40) -> str:
    tags = "".join(
        f"-\t[`tag{i}`](https://github.com/a/b/blob/c/{i}/Dockerfile)\n\n" for i in range(tag_lines)
    )
    body = "".join(f"## Section {i}\n\n{paragraph.strip()}\n\n" for i in range(body_paragraphs))
    return HEAD + TAGS_HEADING + tags + "# Quick reference (cont.)\n\n" + body


def test_short_readme_only_loses_the_comment() -> None:
    hub = hub_markdown("\n" + HEAD + "# End\n\n\n", "img")
    assert hub.text == "# Quick reference\n\nsome words\n\n# End"
    assert hub.trimmed == "none"
    assert hub.output_bytes == len(hub.text.encode())
    assert "within the Hub limit" in hub.report("img")


def test_tag_list_is_replaced_first() -> None:
    readme = _readme(tag_lines=600, body_paragraphs=5)
    hub = hub_markdown(readme, "img")
    assert hub.trimmed == "tags"
    assert hub.input_bytes > HUB_LENGTH_LIMIT >= hub.output_bytes == len(hub.text.encode())
    full = f"{GITHUB_BASE}/img/README.md"
    assert (
        f"{TAGS_HEADING}**Note:** the description for this image is longer than the Hub length "
        f'limit of {HUB_LENGTH_LIMIT}, so the "Supported tags" list has been trimmed to compensate.'
    ) in hub.text
    assert (
        f"({full}#supported-tags-and-respective-dockerfile-links)\n\n# Quick reference (cont.)"
        in hub.text
    )
    assert "tag1`" not in hub.text
    assert 'replaced the "Supported tags" list' in hub.report("img")


def test_generic_cut_at_a_blank_line_with_notes() -> None:
    readme = _readme(tag_lines=3, body_paragraphs=200)
    hub = hub_markdown(readme, "img")
    assert hub.trimmed == "cut"
    assert hub.output_bytes <= HUB_LENGTH_LIMIT
    note = (
        f"**Note:** the description for this image is longer than the Hub length limit of "
        f"{HUB_LENGTH_LIMIT}, so has been trimmed.  The full description can be found at "
        f"[{GITHUB_BASE}/img/README.md]({GITHUB_BASE}/img/README.md)."
    )
    assert hub.text.startswith(note)
    head, _, tail = hub.text.rpartition("\n\n...\n\n")
    assert tail.startswith(note)
    # the cut went back to a blank line: what is kept is whole paragraphs
    kept = head[len(note) + len("  See also ") :].split("\n\n", 1)[1]
    original = readme.split("-->\n\n", 1)[1]
    assert original.startswith(kept + "\n\n")
    assert len(kept) > 20000
    assert "cut the text" in hub.report("img")


def test_generic_cut_never_splits_a_utf8_character() -> None:
    for shift in range(4):
        readme = HEAD + "x" * shift + "€😀" * 20000
        hub = hub_markdown(readme, "img")
        assert hub.trimmed == "cut"
        hub.text.encode("utf-8")  # valid text
        assert "\ufffd" not in hub.text
        assert hub.output_bytes <= HUB_LENGTH_LIMIT


def test_cut_on_a_newline_drops_trailing_newlines() -> None:
    limit = 20000
    generic = hub_markdown("z" * 30000, "img", limit=limit).text.split("\n\n...\n\n")[1]
    start, end = generic + "\n\n", "\n\n...\n\n" + generic
    room = limit - len(start + end)  # push.pl keeps this many bytes of the text
    text = "b" * (room - 2) + "\n\n" + "c" * 40000
    hub = hub_markdown(text, "img", limit=limit)
    assert hub.trimmed == "cut"
    assert hub.text == start + "b" * (room - 2) + end
