"""Ranking tactics for what people actually type.

A performance manager types "scopes", "DM01", "A&E handover" or "endoscpy", not a tactic's
title. Plain fuzzy matching over the text ranks badly (a long summary matches everything a
little), so this is BM25-style term weighting over weighted fields: a tactic's title and
keywords count most, then the names, synonyms and measures of its areas, then its summary,
steps and the organisations that did it. Fuzzy matching is used only to correct a misspelt
query word to a word the directory really contains, so a query that matches nothing gets
"no results" and a suggestion, never a list of weak random matches.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..content.model import Area, Directory, Tactic

_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in into is it its my of on or our "
    "the their to we what when with you your about have has should could would".split()
)
# Field weights: where a word appears says how much it speaks for the tactic.
WEIGHTS = {
    "title": 3.0,
    "keywords": 3.0,
    "area": 2.5,
    "parent_area": 1.0,
    "summary": 1.0,
    "steps": 0.5,
    "organisations": 1.0,
}
#: Bump when tokens, weights or fields change: cached indexes are then rebuilt.
INDEX_VERSION = 2
#: A hit scoring under this share of the best one is noise, not a suggestion.
RELATIVE_FLOOR = 0.25
K1 = 1.2
B = 0.6


def stem(word: str) -> str:
    """A very light English stemmer: enough to meet 'lists' with 'list', 'waits' with 'wait'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed words; 'A&E' stays one word, 'A and E' becomes 'a&e'."""
    lowered = text.lower().replace(" & ", "&").replace("a and e", "a&e")
    return [stem(t) for t in _TOKEN.findall(lowered) if t not in STOPWORDS]


@dataclass
class Hit:
    tactic: Tactic
    score: float
    matched: tuple[str, ...]


@dataclass
class Results:
    """Ranked hits plus what the query was understood as."""

    query: str
    hits: list[Hit]
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> word used
    areas: list[str] = field(default_factory=list)  # area ids the query names
    unknown: list[str] = field(default_factory=list)  # query words matching nothing


class Index:
    """An inverted index over the tactics of one directory, built in memory.

    :mod:`improvedir.cache` stores the same postings in SQLite and subclasses this to read
    them lazily, so a warm ``suggest`` never loads the whole directory.
    """

    def __init__(self, directory: Directory):
        self.directory = directory
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.lengths: list[float] = []
        self.tactics: list[Tactic] = list(directory.tactics.values())
        area_words = {a.id: area_tokens(a) for a in directory.areas.values()}
        orgs: dict[str, list[str]] = defaultdict(list)
        for exemplar in directory.exemplars.values():
            for tactic_id in exemplar.tactics:
                orgs[tactic_id].append(exemplar.organisation.name)
        for number, tactic in enumerate(self.tactics):
            weighted: Counter[str] = Counter()
            parents = {
                directory.areas[a].parent
                for a in tactic.areas
                if a in directory.areas and directory.areas[a].parent
            }
            fields = {
                "title": tokens(tactic.title),
                "keywords": tokens(" ".join(tactic.keywords)),
                "area": [w for a in tactic.areas for w in area_words.get(a, ())],
                "parent_area": [w for p in parents for w in area_words.get(p, ())],
                "summary": tokens(tactic.summary),
                "steps": tokens(" ".join(tactic.steps)),
                "organisations": tokens(" ".join(orgs.get(tactic.id, ()))),
            }
            length = 0.0
            for name, words in fields.items():
                weight = WEIGHTS[name]
                for word in words:
                    weighted[word] += weight
                length += weight * len(words)
            self.lengths.append(length)
            for word, tf in weighted.items():
                self.postings[word].append((number, tf))
        self.count = len(self.tactics)
        # BM25 depends on nothing the query brings but the terms, so each posting stores
        # its finished contribution; a query only adds numbers up.
        average = (sum(self.lengths) / self.count if self.count else 0.0) or 1.0
        for word, rows in self.postings.items():
            idf = math.log(1 + (self.count - len(rows) + 0.5) / (len(rows) + 0.5))
            self.postings[word] = [
                (num, idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[num] / average)))
                for num, tf in rows
            ]

    # --- storage: overridden by the cache-backed index ---

    def term_postings(self, word: str) -> list[tuple[int, float]]:
        return self.postings.get(word, [])

    def vocabulary(self) -> list[str]:
        return list(self.postings)

    def tactic_at(self, number: int) -> Tactic:
        return self.tactics[number]

    def area_names(self) -> dict[str, list[tuple[str, ...]]]:
        return {a.id: area_phrases(a) for a in self.directory.areas.values()}

    def area_family(self, area_id: str) -> set[str]:
        return self.directory.area_family(area_id)

    # --- querying ---

    def _correct(self, word: str, postings: dict[str, list[tuple[int, float]]]) -> str | None:
        found = self.term_postings(word)
        if found:
            postings[word] = found
            return word
        if len(word) < 4 or word.isdigit():
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(word, self.vocabulary(), scorer=fuzz.ratio, score_cutoff=80)
        if not best:
            return None
        postings[best[0]] = self.term_postings(best[0])
        return best[0]

    def search(self, query: str, limit: int = 10, area: str | None = None) -> Results:
        """Tactics ranked for ``query``, best first; empty when no query word is known."""
        result = Results(query=query, hits=[])
        postings: dict[str, list[tuple[int, float]]] = {}
        for word in dict.fromkeys(tokens(query)):
            corrected = self._correct(word, postings)
            if corrected is None:
                result.unknown.append(word)
            elif corrected != word:
                result.corrections[word] = corrected
        used = set(postings)
        typed = [result.corrections.get(w, w) for w in tokens(query)]
        result.areas = [
            a
            for a, phrases in self.area_names().items()
            if any(_contains(typed, p) for p in phrases)
        ]
        if not used:
            return result
        allowed = self.area_family(area) if area else None
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        for word, found in postings.items():
            for number, weight in found:
                scores[number] += weight
                matched[number].append(word)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        floor = ranked[0][1] * RELATIVE_FLOOR if ranked else 0.0
        for number, score in ranked:
            if score < floor:
                break
            tactic = self.tactic_at(number)
            if allowed is not None and not allowed & set(tactic.areas):
                continue
            result.hits.append(Hit(tactic, round(score, 4), tuple(matched[number])))
            if len(result.hits) >= limit:
                break
        return result


def area_tokens(area: Area) -> list[str]:
    """Every word that speaks for an area: id, name, synonyms and measure names."""
    return tokens(" ".join([area.id.replace("-", " "), area.name, *area.synonyms, *area.measures]))


def area_phrases(area: Area) -> list[tuple[str, ...]]:
    """The phrases that *name* an area: a query naming one of them is about that area."""
    names = [area.id.replace("-", " "), area.name, *area.synonyms]
    return [phrase for phrase in (tuple(tokens(n)) for n in names) if phrase]


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def suggestion_for(results: Results, index: Index) -> str | None:
    """A 'did you mean' for a query that matched nothing: the closest known word."""
    from ..content.fuzzy import did_you_mean

    for word in results.unknown:
        if len(word) >= 3:
            guess = did_you_mean(word, index.vocabulary())
            if guess:
                return guess
    return None
