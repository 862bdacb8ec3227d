"""The compose and stack examples of a page: their intro, their YAML, its check.

The YAML is shown as it is (``update.sh`` does not check it); a file that is
not valid YAML is a :class:`~sphinx_official_images.view.reader.Notice`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.sources.docsfolder import DocsFile
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.reader import HELPERS, Notice, PageReader

__all__ = ["CodeBlock", "ComposeExample", "StackExample", "build_compose", "build_stack"]

_STACK_URL = "https://raw.githubusercontent.com/docker-library/docs/{commit}/{image}/stack.yml"


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block (the compose/stack example)."""

    language: str
    code: str


@dataclass(frozen=True, slots=True)
class ComposeExample:
    """``compose.md`` (its intro text) and the image's ``compose.yaml``."""

    intro: str
    yaml: CodeBlock


@dataclass(frozen=True, slots=True)
class StackExample:
    """``stack.md`` and ``stack.yml`` (docs revisions before ``compose.yaml``)."""

    intro: str
    yaml: CodeBlock
    url: str


_PLACEHOLDER = re.compile(r"%%[A-Z][A-Z-]*%%")


def _yaml_problem(text: str) -> tuple[str, int | None] | None:
    """What makes ``text`` not YAML, and its line; None when it is YAML.

    The pure-Python loader, not libyaml's: its messages do not depend on how
    PyYAML was built.
    """
    try:
        for _ in yaml.compose_all(_PLACEHOLDER.sub("x", text), Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = ": ".join(part for part in (exc.context, exc.problem) if part)
        return problem or "syntax error", None if mark is None else mark.line + 1
    except yaml.YAMLError as exc:
        return str(exc), None
    return None


def _yaml_notices(loader: Loader, field: str, found: DocsFile, text: str) -> list[Notice]:
    """A notice when the example is not valid YAML (the page shows it anyway, as
    ``update.sh`` does). Placeholders count as plain words. Checked once per
    loader: every view of an image shows the same example."""
    key = ("yaml", text)
    if key not in loader.memo:
        loader.memo[key] = _yaml_problem(text)
    problem = loader.memo[key]
    assert problem is None or isinstance(problem, tuple)
    if problem is None:
        return []
    message, line = problem
    return [Notice(field, DocsError(f"not valid YAML: {message}", str(found.target), line))]


def build_compose(reader: PageReader, image: str) -> ComposeExample | None:
    """``compose.yaml`` and its intro (a notice when the YAML does not parse)."""
    compose_yaml = reader.resolve(f"{image}/compose.yaml")
    if compose_yaml is None:
        return None
    intro = reader.first(f"{image}/compose.md", f"{HELPERS}/compose.md") or ""
    text = reader.text(compose_yaml)
    reader.notices.extend(_yaml_notices(reader.loader, "COMPOSE-YAML", compose_yaml, text))
    return ComposeExample(intro, CodeBlock("yaml", text))


def build_stack(reader: PageReader, loader: Loader, image: str) -> tuple[bool, StackExample | None]:
    """Whether the revision still fills the ``stack.yml`` fields (it has
    ``.template-helpers/stack.md``), and the image's stack example."""
    if reader.resolve(f"{HELPERS}/stack.md") is None:
        return False, None
    stack_yml = reader.resolve(f"{image}/stack.yml")
    if stack_yml is None:
        return True, None
    intro = reader.first(f"{image}/stack.md", f"{HELPERS}/stack.md") or ""
    commit = loader.facts.file_commit(image, "stack.yml")
    text = reader.text(stack_yml)
    url = _STACK_URL.format(commit=commit, image=image)
    reader.notices.extend(_yaml_notices(reader.loader, "STACK-YML", stack_yml, text))
    return True, StackExample(intro, CodeBlock("yaml", text), url)
