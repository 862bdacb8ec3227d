"""Time the generated catalogue against the same pages as plain MyST Markdown.

Usage::

    python benchmarks/catalogue.py [--corpus PATH] [--theme alabaster|furo]
                                   [--jobs N] [--rounds N] [--every N]
                                   [--parallel] [--scaling]
                                   [--no-incremental] [--keep DIR]

It builds, with the same ``conf.py`` and theme:

(a) the **catalogue**: ``official_images_generate = True`` over the corpus
    (``../shared/corpus/current`` or ``OFFICIAL_IMAGES_CORPUS``): every
    image's default view and one page per architecture it supports, the
    image index and the tag index, built with ``-W``;
(b) the **static baseline**: the same pages as plain MyST Markdown, each the
    corpus' expected ``README.md`` of the image (copied once per architecture
    page, under its namespace), ``orphan`` like the generated pages, and an
    index page linking every page (the same navigation as (a), so neither
    pays for a global toctree).

It runs ``--rounds`` (default 3) interleaved rounds: each builds (a) and (b)
from scratch, in an order that alternates from round to round, and the
ratio (a)/(b) is taken per round, so a change in the machine's load falls
on both builds of a round. Every build runs in a fresh interpreter with the
benchmark's measuring extension (``_phases.py``), which reports each build
phase (read, resolve, write, search terms and index, general index,
inventory...) in wall and CPU seconds of the build process. A build's CPU is
measured from outside, as the process's whole life (its ``-j`` workers and
the interpreter's exit included): a build that leaves its doctrees to the
collector at exit does not look cheaper than one that frees them while
writing. A loaded machine shows as wall time far above CPU. ``--parallel``
adds (a) and (b) with ``-j 2`` to each round and prints their speed-ups; ``--scaling``
adds (a) over 1/4 and 1/2 of the images; ``--every N`` takes every Nth image
for every build (a quick run).

After the rounds it rebuilds the last (a) in place, ``--rounds`` times each:
with nothing changed, after touching one manifest, and after editing a
hand-written page that uses directives (added to (a) for this); then the
last (b) the same way (nothing changed, every page of the image touched, one
of them edited): what Sphinx itself takes to rebuild the same pages.
``--parallel`` builds (b) with ``-j 2`` too, for the speed-up Sphinx gives
the static pages. The last line is the median ratio with its spread, for
wall and CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.view.catalogue import GenerateOptions, plan_catalogue

_BENCH = Path(__file__).resolve().parent


def _warn(message: str) -> None:
    print(f"official_images_generate: {message}", file=sys.stderr)


# Runs one sphinx-build in a fresh interpreter with the phase timers of
# ``_phases.py`` installed; they report every phase, the CPU of the process
# and of its -j workers and the peak memory as one line on stderr.
_RUNNER = f"""
import sys
sys.path.insert(0, {str(_BENCH)!r})
import _phases
_phases.start_clock()
_phases._install()
from sphinx.cmd.build import build_main
rc = build_main(sys.argv[1:])
_phases.report(rc)
sys.exit(rc)
"""

_CONF = """\
import sys
sys.path.insert(0, {bench!r})  # the benchmark's measuring extension
extensions = ["myst_parser", "sphinx_official_images", "_phases"]
project = "catalogue benchmark"
exclude_patterns = ["_build"]
html_theme = {theme!r}
official_images_library = {library!r}
official_images_docs = {docs!r}
official_images_facts = {facts!r}
# The corpus prose (docker-library/docs) skips heading levels, has snippets
# Pygments cannot lex (nginx, console) and two links to anchors that do not
# exist (bonita). They render as on the Hub; these keep -W for everything else.
suppress_warnings = ["myst.header", "misc.highlighting_failure"]
nitpick_ignore = [("myst", "MONITORING_USERNAME"), ("myst", "MONITORING_PASSWORD")]
{extra}
"""

_UPDATED = re.compile(
    r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed"
)


def _default_corpus() -> Path:
    env = os.environ.get("OFFICIAL_IMAGES_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass
class Build:
    """One sphinx-build run, measured from outside (wall) and inside (phases)."""

    seconds: float
    cpu: float  # user + sys seconds of the whole build process and its -j workers
    peak_mib: float
    returncode: int
    warnings: int
    added: int
    changed: int
    removed: int
    reread: list[str]
    phases: dict[str, tuple[float, float]]  # name -> (wall s, cpu s) inside the main process
    gc: dict[str, float]  # name -> cpu s of the garbage collector within the phase
    full: dict[str, int]  # name -> full collections (generation 2) within the phase
    cpu_workers: float = 0.0  # the part of ``cpu`` spent in -j workers


def sphinx_build(src: Path, out: Path, jobs: int, strict: bool) -> Build:
    args = [sys.executable, "-c", _RUNNER, "-b", "html", "-d", str(out / ".doctrees")]
    args += ["-j", str(jobs)] if jobs > 1 else []
    args += ["-W", "--keep-going"] if strict else []
    args += [str(src), str(out / "html")]
    # The child's CPU from its start to its end, exit included (the phases
    # below are measured inside it, up to build_main's return).
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    ended = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report: dict[str, Any] = {"rc": proc.returncode, "peak_kib": 0, "phases": {}}
    report |= {"cpu_self": 0.0, "cpu_children": 0.0}
    for line in proc.stderr.splitlines():
        if line.startswith("@@PHASES@@"):
            report = json.loads(line[len("@@PHASES@@") :])
    phases = {k: (v[0], v[1]) for k, v in report["phases"].items()}
    if "reported_at" in report:
        inside = report["cpu_self"] + report["cpu_children"]
        phases["interpreter exit"] = (ended - report["reported_at"], cpu - inside)
    warnings = sum(1 for line in proc.stderr.splitlines() if "WARNING" in line)
    found = _UPDATED.search(proc.stdout)
    added, changed, removed = (int(g) for g in found.groups()) if found else (0, 0, 0)
    reread = re.findall(r"reading sources\.\.\. \[[ \d]+%\] (\S+)", proc.stdout)
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode:
        sys.stderr.write(proc.stderr[-4000:])
    return Build(
        seconds,
        cpu,
        report["peak_kib"] / 1024,
        proc.returncode,
        warnings,
        added,
        changed,
        removed,
        reread,
        phases,
        dict(report.get("gc", {})),
        dict(report.get("full", {})),
        report["cpu_children"],
    )


@dataclass
class Corpus:
    library: Path
    docs: Path
    facts: Path


def _conf(corpus: Corpus, theme: str, extra: str) -> str:
    return _CONF.format(
        bench=str(_BENCH),
        theme=theme,
        library=str(corpus.library),
        docs=str(corpus.docs),
        facts=str(corpus.facts),
        extra=extra,
    )


def make_catalogue(root: Path, corpus: Corpus, theme: str, images: list[str] | None) -> Path:
    """Project (a): the extension generates every page."""
    src = root / "src"
    src.mkdir(parents=True)
    generate = True if images is None else {"images": images}
    (src / "conf.py").write_text(
        _conf(corpus, theme, f"official_images_generate = {generate!r}"), encoding="utf-8"
    )
    (src / "index.md").write_text(
        "# Catalogue benchmark\n\n```{toctree}\ncatalogue/index\n```\n", encoding="utf-8"
    )
    return src


def make_baseline(
    root: Path, corpus: Corpus, theme: str, images: list[str] | None
) -> tuple[Path, int]:
    """Project (b): the expected READMEs as plain MyST pages, one per generated page."""
    src = root / "src"
    pages = src / "pages"
    pages.mkdir(parents=True)
    (src / "conf.py").write_text(_conf(corpus, theme, ""), encoding="utf-8")
    (src / "index.md").write_text(
        "# Catalogue benchmark\n\n```{toctree}\npages/index\n```\n", encoding="utf-8"
    )
    loader = Loader(corpus.library, corpus.docs, corpus.facts)
    options = GenerateOptions(images=None if images is None else tuple(images))
    entries = plan_catalogue(loader, options, dict(loader.arch_namespaces), warn=_warn)
    rows = ["# Pages", "", "| Image | Pages |", "| --- | --- |"]
    count = 0
    for entry in entries:
        readme = (corpus.docs / entry.image / "README.md").read_text(encoding="utf-8")
        links = []
        for view in entry.views:
            path = pages / f"{view.docname}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("---\norphan: true\n---\n" + readme, encoding="utf-8")
            links.append(f"[{view.arch or 'default'}]({view.docname}.md)")
            count += 1
        rows.append(f"| {entry.image} | {', '.join(links)} |")
    (pages / "index.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return src, count


def _images(corpus: Corpus) -> list[str]:
    loader = Loader(corpus.library, corpus.docs, corpus.facts)
    return sorted(set(loader.images()) & set(loader.manifest_images()))


def _pages(corpus: Corpus, images: list[str] | None) -> int:
    loader = Loader(corpus.library, corpus.docs, corpus.facts)
    options = GenerateOptions(images=None if images is None else tuple(images))
    return sum(
        len(e.views) for e in plan_catalogue(loader, options, loader.arch_namespaces, warn=_warn)
    )


# The phases in build order (see _phases.py).
_ORDER = (
    "startup",
    "load env",
    "builder-inited",
    "find",
    "read",
    "consistency",
    "prepare",
    "assets",
    "resolve",
    "write",
    "search terms",
    "writing (other)",
    "genindex",
    "domain indices",
    "additional pages",
    "images",
    "search index",
    "inventory",
    "buildinfo",
    "exit",
    "interpreter exit",
)


def _spread(values: list[float]) -> str:
    return f"{median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def _phase_table(columns: dict[str, list[Build]]) -> list[str]:
    """Median wall, CPU and garbage-collector CPU of each phase over the rounds, one
    column group per build (the collector's share is in the CPU figure), and the
    median number of full collections (``n2``): one more or fewer in a phase moves
    it by seconds on a catalogue's heap, so compare phases knowing where they fell."""
    names = [n for n in _ORDER if any(n in b.phases for builds in columns.values() for b in builds)]
    head = f"  {'phase':<18}" + "".join(
        f" {label + ' wall':>12} {'cpu':>7} {'(gc)':>6} {'n2':>3}" for label in columns
    )
    lines = [head]
    for name in [*names, "(total)"]:
        row = f"  {name:<18}"
        for builds in columns.values():
            if name == "(total)":
                wall = median(b.seconds for b in builds)
                cpu = median(b.cpu for b in builds)
                collector = median(sum(b.gc.values()) for b in builds)
                full = median(sum(b.full.values()) for b in builds)
            else:
                wall = median(b.phases.get(name, (0.0, 0.0))[0] for b in builds)
                cpu = median(b.phases.get(name, (0.0, 0.0))[1] for b in builds)
                collector = median(b.gc.get(name, 0.0) for b in builds)
                full = median(b.full.get(name, 0) for b in builds)
            row += f" {wall:10.2f} s {cpu:6.2f} {collector:6.2f} {full:3.0f}"
        lines.append(row)
    return lines


def _row(label: str, builds: list[Build], pages: int) -> str:
    wall = median(b.seconds for b in builds)
    cpu = median(b.cpu for b in builds)
    peak = max(b.peak_mib for b in builds)
    bad = [b for b in builds if b.returncode or b.warnings]
    return (
        f"{label:<26} wall {wall:7.1f} s  cpu {cpu:7.1f} s  {peak:6.0f} MiB  "
        f"{pages:4d} pages  {1000 * cpu / max(pages, 1):5.1f} ms cpu/page"
        + (f"  rc={bad[0].returncode} warnings={bad[0].warnings}" if bad else "")
    )


_HANDWRITTEN = """\
---
orphan: true
---
# A hand-written page

The tags and architectures of {image}, from its manifest.

```{{image-tags}} {image}
```

```{{image-arches}} {image}
```
"""


def _incremental(
    src: Path, out: Path, library: Path, image: str, jobs: int, rounds: int
) -> dict[str, list[Build]]:
    """Rebuilds of a built catalogue: nothing changed, a manifest touched, a page edited."""
    page = src / "handwritten.md"
    page.write_text(_HANDWRITTEN.format(image=image), encoding="utf-8")
    sphinx_build(src, out, jobs, strict=True)  # reads the new page once
    return _rebuilds(src, out, [library / image], page, jobs, rounds, strict=True)


def _incremental_baseline(
    src: Path, out: Path, image: str, jobs: int, rounds: int
) -> dict[str, list[Build]]:
    """The same rebuilds of the static pages, Sphinx's own cost for them: nothing
    changed; every page of the image touched (what touching its manifest re-reads
    in (a)); one page edited."""
    views = sorted((src / "pages").rglob(f"{image}.md"))
    return _rebuilds(src, out, views, views[0], jobs, rounds, strict=False)


def _rebuilds(
    src: Path, out: Path, touched: list[Path], edited: Path, jobs: int, rounds: int, strict: bool
) -> dict[str, list[Build]]:
    found: dict[str, list[Build]] = {"noop": [], "touch": [], "edit": []}
    for run in range(rounds):
        found["noop"].append(sphinx_build(src, out, jobs, strict=strict))
        for path in touched:
            os.utime(path)
        found["touch"].append(sphinx_build(src, out, jobs, strict=strict))
        with edited.open("a", encoding="utf-8") as fh:
            fh.write(f"\nEdit {run + 1}.\n")
        found["edit"].append(sphinx_build(src, out, jobs, strict=strict))
    return found


def _print_rebuilds(title: str, found: dict[str, list[Build]], labels: dict[str, str]) -> None:
    print(title)
    for key, label in labels.items():
        runs = found[key]
        reread = runs[-1].added + runs[-1].changed
        print(
            f"  {label:<26} wall {median(r.seconds for r in runs):5.2f} s "
            f"(min {min(r.seconds for r in runs):.2f})  "
            f"cpu {median(r.cpu for r in runs):5.2f} s  {reread} documents re-read"
        )
    for line in _phase_table(found):
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--theme", default="alabaster")
    parser.add_argument("--jobs", "-j", type=int, default=1)
    parser.add_argument("--rounds", "--repeat", type=int, default=3, dest="rounds")
    parser.add_argument(
        "--every", type=int, default=1, help="every Nth image only (4: a quarter), for quick runs"
    )
    parser.add_argument(
        "--parallel", action="store_true", help="also (a) and (b) with -j 2 each round"
    )
    parser.add_argument("--scaling", action="store_true", help="also (a) over 1/4 and 1/2")
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--keep", type=Path, help="build here and keep the projects")
    args = parser.parse_args(argv)
    current = args.corpus / "current"
    if not (current / "library").is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2

    tmp_ctx = None
    if args.keep:
        work = args.keep.resolve()
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="oi-catalogue-bench-")
        work = Path(tmp_ctx.name)
    try:
        # A writable copy of the manifests, so the incremental run can touch one.
        library = work / "library"
        shutil.copytree(current / "library", library)
        corpus = Corpus(library, (current / "docs").resolve(), (current / "facts").resolve())
        every = _images(corpus)
        images = every[:: max(args.every, 1)]
        subset = None if len(images) == len(every) else images
        total_pages = _pages(corpus, subset)
        print(
            f"corpus: {len(images)} images, {total_pages} pages; theme {args.theme}, "
            f"-j {args.jobs}, {args.rounds} interleaved rounds; "
            f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
            f"on {os.cpu_count()} cores",
            flush=True,
        )

        # Each round builds every project once, from scratch, in an order that
        # alternates (a b, b a, ...) so that a change in the machine's load
        # falls on both; the ratio is taken per round.
        subsets = {"1/4": images[::4], "1/2": images[::2]}
        builds: dict[str, list[Build]] = {}
        last = {"a": work, "b": work}
        baseline_pages = 0
        for run in range(max(args.rounds, 1)):
            plan: list[tuple[str, list[str] | None, int]] = [("a", subset, args.jobs)]
            plan.append(("b", subset, args.jobs))
            if run % 2:
                plan.reverse()
            if args.parallel:
                plan += [("a -j 2", subset, 2), ("b -j 2", subset, 2)]
            if args.scaling:
                plan += [(label, sub, args.jobs) for label, sub in subsets.items()]
            times = []
            for name, sub, jobs in plan:
                root = work / f"{re.sub(r'[^a-z0-9]+', '', name)}-{run}"
                static = name.startswith("b")
                if static:
                    src, baseline_pages = make_baseline(root, corpus, args.theme, sub)
                else:
                    src = make_catalogue(root, corpus, args.theme, sub)
                build = sphinx_build(src, root / "_build", jobs, strict=not static)
                builds.setdefault(name, []).append(build)
                times.append(f"{name} {build.seconds:.1f} s (cpu {build.cpu:.1f} s)")
                if name in last:  # kept for the rebuilds
                    if last[name] != work:
                        shutil.rmtree(last[name], ignore_errors=True)
                    last[name] = root
                else:
                    shutil.rmtree(root, ignore_errors=True)
            a, b = builds["a"][-1], builds["b"][-1]
            print(
                f"round {run + 1}: "
                + ", ".join(times)
                + f"; ratio {a.seconds / b.seconds:.2f} (cpu {a.cpu / b.cpu:.2f}); "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        print(_row("(a) generated catalogue", builds["a"], total_pages))
        print(_row("(b) static MyST pages", builds["b"], baseline_pages))
        print("phases (median over the rounds; seconds, cpu = user+sys of the main process):")
        columns = {"(a)": builds["a"], "(b)": builds["b"]}
        if args.parallel:
            columns["(a) -j2"] = builds["a -j 2"]
            columns["(b) -j2"] = builds["b -j 2"]
        for line in _phase_table(columns):
            print(line)
        if args.parallel:
            for name in ("a", "b"):
                serial, parallel = builds[name], builds[f"{name} -j 2"]
                speedups = [
                    one.seconds / two.seconds for one, two in zip(serial, parallel, strict=True)
                ]
                cpu_speedups = [
                    one.cpu / two.cpu for one, two in zip(serial, parallel, strict=True)
                ]
                workers = median(b.cpu_workers for b in parallel)
                print(
                    f"-j 2 speed-up of ({name}), wall: {_spread(speedups)}; cpu -j 1 / -j 2: "
                    f"{_spread(cpu_speedups)} (-j 2: {workers:.1f} cpu s in its workers)"
                )

        if args.scaling:
            print("scaling of (a):")
            pages = {label: _pages(corpus, sub) for label, sub in subsets.items()}
            for label, sub in subsets.items():
                print(_row(f"  {label} ({len(sub)} images)", builds[label], pages[label]))
            print(_row(f"  all ({len(images)} images)", builds["a"], total_pages))

        if not args.no_incremental:
            image = "python" if "python" in images else images[0]
            found = _incremental(
                last["a"] / "src", last["a"] / "_build", library, image, args.jobs, args.rounds
            )
            _print_rebuilds(
                f"incremental (a), after the build above (median of {args.rounds}):",
                found,
                {
                    "noop": "nothing changed",
                    "touch": f"touch library/{image}",
                    "edit": "edit a hand-written page",
                },
            )
            found = _incremental_baseline(
                last["b"] / "src", last["b"] / "_build", image, args.jobs, args.rounds
            )
            _print_rebuilds(
                f"the same rebuilds of (b), Sphinx's own cost (median of {args.rounds}):",
                found,
                {
                    "noop": "nothing changed",
                    "touch": f"touch every {image} page",
                    "edit": f"edit one {image} page",
                },
            )

        ratios = [a.seconds / b.seconds for a, b in zip(builds["a"], builds["b"], strict=True)]
        cpu_ratios = [a.cpu / b.cpu for a, b in zip(builds["a"], builds["b"], strict=True)]
        ok = all(b.returncode == 0 for b in builds["a"])
        print(
            f"ratio (a)/(b), median of {len(ratios)} interleaved rounds: wall {_spread(ratios)}; "
            f"cpu {_spread(cpu_ratios)}"
        )
        return 0 if ok else 1
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
