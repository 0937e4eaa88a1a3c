"""Fit search's field weights and relevance constants on some blind sets, report others.

The constants in engine/search.py (WEIGHTS, the boosts, K1 and B, the relevance floors)
were first set by hand. This fits them by coordinate ascent on the sets named by --fit
(by default A to L, the sets whose misses have been read): each constant in turn is
multiplied by 0.5 to 2, and a value is kept when the objective rises on those sets. The
objective counts what a manager notices: first answers right, plus reciprocal ranks, plus
twice the off-topic queries answered with nothing (an off-topic answer is the costlier
mistake). It never looks at the sets named by --report, which are scored once at the end
with the constants as they were and as fitted: that is the figure to believe.

Nothing is written: copy a fitted value into engine/search.py by hand (every weight must
stay a multiple of browser_index.TF_UNIT, or the web site's index grows fourfold), bump
INDEX_VERSION, and confirm on a set written after the choice.

Run: python3 benchmarks/fit_weights.py [--fit abcdefghijkl] [--report mnopqrstuvw]
(sets named beyond Z, such as ZA, go in a comma-separated list: --report x,y,z,za)
(two sweeps over 820 queries take about ten minutes on this machine).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from search_quality import blind_sets, first_right

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FACTORS = (0.5, 0.7, 0.85, 1.2, 1.4, 2.0)
CONSTANTS = ("MEASURE_BOOST", "AREA_BOOST", "K1", "B", "ABSOLUTE_SHARE", "RELATIVE_FLOOR")


def _sets(names: str) -> list[dict]:
    """The cases of the blind sets named: a run of single letters ("abc"), or names
    separated by commas ("x,za,zb"); blind.yaml is A."""
    wanted = set(names.lower().split(",") if "," in names else names.lower())
    cases: list[dict] = []
    for name, path in blind_sets():
        if name in wanted:
            cases += yaml.safe_load(path.read_text(encoding="utf-8"))
    return cases


def _score(search, directory, cases: list[dict]) -> tuple[int, float, int, int, int]:
    """(first answers right, sum of reciprocal ranks, answerable, off-topic empty, off-topic)."""
    index = search.Index(directory)
    hits = answerable = quiet = off_topic = 0
    reciprocal = 0.0
    for case in cases:
        ranked = [h.tactic.id for h in index.search(case["query"], limit=5).hits]
        if case["relevant"]:
            answerable += 1
            rank = first_right(ranked, case["relevant"])
            hits += rank == 1
            reciprocal += 1 / rank if rank else 0.0
        elif case.get("kind") == "off-topic":
            off_topic += 1
            quiet += not ranked
    return hits, reciprocal, answerable, quiet, off_topic


def _objective(score: tuple[int, float, int, int, int]) -> float:
    return score[0] + score[1] + 2 * score[3]


def _line(name: str, score: tuple[int, float, int, int, int]) -> str:
    hits, reciprocal, answerable, quiet, off_topic = score
    return (
        f"{name:28s} hit@1 {hits / answerable:.3f}  MRR@5 {reciprocal / answerable:.3f}"
        f"  off-topic empty {quiet} of {off_topic}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", default="abcdefghijkl", help="letters of the sets to fit on")
    parser.add_argument("--report", default="", help="letters of held-out sets to score")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--sweeps", type=int, default=2)
    args = parser.parse_args(argv)
    from improvedir.content.validate import load_directory
    from improvedir.engine import search

    directory = load_directory(args.content).directory
    names = [f"WEIGHTS[{k!r}]" for k in search.WEIGHTS] + list(CONSTANTS)

    def get(name: str) -> float:
        if name.startswith("WEIGHTS"):
            return search.WEIGHTS[name[9:-2]]
        return getattr(search, name)

    def put(name: str, value: float) -> None:
        if name.startswith("WEIGHTS"):
            search.WEIGHTS[name[9:-2]] = value
        else:
            setattr(search, name, value)

    fit = _sets(args.fit)
    held = _sets(args.report) if args.report else []
    start = {name: get(name) for name in names}
    before_held = _score(search, directory, held) if held else None
    best = _objective(_score(search, directory, fit))
    print(_line("fitted-on sets, as they are", _score(search, directory, fit)), flush=True)
    for _ in range(args.sweeps):
        for name in names:
            kept = get(name)
            for factor in FACTORS:
                value = kept * factor
                if name == "B" and value > 1:
                    continue
                put(name, value)
                objective = _objective(_score(search, directory, fit))
                if objective > best + 0.5:  # half a query: not a tie broken by luck
                    best, kept = objective, value
                    print(f"  {name} -> {value:.3f} (objective {objective:.1f})", flush=True)
            put(name, kept)
    print(_line("fitted-on sets, fitted", _score(search, directory, fit)))
    if before_held:
        print(_line("held-out sets, as they were", before_held))
        print(_line("held-out sets, fitted", _score(search, directory, held)))
    for name in names:
        if get(name) != start[name]:
            print(f"{name}: {start[name]} -> {get(name):.3f}")


if __name__ == "__main__":
    main()
