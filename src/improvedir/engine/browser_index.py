"""The search index as the browser's copy of it: the site's search ranks as `improvedir search`.

The site's script (``render/site/static/search.js``) ports :mod:`improvedir.engine.search`
line by line; this module hands it the same :class:`~improvedir.engine.search.Index` the
command uses, finished: every term's postings with their weights and how each meets its
tactic (described, mentioned, or only in an organisation's name), the phrases that name
areas and measures (:meth:`~improvedir.engine.search.Index.named_things`), each area's
family, the word lists, the typo vocabulary and the relevance constants.

Postings are sent compactly and rebuilt to the *same* floating-point weights: each one as
its tactic, its ``how`` and its term frequency (a multiple of :data:`TF_UNIT`, as every
field weight is), plus the exact numbers the weight is made from: each tactic's length
norm and the idf for each document frequency, as :class:`Index` computed them.
JavaScript evaluates ``idf * tf / (tf + norm)`` with the same IEEE doubles, so the weights
are bit-identical; that is checked here, posting by posting, and should the check ever
fail (the index changed and this module did not), the exact weights are sent instead
(about four times larger).

Typo correction in Python asks pyspellchecker whether a word is English before correcting
it. The browser cannot load that dictionary (137,000 words), so it gets every English word
a typo check could ever ask about: those of four letters or more, not in the directory,
within the allowed edits of a directory word (:func:`english_near`, about 15,000 words,
front-coded to 56 KB). No difference remains: a word the list lacks is either not English
or never reaches the check, so the browser corrects exactly the words the command does.
(Finding those words takes under a second: each of the 137,000 English words is cut in
two and its halves looked up, :func:`english_near`; the site's helper process does it while
the pages are made.)
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterator
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


#: Every field weight (search.WEIGHTS) is a multiple of this, so every term frequency is,
#: and is sent as a whole number of them.
TF_UNIT = 0.25


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
            tf = (
                round(weight * norm[number] / (idf - weight) / TF_UNIT) * TF_UNIT
                if weight < idf
                else 0.0
            )
            if (
                number <= previous
                or tf <= 0
                or how not in (s.NAMED_ORG, s.MENTIONED, s.DESCRIBED)
                or idf * tf / (tf + norm[number]) != weight
            ):
                return None
            code += _varint((number - previous - 1) * 3 + how) + _varint(round(tf / TF_UNIT))
            previous = number
        codes.append(code)
    return {
        "mode": "compact",
        "tfUnit": TF_UNIT,
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


@functools.cache
def english_words() -> frozenset[str]:
    """Every word of four letters or more that ``is_english_word`` calls English and a
    query could hold: the words of pyspellchecker's list, each with its singular (a plural
    counts for its singular). Worked out once a process (the site loads it before forking
    its helper, so the two processes share it)."""
    s.is_english_word("a")  # loads the frequency list once, shared with search
    chosen: set[str] = set()
    for word, n in s._ENGLISH.dictionary.items():
        if n >= s.ENGLISH_MIN_COUNT and len(word) >= 4 and _TYPABLE.fullmatch(word):
            chosen.add(word)
            if word.endswith("s") and len(word) > 4:
                chosen.add(word[:-1])
    return frozenset(chosen)


def common_unknown(terms: set[str] | dict[str, Any]) -> list[str]:
    """Every everyday English word (``is_common_english``) a query could hold that the
    directory (whose index ``terms`` are given) lacks: what the browser asks where Python
    asks pyspellchecker. A word the directory has is never unknown, so it is left out."""
    s.is_english_word("a")
    out = []
    for word, n in s._ENGLISH.dictionary.items():
        if n < s.COMMON_MIN_COUNT or len(word) < 3 or not _TYPABLE.fullmatch(word):
            continue
        found = s.raw_tokens(word)
        if [w for w, _stem in found] == [word] and found[0][1] not in terms:
            out.append(word)
    return sorted(out)


def english_near(index: s.Index, edits: tuple[int, ...] = (1, 2)) -> list[str]:
    """Every English word that Index._correct would ask about: four letters or more, not a
    stopword, its stem not in the directory, and within the allowed edits of a directory
    word of four letters or more. (Python asks pyspellchecker; the browser asks this list.)
    Only the words allowed one of ``edits`` (the short words one, the long ones two), so
    two processes can each find a share.

    Comparing each of the 137,000 English words with every directory word would take
    minutes, so each English word is first given the few directory words it could be near
    (:func:`_one_edit_candidates`, :func:`_two_edit_candidates`: a handful of dictionary
    look-ups a word, none of which can miss a word truly near), and only those are
    measured."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    vocabulary = [w for w in index.vocabulary() if len(w) >= 4]
    by_edits: dict[int, list[str]] = {1: [], 2: []}
    for word in english_words():
        allowed = s._max_edits(word)
        if allowed not in by_edits:
            raise ValueError(f"english_near handles one or two edits, not {allowed}")
        by_edits[allowed].append(word)
    near = []
    members: dict[int, list[str]] = {}  # words sharing a half share their candidates
    for allowed, candidates in (
        (1, _one_edit_candidates(by_edits[1], vocabulary) if 1 in edits else ()),
        (2, _two_edit_candidates(by_edits[2], vocabulary) if 2 in edits else ()),
    ):
        for word, bits in candidates:
            if word in s.STOPWORDS or index.term_postings(s.stem(word)):
                continue  # never a typo: a stopword is dropped, a directory word is known
            close = members.get(bits)
            if close is None:
                close = members[bits] = _members(bits, vocabulary)
            if process.extractOne(word, close, scorer=OSA.distance, score_cutoff=allowed):
                near.append(word)
    return sorted(near)


