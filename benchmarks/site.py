"""How fast `improvedir site` builds the bundled directory, and how much the home page
costs a visitor (a benchmark, not a test: nothing fails when a target is missed).

    python3 benchmarks/site.py [--repeat 3] [--content DIR]

Targets (issue 13): the build of the bundled directory under 2 s; on a large directory
(--content benchmarks/out/synthetic) at most 3x `improvedir validate` of it; the home page
plus the search index, what a visitor downloads before the first search, at most 300 KB
transferred (gzip, as GitHub Pages and other static hosts send text; the raw size is shown
beside it).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_TARGET_S = 2.0
VALIDATE_TIMES = 3
SIZE_TARGET_KB = 300


def _best(times: list[float]) -> float:
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()

    from improvedir.content.validate import load_directory
    from improvedir.engine.search import Index
    from improvedir.render.site import build_pages, write_site

    def build(home: str) -> float:
        # IMPROVEDIR_HOME holds the user cache: a fresh one remembers nothing (the first
        # build on a machine); a kept one remembers the English words the index needs.
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "improvedir", "site", "--out", str(Path(tmp) / "site")]
                + ["--content", str(args.content)],
                check=True,
                capture_output=True,
                env={**os.environ, "IMPROVEDIR_HOME": home},
            )
            return time.perf_counter() - start

    def validate() -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "improvedir", "validate", "--content", str(args.content)],
            capture_output=True,
        )
        return time.perf_counter() - start

    kept = tempfile.mkdtemp()
    build(kept)
    command, first_builds, validates, in_process, stages = [], [], [], [], {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as fresh:
            first_builds.append(build(fresh))
        command.append(build(kept))
        validates.append(validate())
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            directory = load_directory(args.content).directory
            t1 = time.perf_counter()
            index = Index(directory)
            t2 = time.perf_counter()
            built = build_pages(directory, index=index)
            t3 = time.perf_counter()
            write_site(built, Path(tmp) / "site")
            t4 = time.perf_counter()
            in_process.append(t4 - t0)
            for name, value in (
                ("load", t1 - t0),
                ("index", t2 - t1),
                ("pages", t3 - t2),
                ("write", t4 - t3),
            ):
                stages.setdefault(name, []).append(value)

    home = built.files["index.html"]
    search = built.files["search-index.js"]
    scripts = built.files["assets/search.js"] + built.files["assets/site.js"]
    css = built.files["assets/site.css"]
    first = len(home) + len(search)
    sent = len(gzip.compress(home)) + len(gzip.compress(search))
    everything = first + len(scripts) + len(css)
    total = sum(len(v) for v in built.files.values())
    pages = sum(1 for p in built.files if p.endswith(".html"))

    def kb(n: int) -> str:
        return f"{n / 1024:.0f} KB"

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    rows = [
        (
            f"`improvedir site`, first build on a machine (best of {args.repeat})",
            f"{_best(first_builds):.2f} s",
            f"< {BUILD_TARGET_S:.0f} s",
            verdict(_best(first_builds) < BUILD_TARGET_S),
        ),
        (
            f"`improvedir site`, rebuild of unchanged vocabulary (best of {args.repeat})",
            f"{_best(command):.2f} s",
            f"< {BUILD_TARGET_S:.0f} s",
            verdict(_best(command) < BUILD_TARGET_S),
        ),
        (
            f"`improvedir validate` of the same directory (best of {args.repeat})",
            f"{_best(validates):.2f} s",
            "",
            "",
        ),
        (
            "  first build / validate, rebuild / validate",
            f"{_best(first_builds) / _best(validates):.2f}x, "
            f"{_best(command) / _best(validates):.2f}x",
            f"<= {VALIDATE_TIMES}x",
            verdict(max(_best(first_builds), _best(command)) <= VALIDATE_TIMES * _best(validates)),
        ),
        ("build in process (load + index + pages + write)", f"{_best(in_process):.2f} s", "", ""),
        *[(f"  {name}", f"{_best(v):.3f} s", "", "") for name, v in stages.items()],
        (
            "home page + search index, transferred (gzip)",
            f"{kb(sent)} ({kb(first)} raw)",
            f"<= {SIZE_TARGET_KB} KB",
            verdict(sent <= SIZE_TARGET_KB * 1024),
        ),
        ("  index.html", kb(len(home)), "", ""),
        (
            "  search-index.js",
            f"{kb(len(search))} ({kb(len(gzip.compress(search)))} gzipped)",
            "",
            "",
        ),
        ("home with its scripts and stylesheet", kb(everything), "", ""),
        (f"whole site ({pages} pages, {len(built.files)} files)", kb(total), "", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target, result in rows:
        print(f"{name:<{width}}  {value:>24}  {target:>10}  {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
