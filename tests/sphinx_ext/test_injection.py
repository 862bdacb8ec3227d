"""Nothing from a manifest or the prose can put markup or a script into the site.

One site is built whose ``bad`` image carries the classic payloads everywhere
a maintainer can write: ``<script>``, ``"><img onerror=...>``, ``javascript:``
and ``data:`` URLs in GitRepo values (global, per entry, per architecture),
in Directory and File, in the manifest's maintainers, in the prose
(``content.md``, ``maintainer.md``, ``github-repo``, a variant file), in raw
HTML, in MyST directives that emit raw output, and in role targets.

* HTML: the payloads are text (escaped), no element carries an event handler
  or a ``javascript:``/``data:`` link, every link built from the manifest is
  ``http(s)``;
* Hub Markdown: the prose is copied as ``update.sh`` copies it; a Dockerfile
  link is only written for a safe ``http(s)`` URL;
* ``official_images_raw_html = True`` lets raw HTML of the prose through.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from _sites import COMMIT, Build, build, make_site

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
DATA_URL = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="

MANIFEST = f"""\
Maintainers: Jane Doe <"onmouseover=alert`1`//> (@jane), Mallory <javascript:alert`1`> (@m)
GitRepo: https://github.com/acme/bad.git

Tags: safe
Architectures: amd64, arm64v8
GitCommit: {COMMIT}
Directory: 1
arm64v8-GitRepo: {JS_URL}//github.com/

Tags: quoted
GitRepo: https://github.com/acme/bad{IMG}
GitCommit: {COMMIT}
Directory: 2

Tags: javascript
GitRepo: {JS_URL}//https://github.com/acme/bad
GitCommit: {COMMIT}
Directory: 3

Tags: data
GitRepo: {DATA_URL}
GitCommit: {COMMIT}
Directory: 4

Tags: directory
GitCommit: {COMMIT}
Directory: 5{IMG}

Tags: file
GitCommit: {COMMIT}
Directory: 6
File: Dockerfile"onclick="alert(1)

Tags: git-scheme
GitRepo: git://github.com/acme/bad.git
GitCommit: {COMMIT}
Directory: 7
"""

PROSE = f"""\
# What is bad?

Inline {SCRIPT} and {IMG} in a paragraph.

<div onclick="alert(2)">a raw block</div>

<iframe src="{JS_URL}"></iframe>