def _members(bits: int, words: list[str]) -> list[str]:
    """The words whose positions in ``words`` are the bits set in ``bits``."""
    out = []
    while bits:
        low = bits & -bits
        out.append(words[low.bit_length() - 1])
        bits ^= low
    return out


def _deleted(word: str) -> set[str]:
    """``word`` itself and ``word`` with any one letter taken out: two words one edit apart
    (a swapped pair being one) always share one of these."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _met(word: str, table: dict[str, int]) -> int:
    """The union (``|``) of what ``table`` holds for ``word`` and each of its one-letter
    deletions: the vocabulary words one edit from it, and a few more. (Each deletion is
    looked up as it is made: no set of them is built, as :func:`_deleted` does.)"""
    get = table.get
    bits = get(word, 0)
    for i in range(len(word)):
        found = get(word[:i] + word[i + 1 :])
        if found:
            bits |= found
    return bits


def _one_edit_candidates(words: list[str], vocabulary: list[str]) -> Iterator[tuple[str, int]]:
    """Each of ``words`` that may be one edit from a vocabulary word, with the vocabulary
    words (bit i for ``vocabulary[i]``) that may be: those sharing a one-letter deletion
    (SymSpell's idea)."""
    table: dict[str, int] = defaultdict(int)
    for i, word in enumerate(vocabulary):
        for key in _deleted(word):
            table[key] |= 1 << i
    for word in words:
        bits = _met(word, table)
        if bits:
            yield word, bits


def _two_edit_candidates(words: list[str], vocabulary: list[str]) -> Iterator[tuple[str, int]]:
    """Each of ``words`` that may be within two edits of a vocabulary word, with the
    vocabulary words (bit i for ``vocabulary[i]``) that may be.

    Deleting up to two letters from both words, as for one edit, would make about fifty
    strings of every long English word. Instead each word is cut in two, ``A = w[:h]`` and
    ``B = w[h:]`` with ``h = len(w) // 2``, and three facts are looked up. If ``v`` is
    within two edits of ``w`` (the edits, a swapped pair counting as one, touch separate
    letters), then one of these holds:

    - no edit touches A, so ``v`` starts with A; or no edit touches B, so ``v`` ends with B;
    - one edit in each half, so A is one edit from a start of ``v`` (of ``h - 1`` to ``h + 1``
      letters) and B one edit from the rest;
    - the two letters either side of the cut are swapped and the other edit (if any) lies
      in one half, so the other half is untouched but for that letter: ``v`` starts with
      A once its last letter is swapped with the one after it, or ends with B once its
      first letter is swapped with the one before it. Those starts and ends of ``v`` are
      kept already swapped back, so the first fact's look-up finds them.

    A and B repeat across thousands of English words, so each one's deletions are looked
    up once."""
    lengths = {len(w) for w in words}
    starts: dict[str, int] = defaultdict(int)  # what A may equal -> vocabulary words
    ends: dict[str, int] = defaultdict(int)  # what B may equal
    near_starts: dict[str, int] = defaultdict(int)  # one-letter deletions of starts
    near_ends: dict[str, int] = defaultdict(int)
    for i, v in enumerate(vocabulary):
        bit, size = 1 << i, len(v)
        # an English word within two edits of v has two letters more or fewer
        cuts = {n // 2 for n in range(size - 2, size + 3) if n in lengths}
        rests = {n - n // 2 for n in range(size - 2, size + 3) if n in lengths}
        for h in cuts:
            starts[v[:h]] |= bit
            if 0 < h < size:
                starts[v[: h - 1] + v[h]] |= bit  # v swapped the letters either side
        for h in rests:
            ends[v[size - h :]] |= bit
            if 0 < h < size:
                ends[v[size - h - 1] + v[size - h + 1 :]] |= bit
        for length in {c + d for c in cuts for d in (-1, 0, 1)}:
            for key in _deleted(v[:length]):
                near_starts[key] |= bit
        for length in {r + d for r in rests for d in (-1, 0, 1)}:
            for key in _deleted(v[size - length :]):
                near_ends[key] |= bit
    near_a: dict[str, int] = {}  # A -> what its one-letter deletions meet, worked out once
    near_b: dict[str, int] = {}
    for word in words:
        h = len(word) // 2
        a, b = word[:h], word[h:]
        bits = starts.get(a, 0) | ends.get(b, 0)
        one_a = near_a.get(a)
        if one_a is None:
            one_a = near_a[a] = _met(a, near_starts)
        if one_a:  # B's deletions matter only when A's meet something
            one_b = near_b.get(b)
            if one_b is None:
                one_b = near_b[b] = _met(b, near_ends)
            bits |= one_a & one_b
        if bits:
            yield word, bits


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
        "shorthand": s.READ_AS,
        "generic": sorted(s.GENERIC),
        "phraseOnly": sorted(s.PHRASE_ONLY),
        "measureBoost": s.MEASURE_BOOST,
        "areaBoost": s.AREA_BOOST,
        "foreignVoices": s.FOREIGN_VOICES,
        "count": index.count,
        "terms": front_coded(terms),
        **postings,
        # typo targets: the directory's words as written (a correction shows one)
        "vocabulary": front_coded([w for w in index.vocabulary() if len(w) >= 4]),
        "english": front_coded(english if english is not None else english_near(index)),
        "common": front_coded(common_unknown(set(terms))),
        "named": _named(index),
        "families": {a: sorted(f) for a in directory.areas if len(f := index.area_family(a)) > 1},
        "measureAreas": {m.id: list(m.areas) for m in directory.measures.values() if m.areas},
        "areaNames": {a.id: clean(a.name) for a in directory.areas.values()},
        "topics": {
            a.id: [clean(t) for t in a.topics] for a in directory.areas.values() if a.topics
        },
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
