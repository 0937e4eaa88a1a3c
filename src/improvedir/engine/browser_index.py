"""The search index as the browser's copy of it: the site's search ranks as `improvedir search`.

The site's script (``render/site/static/search.js``) ports :mod:`improvedir.engine.search`
line by line; this module hands it the same :class:`~improvedir.engine.search.Index` the
command uses, finished: every term's postings with their weights and how each meets its
tactic (described, mentioned, or only in an organisation's name), the phrases that name
areas and measures (:meth:`~improvedir.engine.search.Index.named_things`), each area's
family, the word lists, the typo vocabulary and the relevance constants.

Postings are sent compactly and rebuilt to the *same* floating-point weights: each one as
its tactic, its ``how`` and its term frequency (a multiple of a half), plus the exact
numbers the weight is made from: each tactic's length norm and the idf for each document
frequency, as :class:`Index` computed them. JavaScript evaluates ``idf * tf / (tf + norm)``
with the same IEEE doubles, so the weights are bit-identical; that is checked here, posting
by posting, and should the check ever fail (the index changed and this module did not),
the exact weights are sent instead (about four times larger).

Typo correction in Python asks pyspellchecker whether a word is English before correcting
it. The browser cannot load that dictionary (137,000 words), so it gets every English word
a typo check could ever ask about: those of four letters or more, not in the directory,
within the allowed edits of a directory word (:func:`english_near`, about 15,000 words,
front-coded to 56 KB). No difference remains: a word the list lacks is either not English
or never reaches the check, so the browser corrects exactly the words the command does.
(Finding those words takes about 2 s of the build: each of the 137,000 English words is
looked up by its deletions.)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

from ..content.model import Directory
from ..content.text import clean
from . import search as s

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_CAPITAL = re.compile(r"[A-Z]")
_TYPABLE = re.compile(r"[a-z&]+")  # a word a query can hold (one with a digit is never fixed)


def _varint(number: int) -> str:
    """Five bits a character, least significant first; a character of 32 or more says
    another follows."""
    out = ""
    while True:
        low, number = number & 31, number >> 5
        out += _ALPHABET[low + (32 if number else 0)]
        if not number:
            return out


def _compact_postings(index: s.Index, terms: list[str]) -> dict[str, Any] | None:
    """Postings of ``terms`` (in that order) coded as tactic gaps with their ``how`` and
    term frequencies, or None when the weights cannot be rebuilt exactly from them."""
    count = index.count
    lengths = index.lengths
    average = (sum(lengths) / count if count else 0.0) or 1.0
    # The same expressions, in the same order, as Index.__init__.
    norm = [s.K1 * (1 - s.B + s.B * length / average) for length in lengths]
    idfs: dict[int, float] = {}
    codes: list[str] = []
    for term in terms:
        found = index.postings[term]
        df = len(found)
        idf = idfs.setdefault(df, math.log(1 + (count - df + 0.5) / (df + 0.5)) * (s.K1 + 1))
        code, previous = "", -1
        for number, weight, how in found:
            # weight = idf * tf / (tf + norm), so tf = weight * norm / (idf - weight)
            tf = round(weight * norm[number] / (idf - weight) * 2) / 2 if weight < idf else 0.0
            if (
                number <= previous
                or tf <= 0
                or how not in (s.NAMED_ORG, s.MENTIONED, s.DESCRIBED)
                or idf * tf / (tf + norm[number]) != weight
            ):
                return None
            code += _varint((number - previous - 1) * 3 + how) + _varint(int(tf * 2))
            previous = number
        codes.append(code)
    return {
        "mode": "compact",
        "norm": norm,
        "idf": {str(df): idf for df, idf in idfs.items()},
        "codes": " ".join(codes),
    }


def _exact_postings(index: s.Index, terms: list[str]) -> dict[str, Any]:
    rows = [[[n, w, how] for n, w, how in index.postings[term]] for term in terms]
    return {"mode": "exact", "rows": rows}


def _named(index: s.Index) -> list[list[Any]]:
    """[kind, id, phrases] in Index.named_things order (a phrase's words joined by spaces)."""
    out: list[list[Any]] = []
    for phrase, kind, ident in index.named_things():
        if not out or out[-1][:2] != [kind, ident]:
            out.append([kind, ident, []])
        out[-1][2].append(" ".join(phrase))
    return out


def _deletions(word: str, edits: int) -> set[str]:
    """``word`` with up to ``edits`` letters taken out: two words within ``edits`` edits
    (a swapped pair being one) always share one of these."""
    size = len(word)
    out = {word} | {word[:i] + word[i + 1 :] for i in range(size)}
    if edits > 1:
        out |= {
            word[:i] + word[i + 1 : j] + word[j + 1 :]
            for i in range(size)
            for j in range(i + 1, size)
        }
    return out


def english_words() -> set[str]:
    """Every word of four letters or more that ``is_english_word`` calls English and a
    query could hold: the words of pyspellchecker's list, each with its singular (a plural
    counts for its singular)."""
    s.is_english_word("a")  # loads the frequency list once, shared with search
    chosen: set[str] = set()
    for word, n in s._ENGLISH.dictionary.items():
        if n >= s.ENGLISH_MIN_COUNT and len(word) >= 4 and _TYPABLE.fullmatch(word):
            chosen.add(word)
            if word.endswith("s") and len(word) > 4:
                chosen.add(word[:-1])
    return chosen


def english_near(index: s.Index) -> list[str]:
    """Every English word that Index._correct would ask about: four letters or more, not a
    stopword, its stem not in the directory, and within the allowed edits of a directory
    word of four letters or more. (Python asks pyspellchecker; the browser asks this list.)

    Two words within k edits share a string made by deleting up to k letters from each
    (SymSpell's idea), so each English word is looked up by its deletions, not compared
    with every directory word; the few that share one are then measured."""
    from rapidfuzz.distance import OSA

    table: dict[str, list[str]] = defaultdict(list)  # deletion variant -> directory words
    sizes: set[int] = set()  # lengths a typed word may have to be near a directory word
    for word in index.vocabulary():
        if len(word) >= 4:
            # a typed word of eight letters or more may be two edits away (from six letters)
            for key in _deletions(word, 2 if len(word) >= 6 else 1):
                table[key].append(word)
            sizes.update(n for n in range(len(word) - 2, len(word) + 3) if n >= 4)
    keys = table.keys()
    near = []
    for word in english_words():
        if len(word) not in sizes:
            continue
        edits = s._max_edits(word)
        variants = _deletions(word, edits)
        if keys.isdisjoint(variants):
            continue
        if word in s.STOPWORDS or index.term_postings(s.stem(word)):
            continue  # never a typo: a stopword is dropped, a directory word is known
        close = {v for key in variants & keys for v in table[key]}
        if any(OSA.distance(word, v, score_cutoff=edits) <= edits for v in close):
            near.append(word)
    return sorted(near)


def front_coded(words: list[str]) -> str:
    """Sorted lower-case words as one string: each as a capital letter saying how many
    letters it shares with the word before (A none, B one, ...), then the rest of it."""
    out, previous = [], ""
    for word in sorted(words):
        if _CAPITAL.search(word):
            raise ValueError(f"a capital letter cannot be front-coded: {word!r}")
        same = 0
        limit = min(len(previous), len(word), 25)
        while same < limit and previous[same] == word[same]:
            same += 1
        out.append(chr(65 + same) + word[same:])
        previous = word
    return "".join(out)


def front_decoded(text: str) -> list[str]:
    """The words of a :func:`front_coded` string, in order."""
    out: list[str] = []
    for match in re.finditer(r"[A-Z][^A-Z]*", text):
        same = ord(match[0][0]) - 65
        out.append((out[-1][:same] if out else "") + match[0][1:])
    return out


def english_key(index: s.Index) -> str:
    """What :func:`english_near` depends on, hashed: the directory's words and terms, the
    word lists and rules of search, and the English list's version."""
    import hashlib
    from importlib.metadata import version

    parts = [
        str(s.INDEX_VERSION),
        version("pyspellchecker"),
        str(s.ENGLISH_MIN_COUNT),
        " ".join(sorted(s.STOPWORDS)),
        " ".join(sorted(index.vocabulary())),
        " ".join(sorted(t for t in index.postings if " " not in t)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def browser_index(
    index: s.Index,
    page_for=lambda tactic_id: tactic_id,
    english: list[str] | None = None,
) -> dict[str, Any]:
    """Everything search.js needs to rank exactly as ``index.search`` does. ``english`` is
    :func:`english_near` of the index, when the caller has it already."""
    directory: Directory = index.directory
    terms = sorted(index.postings)
    postings = _compact_postings(index, terms) or _exact_postings(index, terms)
    return {
        "version": s.INDEX_VERSION,
        "floor": s.RELATIVE_FLOOR,
        "absoluteFloor": index.absolute_floor(),
        "maxPhrase": s.MAX_PHRASE,
        "how": {"described": s.DESCRIBED, "mentioned": s.MENTIONED, "namedOrg": s.NAMED_ORG},
        "stopwords": sorted(s.STOPWORDS),
        "shorthand": s.SHORTHAND,
        "generic": sorted(s.GENERIC),
        "count": index.count,
        "terms": front_coded(terms),
        **postings,
        # typo targets: the directory's words as written (a correction shows one)
        "vocabulary": front_coded([w for w in index.vocabulary() if len(w) >= 4]),
        "english": front_coded(english if english is not None else english_near(index)),
        "named": _named(index),
        "families": {a: sorted(f) for a in directory.areas if len(f := index.area_family(a)) > 1},
        "measureAreas": {m.id: list(m.areas) for m in directory.measures.values() if m.areas},
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
