"""How often two judges of the same blind set agree: the ceiling a ranking can be held to.

    python3 benchmarks/judge_agreement.py queries/blind-i.yaml queries/second-judge-i.yaml

Both files list the same queries in the same order, each with the tactics its judge would
want offered, best first (``relevant``), and an empty list for a query that should find
nothing. The second judge is scored as if it were the search: its first tactic against
the first judge's list (hit@1), its top five (MRR@5), and whether it leaves empty the
queries the first judge left empty. A ranking cannot be expected to agree with one judge
more often than another careful judge does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from search_quality import first_right

HERE = Path(__file__).resolve().parent


def agreement(first: list[dict], second: list[dict]) -> dict[str, float | int]:
    """The second judge scored against the first, as search_quality scores the search."""
    if [c["query"] for c in first] != [c["query"] for c in second]:
        raise ValueError("the two files do not hold the same queries in the same order")
    answered = hits = 0
    mrr = 0.0
    empty = quiet = 0
    both_empty = either_empty = 0
    for a, b in zip(first, second, strict=True):
        if not a["relevant"] or not b["relevant"]:
            either_empty += 1
            both_empty += not a["relevant"] and not b["relevant"]
        if not a["relevant"]:
            empty += 1
            quiet += not b["relevant"]
            continue
        answered += 1
        rank = first_right(b["relevant"], a["relevant"])
        hits += rank == 1
        mrr += 1 / rank if rank else 0.0
    return {
        "answered": answered,
        "hit@1": hits / answered if answered else 0.0,
        "MRR@5": mrr / answered if answered else 0.0,
        "empty": empty,
        "empty-when-expected": quiet / empty if empty else 0.0,
        "empty agreement": both_empty / either_empty if either_empty else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="the set as judged first (relative to here)")
    parser.add_argument("second", type=Path, help="the same queries judged again")
    args = parser.parse_args(argv)

    def read(path: Path) -> list[dict]:
        path = path if path.is_absolute() or path.exists() else HERE / path
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    try:
        scores = agreement(read(args.first), read(args.second))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    for key, value in scores.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
