"""Where a manifest entry's Dockerfile can be browsed (docker-library's rules).

``generate-dockerfile-links-partial.tmpl`` turns an entry's ``GitRepo`` into a
browsable base URL with bashbrew's template functions
(``replace "git://" "https://"``, which replaces every occurrence, then
``trimSuffixes ".git"``) and links the tag line only for hosts whose URL
scheme it knows:

* GitHub (``https://github.com/``): ``BASE/blob/COMMIT/PATH``;
* GitLab (``https://gitlab.`` hosts): ``BASE/-/blob/COMMIT/PATH``;
* Launchpad (``https://git.launchpad.net/``): ``BASE/tree/PATH?h=FETCH&id=COMMIT``;
* anything else: no link.

``PATH`` is ``File`` when ``Directory`` is ``.``, else ``Directory/File``.

On top of that, as a security rule of this project, a URL is only produced
when it is a plain ``http(s)`` URL: no blanks, control characters, quotes,
angle brackets, parentheses or backslashes (which could break out of a
Markdown link or carry a ``javascript:`` payload).  Real manifests never
need those characters, so the incumbent's output is unchanged for them.
"""

from __future__ import annotations

import re

__all__ = ["dockerfile_path", "dockerfile_url", "is_safe_url", "repo_url_base"]

_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>()\[\]{}\\`^|]")
_HTTP = re.compile(r"https?://[^/]")


def is_safe_url(url: str) -> bool:
    """True for an ``http(s)://host...`` URL with no character that could escape a link."""
    return bool(_HTTP.match(url)) and _UNSAFE.search(url) is None


def repo_url_base(git_repo: str) -> str:
    """``$gitRepo | replace "git://" "https://" | trimSuffixes ".git"``."""
    base = git_repo.replace("git://", "https://")
    if base.endswith(".git"):
        base = base[: -len(".git")]
    return base


def dockerfile_path(directory: str, file: str) -> str:
    """``eq $dir "." | ternary $file (join "/" $dir $file)``."""
    return file if directory == "." else f"{directory}/{file}"


def dockerfile_url(
    git_repo: str, git_fetch: str, git_commit: str, directory: str, file: str
) -> str | None:
    """The browsable URL of one Dockerfile, or None when the host is not known."""
    base = repo_url_base(git_repo)
    path = dockerfile_path(directory, file)
    if base.startswith("https://github.com/"):
        url = f"{base}/blob/{git_commit}/{path}"
    elif base.startswith("https://gitlab."):
        url = f"{base}/-/blob/{git_commit}/{path}"
    elif base.startswith("https://git.launchpad.net/"):
        url = f"{base}/tree/{path}?h={git_fetch}&id={git_commit}"
    else:
        return None
    return url if is_safe_url(url) else None
