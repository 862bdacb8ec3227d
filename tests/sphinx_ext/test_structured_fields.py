"""The logo and the license of a built page come from the view model (issue #12).

The docutils emitter builds them as nodes rather than parsing the Markdown
the Markdown emitter writes (``![logo](URL)``, ``# License``): a logo URL that
Markdown would change (an entity, emphasis marks) is the image's ``src`` as
it is, while the Hub Markdown still writes ``![logo](URL)``.
"""

from __future__ import annotations

import html as htmllib
from pathlib import Path

from bs4 import BeautifulSoup

from _sites import build, make_site
from sphinx_official_images.render.markdown import render_readme
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.page import build_page

# Markdown would decode the entity (and a careless emitter would emphasise *b*).
LOGO_URL = "https://cdn.example/{image}/{file}?v=1&amp;x=_a_*b*"
PAGES = {"good.rst": "Good\n====\n\n.. image-readme:: widget\n"}


def test_logo_and_license_of_a_built_page(tmp_path: Path) -> None:
    conf = f"official_images_logo_url = {LOGO_URL!r}\n"
    src = make_site(tmp_path, PAGES, docs={"widget/logo.png": b"\x89PNG fake"}, conf=conf)
    result = build(src, tmp_path / "out")
    assert result.status == 0, result.warnings
    body = BeautifulSoup(result.html("good"), "html.parser").select_one('[role="main"]')
    assert body is not None
    url = LOGO_URL.format(image="widget", file="logo.png")
    images = body.find_all("img")
    assert [(img.get("src"), img.get("alt")) for img in images] == [(url, "logo")]
    section = body.find(id="license")
    assert section is not None and section.name == "section"
    heading = section.find(["h1", "h2", "h3"])
    assert heading is not None and heading.get_text().rstrip("¶") == "License"
    assert "View the license of widget." in section.get_text()
    # the section is the page's last: nothing after it was pulled in or left behind
    assert section.find_next_sibling("section") is None

    # the Hub Markdown is unchanged: update.sh's ![logo](URL) and # License
    loader = Loader(tmp_path / "library", tmp_path / "docs", tmp_path / "facts")
    markdown = render_readme(build_page(loader, "widget", logo_url=LOGO_URL))
    assert f"![logo]({url})" in markdown
    assert "\n\n# License\n\nView the license of widget." in markdown
    assert htmllib.unescape(url) != url  # the case Markdown would have changed
