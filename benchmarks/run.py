"""Time improvedir against its baselines on a synthetic directory and print a table.

    python3 benchmarks/run.py [--dir DIR] [--repeat 3]

Every timing is a whole subprocess (interpreter start-up included), best of --repeat runs,
because that is what a contributor, CI or a performance manager waits for. The table also
goes to benchmarks/out/results.md. The targets come from issues 2, 3 and 4; see README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMAS = REPO / "schemas"
REAL_CONTENT = REPO / "content"
OUT = HERE / "out"
DEFAULT_DIR = OUT / "synthetic"
BIN = Path(sys.executable).parent
SCHEMA_FOR = {"areas": "areas", "tactics": "tactic", "exemplars": "exemplar"}

# (a) the floor for reading the files at all: libyaml through PyYAML, nothing else.
BARE_PARSE = """
import os, sys, yaml
root = sys.argv[1]
paths = [os.path.join(root, "areas.yaml")]
for kind in ("tactics", "exemplars"):
    folder = os.path.join(root, kind)
    paths += sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith((".yaml", ".yml")))
for path in paths:
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
print(len(paths), "files parsed")
"""

# (b) what a project without a custom validator would write. Unquoted dates are kept as
# text (as improvedir and check-jsonschema do), or every exemplar would fail "type: string".
NAIVE_JSONSCHEMA = """
import json, os, sys, yaml
from jsonschema import Draft202012Validator
class Loader(yaml.CSafeLoader):
    pass
Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
root, schemas = sys.argv[1], sys.argv[2]
kinds = {"areas": "areas", "tactics": "tactic", "exemplars": "exemplar"}
validators = {}
for kind, name in kinds.items():
    with open(os.path.join(schemas, name + ".schema.json"), encoding="utf-8") as f:
        validators[kind] = Draft202012Validator(json.load(f))
