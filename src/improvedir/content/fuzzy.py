"""Did you mean …?" for ids, field names and query words.

One place decides how close is close enough, so every command suggests alike.
"""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 75.0) -> str | None:
    """The closest choice to ``word`` when it is plausibly a typo of it, else None."""
    from rapidfuzz import fuzz, process, utils

    choices = list(choices)
    if not word or not choices:
        return None
    best = process.extractOne(
        word, choices, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=cutoff
    )
    return best[0] if best else None
