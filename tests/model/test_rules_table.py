"""The rules table: one source for both parser passes and for the docs.

``docs/manifest-format.md`` holds exactly the rows of
:data:`~sphinx_official_images.model.rules.RULES` (code, kind, message, why),
in order, so a rule can't change without its documentation.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_official_images.model.rules import RULES, Rule

DOCS = Path(__file__).resolve().parents[2] / "docs" / "manifest-format.md"


def row(rule: Rule) -> str:
    """The docs' row of a rule: placeholders shown as ``…``, pipes escaped."""
    text = re.sub(r"\{[a-z]+\}", "…", rule.template).replace("{{", "{").replace("}}", "}")
    kind = "bashbrew error" if rule.severity == "error" else "warning"
    cells = [f"`{rule.code}`", kind, f"`{text}`", rule.why]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _table(text: str) -> list[str]:
    """The rows of the table whose header starts with "| Code | Kind |"."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Code | Kind |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_docs_hold_every_rule_once_in_order() -> None:
    assert _table(DOCS.read_text(encoding="utf-8")) == [row(rule) for rule in RULES.values()]


def test_every_warning_template_formats() -> None:
    for rule in RULES.values():
        names = re.findall(r"\{([a-z]+)\}", rule.template)
        assert rule.template.format(**dict.fromkeys(names, "x"))