files = [("areas", os.path.join(root, "areas.yaml"))]
for kind in ("tactics", "exemplars"):
    folder = os.path.join(root, kind)
    files += [(kind, os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n.endswith((".yaml", ".yml"))]
errors = 0
for kind, path in files:
    with open(path, "rb") as f:
        data = yaml.load(f, Loader=Loader)
    errors += sum(1 for _ in validators[kind].iter_errors(data))
print(len(files), "files,", errors, "schema errors")
sys.exit(1 if errors else 0)
"""

# (f) the floor any Typer CLI pays: one command, three options, one line of output.
TYPER_FLOOR = """
from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def main(
    query: Annotated[str, typer.Option()] = "endoscopy",
    limit: Annotated[int, typer.Option()] = 3,
    verbose: Annotated[bool, typer.Option()] = False,
) -> None:
    print(f"query={query} limit={limit} verbose={verbose}")


if __name__ == "__main__":
    app()
"""


@dataclass
class Timing:
    what: str
    seconds: float | None = None
    exit: int | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)


def tool(name: str) -> list[str] | None:
    """The console script installed beside this Python (not a pyenv shim), else on PATH."""
    beside = BIN / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def run_once(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None):
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, timeout=900)
    return time.perf_counter() - start, done


def wait_for_cache_writers(folder: Path) -> None:
    """Wait, untimed, until no background child is writing a cache under ``folder``.

    A cold `suggest` prints its answer and leaves writing the cache to a forked child
    that holds ``<cache>.lock`` while it writes. The next run must not start before it
    is done: it would share the CPU with it, and a child finishing after the cache was
    emptied would turn the next cold run into a warm one.
    """
    try:
        import fcntl
    except ImportError:  # no fork there, so the write happened in the process
        return
    for lock in folder.rglob("*.lock"):
        try:
            fd = os.open(lock, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        finally:
            os.close(fd)


def measure(
    what: str,
    commands: list[list[str]],
    repeat: int,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    ok: tuple[int, ...] = (0,),
    prepare=None,
    settle=None,
) -> Timing:
    """Best over ``repeat`` rounds of running ``commands`` one after another (times summed);
    ``settle`` runs, untimed, after each command."""
    timing = Timing(what)
    for _ in range(repeat):
        if prepare:
            prepare()
        total = 0.0
        for cmd in commands:
            seconds, done = run_once(cmd, env, cwd)
            total += seconds
            if settle:
                settle()
            if timing.exit is None or done.returncode not in ok:
                timing.exit = done.returncode
            if done.returncode not in ok:
                tail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
                timing.note = f"exit {done.returncode}: {tail.splitlines()[-1] if tail else ''}"[
                    :200
                ]
        timing.runs.append(total)
    timing.seconds = min(timing.runs)
    print(
        f"  {what}: {timing.seconds:.2f} s (runs: {', '.join(f'{r:.2f}' for r in timing.runs)})"
        + (f"  [{timing.note}]" if timing.note else ""),
        file=sys.stderr,
        flush=True,
    )
    return timing


def has_command(improvedir: list[str], command: str) -> bool:
    done = subprocess.run([*improvedir, command, "--help"], capture_output=True, timeout=120)
    return done.returncode == 0


def content_files(root: Path) -> dict[str, list[str]]:
    """Paths relative to ``root``, per kind, as the benchmarks pass them to check-jsonschema."""
    found = {"areas": ["areas.yaml"]}
    for kind in ("tactics", "exemplars"):
        names = sorted(n for n in os.listdir(root / kind) if n.endswith((".yaml", ".yml")))
        found[kind] = [f"{kind}/{n}" for n in names]
    return found


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "MISS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help="content folder to time (generated if missing)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement; the best counts"
    )
    args = parser.parse_args(argv)
    root: Path = args.dir.resolve()
    repeat = max(1, args.repeat)

    generated = None
    if not (root / "areas.yaml").is_file():
        print(f"Generating {root} ...", file=sys.stderr, flush=True)
        seconds, done = run_once([sys.executable, str(HERE / "generate.py"), str(root)])
        if done.returncode != 0:
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
            return 1
        generated = seconds

    improvedir = tool("improvedir") or [sys.executable, "-m", "improvedir"]
    check_jsonschema = tool("check-jsonschema")
    files = content_files(root)
    n_files = sum(len(v) for v in files.values())
    n_bytes = sum((root / p).stat().st_size for v in files.values() for p in v)
    print(
        f"Timing {n_files} files ({n_bytes / 1e6:.1f} MB) in {root}, best of {repeat}",
        file=sys.stderr,
    )

    env = {k: v for k, v in os.environ.items() if k != "IMPROVEDIR_CONTENT"}
    env["NO_COLOR"] = "1"
    t: dict[str, Timing] = {}
    work = Path(tempfile.mkdtemp(prefix="improvedir-bench-"))
    try:
        t["parse"] = measure(
            "bare parse (PyYAML CSafeLoader)",
            [[sys.executable, "-c", BARE_PARSE, str(root)]],
            repeat,
            env=env,
        )
        t["naive"] = measure(
            "parse + jsonschema Draft202012Validator",
            [[sys.executable, "-c", NAIVE_JSONSCHEMA, str(root), str(SCHEMAS)]],
            repeat,
            env=env,
        )
        if check_jsonschema:
            t["cj"] = measure(
                "check-jsonschema (3 runs, one per schema, summed)",
                [
                    [
                        *check_jsonschema,
                        "--schemafile",
                        str(SCHEMAS / f"{SCHEMA_FOR[kind]}.schema.json"),
                        *paths,
                    ]
                    for kind, paths in files.items()
                ],
                repeat,
                env=env,
                cwd=root,
            )
        else:
            t["cj"] = Timing("check-jsonschema", note="not installed: skipped")
        t["validate"] = measure(
            "improvedir validate",
            [[*improvedir, "validate", "--content", str(root)]],
            repeat,
            env=env,
        )
        if has_command(improvedir, "check"):
            # exit 1 only means some tactics lack three exemplars, which the data is built to have
            t["check"] = measure(
                "improvedir check",
                [[*improvedir, "check", "--content", str(root)]],
                repeat,
                env=env,
                ok=(0, 1),
            )
        else:
            t["check"] = Timing(
                "improvedir check", note="`improvedir check` does not exist yet: skipped"
            )
        floor = work / "typer_floor.py"
        floor.write_text(TYPER_FLOOR, encoding="utf-8")
        t["floor"] = measure(
            "minimal Typer program (floor)",
            [[sys.executable, str(floor), "--query", "endoscopy"]],
            repeat,
            env=env,
        )

        cache_env = dict(env, XDG_CACHE_HOME=str(work / "cache"))

        def settle_cache() -> None:
            wait_for_cache_writers(work / "cache")

        def empty_cache() -> None:
            settle_cache()
            shutil.rmtree(work / "cache", ignore_errors=True)
            (work / "cache").mkdir()

        has_suggest = has_command(improvedir, "suggest")
        for label, folder in (("", root), ("real ", REAL_CONTENT)):
            cmd = [*improvedir, "suggest", "endoscopy", "--content", str(folder)]
            if not has_suggest:
                note = "`improvedir suggest` does not exist yet: skipped"
                t[f"{label}cold"] = Timing(f"{label}suggest endoscopy, cold", note=note)
                t[f"{label}warm"] = Timing(f"{label}suggest endoscopy, warm", note=note)
                continue
            t[f"{label}cold"] = measure(
                f"{label}improvedir suggest endoscopy, cold (cache emptied)",
                [cmd],
                repeat,
                env=cache_env,
                prepare=empty_cache,
                settle=settle_cache,
            )
            run_once(cmd, cache_env)  # build the cache
            settle_cache()
            t[f"{label}warm"] = measure(
                f"{label}improvedir suggest endoscopy, warm (cache built)",
                [cmd],
                repeat,
                env=cache_env,
                settle=settle_cache,
            )
        t["real validate"] = measure(
            "real improvedir validate",
            [[*improvedir, "validate", "--content", str(REAL_CONTENT)]],
            repeat,
            env=env,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def ratio(a: str, b: str) -> float | None:
        x, y = t[a].seconds, t[b].seconds
        return None if x is None or y is None or y == 0 else x / y

    rows: list[tuple[str, float | None, str, str, str]] = []

    def row(
        key: str, what: str, ratio_text: str = "", target: str = "", ok: bool | None = None
    ) -> None:
        timing = t[key]
        if timing.note and timing.seconds is None:
            ratio_text, target, ok = timing.note, target, None
        elif timing.note:
            ratio_text = f"{ratio_text} ({timing.note})".strip()
            ok = False if target else None
        rows.append((what, timing.seconds, ratio_text, target, verdict(ok)))

    def x(value: float | None, suffix: str) -> str:
        return "-" if value is None else f"{value:.2f}x {suffix}"

    real_counts = content_files(REAL_CONTENT)
    real_files = sum(len(v) for v in real_counts.values())
    row("parse", "(a) bare parse, PyYAML CSafeLoader", "baseline")
    row(
        "naive",
        "(b) parse + jsonschema Draft202012Validator",
        x(ratio("naive", "parse"), "bare parse"),
    )
    row("cj", "(c) check-jsonschema, 3 invocations summed", x(ratio("cj", "parse"), "bare parse"))
    r = ratio("validate", "parse")
    row(
        "validate",
        "(d) improvedir validate",
        x(r, "bare parse"),
        "<= 2x bare parse",
        None if r is None else r <= 2.0,
    )
    r = ratio("cj", "validate")
    row(
        "validate",
        "(d) improvedir validate vs check-jsonschema",
        "-" if r is None else f"{r:.1f}x faster",
        ">= 5x faster",
        None if r is None else r >= 5.0,
    )
    r = ratio("check", "validate")
    row(
        "check",
        "(e) improvedir check",
        x(r, "validate"),
        "<= 1.2x validate",
        None if r is None else r <= 1.2,
    )
    row("floor", "(f) minimal Typer program (floor)", "baseline")
    r = ratio("cold", "validate")
    row(
        "cold",
        "(g) suggest endoscopy, cold (no cache)",
        x(r, "validate"),
        "<= 1.3x validate (issue 10)",
        None if r is None else r <= 1.3,
    )
    r = ratio("warm", "floor")
    row(
        "warm",
        "(g) suggest endoscopy, warm",
        x(r, "Typer floor"),
        "<= 1.5x Typer floor",
        None if r is None else r <= 1.5,
    )
    row(
        "real cold",
        f"real content ({real_files} files): suggest endoscopy, cold",
        x(ratio("real cold", "floor"), "Typer floor"),
    )
    r = ratio("real warm", "floor")
    row(
        "real warm",
        f"real content ({real_files} files): suggest endoscopy, warm",
        x(r, "Typer floor"),
        "<= 1.5x Typer floor",
        None if r is None else r <= 1.5,
    )
    row(
        "real validate",
        f"real content ({real_files} files): validate",
        x(ratio("real validate", "floor"), "Typer floor"),
    )

    header = [
        f"Synthetic directory: {len(files['tactics'])} tactics, {len(files['exemplars'])} exemplars "
        f"({n_files} files, {n_bytes / 1e6:.1f} MB)"
        + (f", generated in {generated:.1f} s" if generated else "")
        + ".",
        f"Machine: {os.cpu_count()} cores, {cpu_model()}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}.",
        f"Versions: improvedir {version('improvedir')}, typer {version('typer')}, PyYAML {version('PyYAML')}, "
        f"jsonschema {version('jsonschema')}, check-jsonschema {version('check-jsonschema')}.",
        f"Each time is a whole subprocess, best of {repeat} runs; {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
    ]
    table = [
        "| what | seconds | ratio | target | result |",
        "| --- | ---: | --- | --- | --- |",
        *(f"| {w} | {fmt(s)} | {rt} | {tg} | {v} |" for w, s, rt, tg, v in rows),
    ]
    text = "\n".join(header + table) + "\n"
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    print(f"Written to {OUT / 'results.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
