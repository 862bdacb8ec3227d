"""The benchmark's own measuring extension: where a build's time goes, per phase.

``benchmarks/catalogue.py`` adds this module to the ``extensions`` of both of
its projects (the generated catalogue and the static baseline), so both are
measured the same way, inside the build process. It is part of the benchmark,
never of the product: it wraps a few methods of Sphinx's HTML builder and
environment with timers (a benchmark may monkeypatch; the extension may not)
and brackets Sphinx's events.

Each phase records wall seconds (``time.perf_counter``) and CPU seconds of
this process (``time.process_time``): on a shared machine the CPU figure is
the one that shows the work, the wall figure what a writer waits. With
``-j N`` the reading and writing workers are forked processes; their CPU is
in the build's ``children`` total, not in these phases.

The phases, in build order:

* ``startup``: interpreter start to ``builder-inited`` (imports, ``conf.py``,
  extensions' setup, the builder's init), except ``load env``: loading the
  pickled environment of the previous build;
* ``builder-inited``: every ``builder-inited`` handler (the catalogue's
  generation step runs here);
* ``find``: finding documents and the outdated ones;
* ``read``: ``env-before-read-docs`` to ``env-updated`` (parsing, transforms,
  pickling doctrees, merging workers' environments);
* ``consistency``: ``env-updated`` to ``write-started`` (outdated
  dependents, pickling the environment, the consistency check);
* ``prepare``, ``assets``: the HTML builder's ``prepare_writing`` and
  copying static/download/extra files;
* ``resolve``: ``get_and_resolve_doctree`` (loading the pickled doctree,
  post-transforms, cross-references, toctrees);
* ``search terms``: ``index_page`` (feeding each page to the search indexer);
* ``write``: the rest of writing each page (translation to HTML, the
  template, the file);
* ``genindex``, ``domain indices``, ``additional pages`` (search page),
  ``images``, ``search index`` (``dump_search_index``), ``inventory``
  (``dump_inventory``), ``buildinfo``;
* ``exit``: the rest, to ``build_main``'s return (what the interpreter does
  after that, ``interpreter exit`` in ``catalogue.py``'s table, is measured
  from outside).

It also books the CPU the garbage collector takes (``gc.callbacks``) to the
phase it interrupts: a full collection walks every object of the process,
so it costs more as the build holds more (all doctrees between reading and
writing), and it falls on whichever phase allocates when it is due.
"""

from __future__ import annotations

import functools
import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# name -> [wall seconds, cpu seconds, calls]
PHASES: dict[str, list[float]] = {}
# The running sequential phase: its name, when it started, and how much
# time timed methods had taken by then (theirs, not the phase's).
_SEQ: dict[str, Any] = {"name": "startup", "wall": 0.0, "cpu": 0.0, "timed": (0.0, 0.0)}
# Exclusive time of every timed method call so far.
_TIMED = [0.0, 0.0]
# The timed methods running (innermost last), and the garbage collector's CPU
# seconds per phase; the CPU clock when the running collection started.
_STACK: list[str] = []
GC: dict[str, float] = {}
# Full collections (generation 2) per phase: each walks every tracked object,
# so one more or fewer moves a phase by seconds on a catalogue-sized heap.
FULL: dict[str, int] = {}
_GC_START = [0.0]


