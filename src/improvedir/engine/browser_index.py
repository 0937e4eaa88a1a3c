"""The search index as the browser's copy of it: the site's search ranks as `improvedir search`.

The site's script (``render/site/static/search.js``) ports :mod:`improvedir.engine.search`
line by line; this module hands it the same :class:`~improvedir.engine.search.Index` the
command uses, finished: every term's postings with their strong flags, the phrases that
name areas and measures, the word lists and the relevance constants.

Postings are sent compactly and rebuilt to the *same* floating-point weights: each one as
its tactic, strong flag and term frequency, plus each tactic's field length, the average
length and the idf for each document frequency. JavaScript evaluates the BM25 expression
in the same order with the same IEEE doubles, so the weights are bit-identical; that is
checked here, posting by posting, and should the check ever fail (the index changed and
this module did not), the exact weights are sent instead.

Typo correction in Python asks pyspellchecker whether a word is English before correcting
it. The browser cannot load that dictionary, so it gets the most common English words
that are not directory words (:data:`ENGLISH_SHOWN` of them): a rarer English word close
to a directory word is corrected in the browser but not by the command. Finding exactly
which English words are close to the vocabulary takes tens of seconds, too slow for a
build.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from ..content.model import Directory
from ..content.text import clean
from . import search as s

#: How many common English words the browser knows are real words (not typos).
ENGLISH_SHOWN = 4000
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _field_lengths(index: s.Index) -> list[float]:
    """Each tactic's weighted field length, as Index.__init__ sums it."""
    directory = index.directory
    measures = directory.measures
    area_words = {a.id: s.area_terms(a, measures) for a in directory.areas.values()}
    orgs: dict[str, list[str]] = defaultdict(list)
    for exemplar in directory.exemplars.values():
        for tactic_id in exemplar.tactics:
            orgs[tactic_id].append(exemplar.organisation.name)
    lengths = []
    for tactic in index.tactics:
        parents = {
            directory.areas[a].parent
            for a in tactic.areas
            if a in directory.areas and directory.areas[a].parent
        }
        named = [m for mid in tactic.measures if (m := measures.get(mid))]
        fields = {
            "title": s.tokens(tactic.title),
            "keywords": s.tokens(" ".join(tactic.keywords)) + s.phrase_terms(tactic.keywords),
            "measures": [w for m in named for w in s.measure_terms(m)],
            "area": [w for a in tactic.areas for w in area_words.get(a, ())],
            "parent_area": [w for p in parents for w in area_words.get(p, ())],
            "summary": s.tokens(tactic.summary),
            "steps": s.tokens(" ".join(tactic.steps)),
            "organisations": tokens_of(orgs.get(tactic.id, ())),
        }
        lengths.append(sum(s.WEIGHTS[name] * len(words) for name, words in fields.items()))
    return lengths


def tokens_of(names) -> list[str]:
    return s.tokens(" ".join(names))


def _weight(idf: float, tf: float, length: float, average: float) -> float:
    # The same expression, in the same order, as Index.__init__ (and search.js).
    return idf * tf * (s.K1 + 1) / (tf + s.K1 * (1 - s.B + s.B * length / average))


def _varint(number: int) -> str:
    """Five bits a character, least significant first; a character of 32 or more says
    another follows."""
    out = ""
    while True:
        low, number = number & 31, number >> 5
        out += _ALPHABET[low + (32 if number else 0)]
        if not number:
            return out


def _compact_postings(index: s.Index) -> dict[str, Any] | None:
    """Postings coded as tactic gaps, strong flags and term frequencies, or None when the
    weights cannot be rebuilt exactly from them."""
    count = index.count
    lengths = _field_lengths(index)
    average = (sum(lengths) / count if count else 0.0) or 1.0
    idfs: dict[int, float] = {}
    terms: list[str] = []
    for term, found in index.postings.items():
        df = len(found)
        idf = idfs.setdefault(df, math.log(1 + (count - df + 0.5) / (df + 0.5)))
        code, previous = "", -1
        for number, weight, strong in found:
            c = s.K1 * (1 - s.B + s.B * lengths[number] / average)
            x = weight / (idf * (s.K1 + 1))
            tf = round(x * c / (1 - x) * 2) / 2 if x < 1 else 0.0
            if (
                number <= previous
                or tf <= 0
                or _weight(idf, tf, lengths[number], average) != weight
            ):
                return None
            code += _varint((number - previous - 1) * 2 + (1 if strong else 0)) + _varint(
                int(tf * 2)
            )
            previous = number
        terms += [term, code]
    return {
        "mode": "compact",
        "lengths": lengths,
        "average": average,
        "idf": {str(df): idf for df, idf in idfs.items()},
        "postings": terms,
    }


