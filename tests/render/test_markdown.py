"""``update.sh``'s field substitution and the Markdown shapes of the emitter."""

from __future__ import annotations

from sphinx_official_images.render.markdown import render_arches, render_tags, render_variants
from sphinx_official_images.view.page import (
    ArchLink,
    ArchList,
    SharedTagItem,
    SharedTagLine,
    SimpleTagLine,
    TagList,
    Variants,
    VariantSection,
)
from sphinx_official_images.view.template import (
    DEPRECATION_HEADING,
    Field,
    assemble_skeleton,
    deprecation_notice,
    fill_template,
    shell_value,
)
from sphinx_official_images.view.texts import Span


def _fill(template: str, *fields: Field[str]) -> str:
    return fill_template(template, fields, lambda f: f.value)


def test_values_are_inserted_literally() -> None:
    value = "a & b / c \\1 \\n $x"
    assert _fill("<%%X%%>", Field("X", value)) == f"<{value}>"


def test_every_occurrence_is_replaced() -> None:
    assert _fill("%%X%% and %%X%%%%X%%", Field("X", "y")) == "y and yy"


def test_later_fields_see_earlier_values_but_not_the_reverse() -> None:
    fields = (Field("CONTENT", "use %%IMAGE%% and %%TAGS%%"), Field("IMAGE", "img"))
    assert _fill("%%TAGS%%|%%CONTENT%%", Field("TAGS", "t"), *fields) == "t|use img and %%TAGS%%"


def test_placeholders_formed_across_values() -> None:
    # "%%RE" + "PO%%" only becomes a placeholder after both are in
    assert _fill("%%A%%%%B%%", Field("A", "%%RE"), Field("B", "PO%%"), Field("REPO", "r")) == "r"


def test_trailing_newlines_are_dropped_like_shell_substitution() -> None:
    assert _fill("[%%X%%]", Field("X", "a\n\nb\n\n\n")) == "[a\n\nb]"
    assert shell_value("-n") == "" and shell_value("-eE") == "" and shell_value("-x") == "-x"


def test_logo_blanks_are_trimmed_on_its_line_only() -> None:
    field = Field("LOGO", "L", trim_blanks=True)
    assert _fill("a\n \t%%LOGO%%  b\n", field) == "a\nLb\n"
    assert _fill("a\n\n%%LOGO%%\n\nb", field) == "a\n\nL\n\nb"
    assert _fill("x %%LOGO%%\n", Field("LOGO", "", trim_blanks=True)) == "x\n"


def test_render_is_only_called_for_present_fields() -> None:
    seen: list[str] = []

    def render(field: Field[str]) -> str:
        seen.append(field.name)
        return field.value

    fill_template("%%A%%", [Field("A", "x"), Field("B", "y")], render)
    assert seen == ["A"]


def test_skeleton_and_deprecation_notice() -> None:
    assert assemble_skeleton("W\n", "T\n") == "W\n\nT\n"
    assert assemble_skeleton("W\n", "T\n", note="N", deprecated="D\n\n") == (
        f"W\n\nN\n\n{DEPRECATION_HEADING}\n\nD\n\nT\n"
    )
    assert deprecation_notice("# Mine\n\nx\n") == "# Mine\n\nx"
    assert deprecation_notice("#hashtag") == f"{DEPRECATION_HEADING}\n\n#hashtag"


def _simple(tags: tuple[str, ...], url: str | None) -> SimpleTagLine:
    return SimpleTagLine(tags, url, "amd64", None)  # type: ignore[arg-type]


def test_render_tags_shapes() -> None:
    plain = TagList((_simple(("1", "latest"), "https://x/1"), _simple(("2",), None)), (), False)
    assert render_tags(plain) == "-\t[`1`, `latest`](https://x/1)\n\n-\t`2`\n\n"
    item = SharedTagItem("1", "https://x/1", "amd64", None)  # type: ignore[arg-type]
    grouped = TagList((_simple(("1",), "https://x/1"),), (SharedTagLine(("l",), (item,)),), True)
    text = render_tags(grouped)
    assert text.startswith("(See [\"What's the difference between 'Shared' and 'Simple' tags?\"")
    assert text.endswith(
        "\n\n## Simple Tags\n\n-\t[`1`](https://x/1)\n\n## Shared Tags\n\n"
        "-\t`l`:\n\n\t-\t[`1`](https://x/1)\n\n"
    )
    notice = (
        Span("none", "strong"),
        Span(" on "),
        Span("x", "code"),
        Span(" "),
        Span("y", "emphasis"),
    )
    assert render_tags(TagList((), (), False, notice)) == "**none** on `x` *y*"


def test_render_arches_and_variants() -> None:
    arches = ArchList((ArchLink("amd64", "amd64", "https://h/amd64/"), ArchLink("x", None, None)))
    assert render_arches(arches) == "[`amd64`](https://h/amd64/), `x`"
    variants = Variants("intro", ("note",), (VariantSection("t", "p", "section"),))
    assert render_variants(variants) == "\n\nintro\n\nnote\n\nsection\n"
    assert render_variants(None) == ""


def test_render_tags_tight_layout_of_older_revisions() -> None:
    item = SharedTagItem("1", "https://x/1", "amd64", None)  # type: ignore[arg-type]
    tags = TagList(
        (_simple(("1",), "https://x/1"), _simple(("2",), None)),
        (SharedTagLine(("l",), (item,)), SharedTagLine(("m",), (item,))),
        True,
        tight=True,
    )
    assert render_tags(tags).endswith(
        "## Simple Tags\n\n-\t[`1`](https://x/1)\n-\t`2`\n\n## Shared Tags\n\n"
        "-\t`l`:\n\t-\t[`1`](https://x/1)\n-\t`m`:\n\t-\t[`1`](https://x/1)\n\n"
    )