def _gc_callback(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _GC_START[0] = time.process_time()
        return
    name = _STACK[-1] if _STACK else _SEQ["name"]
    GC[name] = GC.get(name, 0.0) + time.process_time() - _GC_START[0]
    if info.get("generation") == 2:
        FULL[name] = FULL.get(name, 0) + 1


def start_clock() -> None:
    """The runner calls this first thing: ``startup`` counts from here."""
    _SEQ["wall"], _SEQ["cpu"] = time.perf_counter(), time.process_time()
    if _gc_callback not in gc.callbacks:
        gc.callbacks.append(_gc_callback)


def _add(name: str, wall: float, cpu: float) -> None:
    slot = PHASES.setdefault(name, [0.0, 0.0, 0])
    slot[0] += wall
    slot[1] += cpu
    slot[2] += 1


def _mark(next_name: str) -> None:
    """Close the running sequential phase (minus timed calls in it); start ``next_name``."""
    wall, cpu = time.perf_counter(), time.process_time()
    timed_wall, timed_cpu = _SEQ["timed"]
    _add(
        _SEQ["name"],
        wall - _SEQ["wall"] - (_TIMED[0] - timed_wall),
        cpu - _SEQ["cpu"] - (_TIMED[1] - timed_cpu),
    )
    _SEQ.update(name=next_name, wall=wall, cpu=cpu, timed=(_TIMED[0], _TIMED[1]))


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with its own time booked under ``name`` (timed calls inside excluded)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        inner_wall, inner_cpu = _TIMED
        wall, cpu = time.perf_counter(), time.process_time()
        _STACK.append(name)
        try:
            return func(*args, **kwargs)
        finally:
            _STACK.pop()
            own_wall = time.perf_counter() - wall - (_TIMED[0] - inner_wall)
            own_cpu = time.process_time() - cpu - (_TIMED[1] - inner_cpu)
            _add(name, own_wall, own_cpu)
            _TIMED[0] += own_wall
            _TIMED[1] += own_cpu

    wrapper.__wrapped_phase__ = True  # type: ignore[attr-defined]
    return wrapper


def _wrap(cls: type, method: str, name: str) -> None:
    func = cls.__dict__.get(method)
    if func is None or getattr(func, "__wrapped_phase__", False):
        return
    setattr(cls, method, _timed(name, func))


def _install() -> None:
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

    for method, name in (
        ("prepare_writing", "prepare"),
        ("copy_download_files", "assets"),
        ("copy_static_files", "assets"),
        ("copy_extra_files", "assets"),
        ("index_page", "search terms"),
        ("write_doc", "write"),
        ("write_doc_serialized", "write"),
        ("write_genindex", "genindex"),
        ("write_domain_indices", "domain indices"),
        ("gen_pages_from_extensions", "additional pages"),
        ("gen_additional_pages", "additional pages"),
        ("copy_image_files", "images"),
        ("write_buildinfo", "buildinfo"),
        ("dump_search_index", "search index"),
        ("dump_inventory", "inventory"),
    ):
        _wrap(StandaloneHTMLBuilder, method, name)
    _wrap(BuildEnvironment, "get_and_resolve_doctree", "resolve")
    # Private, but this is the benchmark: loading the pickled environment.
    from sphinx.application import Sphinx

    _wrap(Sphinx, "_load_existing_env", "load env")


def _phase(name: str) -> Callable[..., None]:
    def handler(*_args: object) -> None:
        _mark(name)

    return handler


def report(returncode: int) -> None:
    """One JSON line on stderr with every phase and the process's CPU; the runner's last act."""
    _mark("exit")
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = {
        "rc": returncode,
        "phases": {k: [v[0], v[1]] for k, v in PHASES.items()},
        "gc": GC,
        "full": FULL,
        "cpu_self": own.ru_utime + own.ru_stime,
        "cpu_children": children.ru_utime + children.ru_stime,
        "peak_kib": max(own.ru_maxrss, children.ru_maxrss),
        # when this was written: what the interpreter does after it (freeing
        # what is left, a last collection at exit) is measured from outside
        "reported_at": time.time(),
    }
    sys.stderr.write("@@PHASES@@" + json.dumps(data) + "\n")


def setup(app: Any) -> dict[str, Any]:
    _install()  # a no-op when the runner installed the timers already
    # Priorities: lower runs first (default 500), so these bracket every
    # other handler of the event.
    app.connect("builder-inited", _phase("builder-inited"), priority=0)
    app.connect("builder-inited", _phase("find"), priority=10**6)
    app.connect("env-before-read-docs", _phase("read"), priority=0)
    app.connect("env-updated", _phase("consistency"), priority=0)
    app.connect("write-started", _phase("writing (other)"), priority=0)
    app.connect("build-finished", _phase("exit"), priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