[a javascript link]({JS_URL}) and [a data link]({DATA_URL}) and <{JS_URL}>
and ![an image]({JS_URL}) and [a vbscript link](vbscript:msgbox) and [fine](https://example.com/ok).

```{{raw}} html
{SCRIPT}
```

```{{eval-rst}}
.. raw:: html

   <script>alert('eval-rst')</script>

:raw-html:`<b>x</b>`
```

<!-- a comment the Hub does not show -->

%%COMPOSE%%
"""

PAGES = {
    "bad.rst": f"""\
Bad page
========

.. image-readme:: bad

.. image-tags:: bad arm64v8

.. image-matrix:: bad

.. image-usage:: bad
   :caption: {SCRIPT}

   docker run {SCRIPT} %%IMAGE%%

See :image:`onerror=alert(1) "x" <bad>` and :image:`{SCRIPT}` and :image-tag:`bad:{JS_URL}`.
""",
}

DOCS = {
    "bad/content.md": PROSE,
    "bad/maintainer.md": f"[the team {SCRIPT}](%%GITHUB-REPO%%)\n",
    "bad/github-repo": f"{JS_URL}\n",
    "bad/compose.yaml": f"services:\n  app:\n    command: echo '{SCRIPT}'\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    root = tmp_path_factory.mktemp("injection")
    src = make_site(root, PAGES, library={"bad": MANIFEST}, docs=DOCS)
    html = build(src, root / "out" / "html")
    hub = build(src, root / "out" / "hub", builder="dockerhub")
    assert html.status == 0 and hub.status == 0
    return html, hub


# Smart quotes apply to the prose's text as to any text.
_STRAIGHT = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def _text(element: BeautifulSoup) -> str:
    return str(element.get_text()).translate(_STRAIGHT)


def _body(result: Build) -> BeautifulSoup:
    soup = BeautifulSoup(result.html("bad"), "html.parser")
    body = soup.find("div", class_="body")
    assert body is not None
    return body


def test_no_script_and_no_event_handler_reach_the_html(site: tuple[Build, Build]) -> None:
    body = _body(site[0])
    assert body.find_all(["script", "iframe", "img", "object", "embed", "form"]) == []
    assert body.find("div", onclick=True) is None
    for element in body.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert handlers == [], element
    # ... but the payloads are all there, as text
    text = _text(body)
    for payload in (f"Inline {SCRIPT} and {IMG}", '<div onclick="alert(2)">a raw block</div>'):
        assert payload in text  # as written, escaped
    assert "a comment the Hub does not show" not in text


def test_every_link_is_http_or_internal(site: tuple[Build, Build]) -> None:
    body = _body(site[0])
    for element in body.find_all(href=True) + body.find_all(src=True):
        url = element.get("href") or element.get("src")
        scheme = urlsplit(url).scheme
        assert scheme in ("", "http", "https"), url


def test_manifest_links_only_for_safe_urls(site: tuple[Build, Build]) -> None:
    body = _body(site[0])
    links = {a.get_text(): a["href"] for a in body.find_all("a", href=True) if a.find("code")}
    base = "https://github.com/acme/bad/blob/" + COMMIT
    assert links["safe"] == f"{base}/1/Dockerfile"
    assert links["git-scheme"] == f"{base}/7/Dockerfile"  # git:// becomes https://
    for tag in ("quoted", "javascript", "data", "directory", "file"):
        assert tag not in links  # shown as text, without a link
        assert body.find("code", string=tag) is not None


def test_hub_markdown_copies_prose_as_update_sh_and_links_only_safe_urls(
    site: tuple[Build, Build],
) -> None:
    hub = site[1]
    readme = (hub.outdir / "bad.md").read_text(encoding="utf-8")
    # prose is copied verbatim, as the incumbent does (the Hub renders it, not us)
    assert f"Inline {SCRIPT} and {IMG} in a paragraph." in readme
    assert f"[a javascript link]({JS_URL})" in readme
    assert "[the team" in readme and f"]({JS_URL})" in readme  # %%GITHUB-REPO%% filled in
    # Dockerfile links only for plain http(s) URLs
    base = "https://github.com/acme/bad/blob/" + COMMIT
    assert f"-\t[`safe`]({base}/1/Dockerfile)" in readme
    assert f"-\t[`git-scheme`]({base}/7/Dockerfile)" in readme
    for tag in ("quoted", "javascript", "data", "directory", "file"):
        assert f"-\t`{tag}`\n" in readme
    for line in readme.splitlines():
        if line.startswith(("-\t[`", "\t-\t[`")):
            url = line.rsplit("](", 1)[1].rstrip(")")
            assert urlsplit(url).scheme == "https" and '"' not in url and "<" not in url


def test_per_architecture_override_with_a_javascript_url_gets_no_link(
    site: tuple[Build, Build],
) -> None:
    body = _body(site[0])
    rubric_lists = body.find_all("ul")
    arm = [li for ul in rubric_lists for li in ul.find_all("li") if li.find("code", string="safe")]
    # the default view links "safe" with amd64's values, the arm64v8 view has no link
    hrefs = {li.find("a")["href"] if li.find("a") else None for li in arm}
    assert None in hrefs and f"https://github.com/acme/bad/blob/{COMMIT}/1/Dockerfile" in hrefs


def test_role_targets_and_directive_options_are_text(site: tuple[Build, Build]) -> None:
    html, _ = site
    body = _body(html)
    title = body.find("a", href="#image__bad")
    assert title is not None and title.get_text() == 'onerror=alert(1) "x"'  # the role's title
    caption = body.find("div", class_="code-block-caption")
    assert caption is not None and SCRIPT in _text(caption)
    assert f"docker run {SCRIPT} bad" in body.find("div", class_="highlight-console").get_text()
    assert any("invalid tag 'javascript:alert(1)' in 'bad:javascript:alert(1)'" in w
               for w in html.warnings)  # fmt: skip


def test_raw_html_passes_only_when_allowed(tmp_path: Path) -> None:
    prose = '# What?\n\n<span class="oi-raw">raw</span> text.\n\n<div class="oi-block">b</div>\n'
    results = {}
    for allowed in (False, True):
        root = tmp_path / str(allowed)
        src = make_site(
            root,
            {"bad.rst": "Bad\n===\n\n.. image-content:: bad\n"},
            docs={"bad/content.md": prose},
            conf=f"official_images_raw_html = {allowed}\n",
        )
        result = build(src, root / "out", werror=True)
        assert result.status == 0, result.warnings
        results[allowed] = _body(result)
    assert results[False].find(class_="oi-raw") is None
    assert '<span class="oi-raw">raw</span>' in results[False].get_text()
    assert results[True].find("span", class_="oi-raw") is not None
    assert results[True].find("div", class_="oi-block") is not None
