"""Search quality on query sets: the regression set we wrote and the blind sets we did not.

The regression set (tests/test_search.py) was written by people who knew the content, so a
high score there only guards against regressions. The blind sets (queries/blind*.yaml) were
written without sight of the directory and judged afterwards, so their scores are the ones that
say how `search` and `suggest` serve a new user; set A was scored first and then looked at
while improving the ranking, set B (queries/blind-b.yaml) was written and judged only after
that, set C (queries/blind-c.yaml) after the changes B's misses led to, and set D
(queries/blind-d.yaml) after C's; the newest set's first score is the unbiased figure.
This prints them all:

- hit@1: the first tactic is one a judge called a right first answer;
- MRR@5: mean reciprocal rank of the first right answer within the top five;
- empty-when-expected: for queries that should return nothing (off-topic, or a topic the
  directory lacks), the share that return nothing; off-topic precision is that share on the
  off-topic queries alone;
- headline agreement: for `suggest`, the share of answered queries whose offered tactics all
  sit in the areas its headline names.

Run: python3 benchmarks/search_quality.py [--content DIR] [--show-misses]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _load_regression() -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from tests.test_search import QUERIES  # the regression set lives beside its test

    return [{"query": q, "relevant": sorted(r), "kind": "regression"} for q, r in QUERIES]


def first_right(ranked: list[str], relevant: list[str]) -> int | None:
    """The rank (1 to 5) of the first right answer in ``ranked``, or None: what hit@1 and
    MRR@5 are made of, here, in judge_agreement.py and in fit_weights.py alike."""
    return next((i for i, t in enumerate(ranked[:5], 1) if t in relevant), None)


def blind_sets() -> list[tuple[str, Path]]:
    """(name, file) of every blind set in queries/, in order: blind.yaml is A, blind-b.yaml
    B, ..., blind-za.yaml ZA. The name is lower-case, as the scripts' options take it."""
    files = sorted(
        (HERE / "queries").glob("blind*.yaml"), key=lambda p: (p.stem != "blind", p.stem)
    )
    return [(p.stem.partition("-")[2] or "a", p) for p in files]


def _score(index, directory, cases: list[dict], show: bool) -> dict[str, float]:
    from improvedir.engine.plan import plan_for

    answered = [c for c in cases if c["relevant"]]
    empty = [c for c in cases if not c["relevant"]]
    hits = mrr = agree = 0.0
    misses = []
    for case in answered:
        results = index.search(case["query"], limit=10)
        ranked = [h.tactic.id for h in results.hits]
        rank = first_right(ranked, case["relevant"])
        hits += rank == 1
        mrr += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append((case["query"], ranked[:3], case["relevant"][:4]))
        plan = plan_for(directory_catalogue(directory, index), results)
        headline = set()
        for area in plan.areas:
            headline |= directory.area_family(area.id)
        if plan.offers and all(headline & set(o.tactic.areas) for o in plan.offers):
            agree += 1
    # each query that should find nothing is searched once, whatever it is counted for
    noise = {id(c): [h.tactic.id for h in index.search(c["query"]).hits] for c in empty}
    quiet = [c for c in empty if not noise[id(c)]]
    off = [c for c in empty if c.get("kind") == "off-topic"]
    off_quiet = [c for c in off if not noise[id(c)]]
    if show:
        for query, got, wanted in misses:
            print(f"  miss: {query!r} -> {got} (a right answer: {wanted})")
        for c in empty:
            if noise[id(c)]:
                print(f"  noise: {c['query']!r} ({c.get('kind')}) -> {noise[id(c)][:3]}")
    n = len(answered) or 1
    return {
        "queries": len(cases),
        "answered": len(answered),
        "hit@1": hits / n,
        "MRR@5": mrr / n,
        "empty": len(empty),
        "empty-when-expected": len(quiet) / (len(empty) or 1),
        "off-topic": len(off),
        "off-topic precision": len(off_quiet) / (len(off) or 1),
        "headline agreement": agree / n,
    }


def directory_catalogue(directory, index):
    """The in-memory stand-in for the cache's catalogue that plan_for reads."""
    from types import SimpleNamespace

    return SimpleNamespace(
        areas=directory.areas,
        measures=directory.measures,
        exemplars_for=directory.exemplars_for,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    from improvedir.content.validate import load_directory
    from improvedir.engine.search import Index

    directory = load_directory(args.content).directory
    index = Index(directory)

    def blind(path: Path) -> list[dict]:
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    sets = [("regression (ours)", _load_regression())]
    sets += [(f"blind {name.upper()}", blind(path)) for name, path in blind_sets()]
    rows = []
    for name, cases in sets:
        if not cases:
            continue
        if args.show_misses:
            print(f"{name}:")
        rows.append((name, _score(index, directory, cases, args.show_misses)))
    keys = list(rows[0][1])
    print("| set | " + " | ".join(keys) + " |")
    print("| --- |" + " ---: |" * len(keys))
    for name, score in rows:
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in score.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
