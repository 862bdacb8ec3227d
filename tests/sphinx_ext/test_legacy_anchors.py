"""Links saved to the old tag ids still land on their tag (``static/official-images.js``).

The ids were once the names themselves (``python:3.14-slim``,
``python:3.14@windows-amd64``, ``image:python``); they are CSS identifiers
now (``tag-python__3_14-slim``, see ``model/names.py``). The page's script
sends a fragment in the old form that names no element on to the new id,
computed as ``tag_anchor``/``image_anchor`` compute it. This runs the
shipped script under Node.js with a stand-in for the page (its ids, its
``location``) and checks it against the Python functions, over generated
names; the browser test follows such a link in Chromium.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_official_images.model.architectures import SUPPORTED_ARCHITECTURES
from sphinx_official_images.model.names import image_anchor, image_key, tag_anchor, tag_key
from sphinx_official_images.sphinx_ext.assets import JS, STATIC

NODE = shutil.which("node") or shutil.which("nodejs")
pytestmark = pytest.mark.skipif(
    NODE is None, reason="Node.js is not installed (apt-get install nodejs)"
)

# For each case: a page holding ``ids``, opened at ``hash``; prints where the
# script sent it (location.replace), or null.
_HARNESS = """
const vm = require("vm");
const fs = require("fs");
const source = fs.readFileSync(process.argv[process.argv.length - 1], "utf8");
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const out = cases.map(({ ids, hash }) => {
  const present = new Set(ids);
  let sent = null;
  const element = { classList: { contains: () => false }, children: [] };
  const sandbox = {
    document: {
      readyState: "complete",
      querySelectorAll: () => [],
      getElementById: (id) => (present.has(id) ? element : null),
      addEventListener: () => {},
    },
    location: { hash, replace: (url) => { sent = url; } },
    window: { addEventListener: () => {} },
    setTimeout, clearTimeout,
  };
  vm.runInNewContext(source, sandbox);
  return sent;
});
process.stdout.write(JSON.stringify(out));
"""


def _run(cases: list[dict[str, object]]) -> list[str | None]:
    assert NODE is not None
    proc = subprocess.run(
        [NODE, "-e", _HARNESS, "--", str(STATIC / JS)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: list[str | None] = json.loads(proc.stdout)
    return result


def _quoted(name: str) -> str:
    """The fragment as a browser reports it (``location.hash``): percent-encoded."""
    return "#" + urllib.parse.quote(name, safe=":@-._~")


def test_old_tag_and_image_links_go_to_the_new_ids() -> None:
    cases = [
        ("python:3.14-slim", tag_anchor("python", "3.14-slim", None)),
        ("python:3.14@windows-amd64", tag_anchor("python", "3.14", "windows-amd64")),
        ("image:python", image_anchor("python", None)),
        ("image:python@windows-amd64", image_anchor("python", "windows-amd64")),
        # a tag the readable spelling would confuse is spelled out
        ("busybox:1.36_musl", tag_anchor("busybox", "1.36_musl", None)),
    ]
    sent = _run([{"ids": [new], "hash": _quoted(old)} for old, new in cases])
    assert sent == [f"#{new}" for _, new in cases]
    assert cases[-1][1].startswith("tagx-")


def test_other_fragments_are_left_alone() -> None:
    new = tag_anchor("python", "3.14-slim", None)
    sent = _run(
        [
            {"ids": [new], "hash": f"#{new}"},  # already the new id
            {"ids": [new, "python:3.14-slim"], "hash": "#python:3.14-slim"},  # names an element
            {"ids": [], "hash": "#python:3.14-slim"},  # nothing on this page
            {"ids": [new], "hash": "#supported-tags"},  # a section
            {"ids": [new], "hash": ""},
            {"ids": [new], "hash": "#%E0%A4%A"},  # not decodable
            {"ids": [new], "hash": "#a:b:c"},
            {"ids": [new], "hash": "#python:3.14@arm64v8@x"},
        ]
    )
    assert sent == [None] * 8


names = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True)
tags = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}", fullmatch=True)
arches = st.none() | st.sampled_from(sorted(SUPPORTED_ARCHITECTURES))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(names, tags, arches), min_size=1, max_size=20))
def test_the_script_computes_the_ids_as_the_extension_does(
    views: list[tuple[str, str, str | None]],
) -> None:
    cases: list[dict[str, object]] = []
    expected: list[str] = []
    for image, tag, arch in views:
        for old, new in (
            (tag_key(image, tag, arch), tag_anchor(image, tag, arch)),
            ("image:" + image_key(image, arch), image_anchor(image, arch)),
        ):
            cases.append({"ids": [new], "hash": _quoted(old)})
            expected.append(f"#{new}")
    assert _run(cases) == expected