def _exact_postings(index: s.Index) -> dict[str, Any]:
    terms: list[Any] = []
    for term, found in index.postings.items():
        terms += [term, [[n, w, 1 if st else 0] for n, w, st in found]]
    return {"mode": "exact", "postings": terms}


def _named(index: s.Index) -> list[list[Any]]:
    """[kind, id, phrases] in Index.named_things order (a phrase's words joined by spaces)."""
    out: list[list[Any]] = []
    for phrase, kind, ident in index.named_things():
        if not out or out[-1][:2] != [kind, ident]:
            out.append([kind, ident, []])
        out[-1][2].append(" ".join(phrase))
    return out


def _mentioned_words(index: s.Index) -> list[str]:
    """Single words matched only outside the strong fields that are *mentioned* in a
    summary or steps (worth a half in the relevance rule), as Index._mentioned decides:
    looking at the first 50 tactics holding the word."""
    described: dict[int, set[str]] = {}

    def words_of(number: int) -> set[str]:
        if number not in described:
            tactic = index.tactic_at(number)
            described[number] = set(s.tokens(tactic.summary)) | set(
                s.tokens(" ".join(tactic.steps))
            )
        return described[number]

    out = []
    for term, found in index.postings.items():
        if " " in term or any(st for _, _, st in found):
            continue
        if any(term in words_of(number) for number, _, _ in found[:50]):
            out.append(term)
    return out


def common_english(vocabulary: set[str], limit: int = ENGLISH_SHOWN) -> list[str]:
    """The ``limit`` most frequent English words a query word could be (lower-case,
    stemmed, four letters or more) that the directory lacks: the browser never corrects
    them. A plural counts for its singular, as in :func:`~improvedir.engine.search.is_english_word`."""
    s.is_english_word("a")  # loads the frequency list once, shared with search
    frequency = s._ENGLISH
    ranked = sorted(
        ((n, w) for w, n in frequency.dictionary.items() if n >= s.ENGLISH_MIN_COUNT),
        reverse=True,
    )
    chosen: dict[str, None] = {}
    for _, word in ranked:
        for form in (word, word[:-1] if word.endswith("s") else ""):
            if (
                len(form) >= 4
                and form not in chosen
                and form.isascii()
                and form.isalpha()
                and form not in vocabulary
                and s.stem(form) == form
            ):
                chosen[form] = None
        if len(chosen) >= limit:
            break
    return sorted(chosen)[:limit] if len(chosen) <= limit else sorted(list(chosen)[:limit])


def browser_index(index: s.Index, page_for=lambda tactic_id: tactic_id) -> dict[str, Any]:
    """Everything search.js needs to rank exactly as ``index.search`` does."""
    directory: Directory = index.directory
    postings = _compact_postings(index) or _exact_postings(index)
    return {
        "version": s.INDEX_VERSION,
        "k1": s.K1,
        "b": s.B,
        "floor": s.RELATIVE_FLOOR,
        "maxPhrase": s.MAX_PHRASE,
        "stopwords": sorted(s.STOPWORDS),
        "generic": sorted(s.GENERIC),
        "count": index.count,
        **postings,
        "mentioned": _mentioned_words(index),
        "english": common_english(set(index.postings)),
        "named": _named(index),
        "parents": {a.id: a.parent for a in directory.areas.values() if a.parent},
        "measureAreas": {m.id: list(m.areas) for m in directory.measures.values()},
        "areaNames": {a.id: clean(a.name) for a in directory.areas.values()},
        "tactics": [
            {
                "id": t.id,
                "title": clean(t.title),
                "areas": list(t.areas),
                "measures": list(t.measures),
                "exemplars": len(directory.exemplars_for(t.id)),
            }
            for t in index.tactics
        ],
    }
