"""The site's search ranks exactly as `improvedir search` does.

The repository's query set, the blind query sets (benchmarks/queries/) and typos, English
words and phrases go through the Python Index and through search.js over the exported
index: with node when it is installed, else in Chromium. The top three and whether
anything is found must agree for every query; in fact the whole ranking, the scores, the
tiers, the areas named and the corrections agree. The browser cannot ask pyspellchecker
whether a typed word is English; it gets every English word the command could ask about
(see engine/browser_index.py), so no difference is allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest
import yaml

from improvedir.engine.browser_index import browser_index, front_coded, front_decoded
from improvedir.engine.search import Index, raw_tokens, tokens

from .site_support import bundled_directory, chromium_path, no_browser
from .test_search import QUERIES

SEARCH_JS = resources.files("improvedir.render.site") / "static" / "search.js"
BLIND = Path(__file__).resolve().parents[1] / "benchmarks" / "queries"


def _blind() -> list[str]:
    """The queries of the blind sets, in their files' order."""
    out = []
    for name in sorted(p.name for p in BLIND.glob("blind*.yaml")):
        out += [entry["query"] for entry in yaml.safe_load((BLIND / name).read_text("utf-8"))]
    return out


EXTRA = [
    "psirf",
    "never events",
    "psirf falls",
    "kids waiting over a year for autism assessment",
    "endoscpy",
    "colonscopy",
    "dischage delays",
    "mentl health crisis",
    "stuck in hospital",
    "weather",
    "whether",
    "stack",
    "xylophone quartet",
    "backlog",
    "waiting list",
    "4hr breaches",
    "A and E waits",
    "martha\u2019s rule",
    "Scopes AND DM01",
    "the of and",
    "hospital at home for COPD patients",
    "ambulance",
    "cancer 62 day",
    "virtual wards frailty",
    "cat2 response times",
    "4 hr",
    "78 week waits",
    "falls sensors for nursing homes",
    "nursing falling",
    "dishcarge",
    "hospitl",
    "wieght management",
    "pyschology",
    "cardiolgy",
    "a&e",
    "r&d",
    "2ww",
    "",
    "   ",
    "!!!",
]


def _typos(index: Index, every: int = 9) -> list[str]:
    """Deterministic misspellings of directory words: a letter dropped, two swapped."""
    out = []
    words = [w for w in index.vocabulary() if len(w) >= 6 and w.isalpha()]
    for n, word in enumerate(words[::every]):
        middle = len(word) // 2
        out.append(word[:middle] + word[middle + 1 :] if n % 2 else word)
        out.append(word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :])
    return out


NODE_RUNNER = r"""
const fs = require("fs");
const S = require(process.argv[2]);
const data = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const index = new S.Index(data);
const items = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(items.map((item) => run(S, index, item))));
"""
# Each item is a query (a string, or [query, area]), {"tokens": text} or {"osa": [a, b]}.
RUN = """
function run(S, index, item) {
  if (typeof item === "string" || Array.isArray(item)) {
    const r = typeof item === "string" ? index.search(item, 10) : index.search(item[0], 10, item[1]);
    return {ids: r.hits.map((h) => h.tactic.id), scores: r.hits.map((h) => h.score),
            tiers: r.hits.map((h) => h.tier), corrections: r.corrections, areas: r.areas,
            measures: r.measures, unknown: r.unknown, weak: r.weak, near: r.near,
            topics: r.topics};
  }
  if (item.tokens !== undefined) {
    return {tokens: index.tokens(item.tokens), raw: index.rawTokens(item.tokens)};
  }
  return S.osa(item.osa[0], item.osa[1]);
}
"""


def _in_js(data: dict, items: list, tmp_path) -> tuple[str, list]:
    """What search.js answers for each item: with node when installed, else in Chromium."""
    if shutil.which("node") or shutil.which("nodejs"):
        return "node", _in_node(data, items, tmp_path)
    return "chromium", _in_browser(data, items)


def _in_node(data: dict, queries: list, tmp_path) -> list:
    node = shutil.which("node") or shutil.which("nodejs")
    index_file = tmp_path / "index.json"
    index_file.write_text(json.dumps(data), encoding="utf-8")
    runner = tmp_path / "runner.js"
    runner.write_text(RUN + NODE_RUNNER, encoding="utf-8")
    result = subprocess.run(
        [node, str(runner), str(SEARCH_JS), str(index_file)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def _in_browser(data: dict, queries: list) -> list:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("node or playwright")
    path = chromium_path()
    if path is None:
        no_browser("node or Chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path)
        page = browser.new_page()
        page.add_script_tag(content="window.IMPROVEDIR_INDEX = " + json.dumps(data) + ";")
        page.add_script_tag(content=SEARCH_JS.read_text(encoding="utf-8"))
        out = page.evaluate(
            "(qs) => { "
            + RUN
            + " const index = new ImprovedirSearch.Index(window.IMPROVEDIR_INDEX);"
            " return qs.map((q) => run(ImprovedirSearch, index, q)); }",
            queries,
        )
        browser.close()
    return out


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(bundled_directory())


@pytest.fixture(scope="module")
def data(index) -> dict:
    """The browser's index, as the page reads it (through JSON)."""
    return json.loads(json.dumps(browser_index(index)))


def test_browser_search_ranks_as_the_command_does(index, data, tmp_path, capsys):
    typos = _typos(index)
    blind = _blind()
    queries = [q for q, _ in QUERIES] + EXTRA + blind + typos
    # the command's --area: only tactics of that area and the areas below it
    areas = sorted(index.directory.areas)
    queries += [[q, areas[n % len(areas)]] for n, (q, _) in enumerate(QUERIES)]
    engine, got = _in_js(data, queries, tmp_path)
    for query, js in zip(queries, got, strict=True):
        if isinstance(query, list):
            py = index.search(query[0], limit=10, area=query[1])
        else:
            py = index.search(query, limit=10)
        ids = [h.tactic.id for h in py.hits]
        assert bool(js["ids"]) == bool(ids), query
        assert js["ids"][:3] == ids[:3], query
        assert js["ids"] == ids, query
        assert js["scores"] == [h.score for h in py.hits], query
        assert js["tiers"] == [h.tier for h in py.hits], query
        # the browser knows every English word a typo check could ask about
        assert js["corrections"] == py.corrections, query
        assert js["areas"] == py.areas and js["measures"] == py.measures, query
        assert js["unknown"] == py.unknown, query
        assert js["weak"] == py.weak and js["near"] == py.near, query
        assert js["topics"] == py.topics, query
    with capsys.disabled():
        print(
            f"\nsite search ({engine}) = improvedir search on {len(queries)} queries "
            f"({len(QUERIES)} from the query set, {len(blind)} blind, {len(EXTRA)} more, "
            f"{len(typos)} typos, {len(QUERIES)} within an area): same ids, scores, tiers and "
            "corrections"
        )


def test_compact_postings_rebuild_the_exact_weights(data):
    assert data["mode"] == "compact"  # otherwise the exact weights are sent, and bigger


def test_word_lists_are_front_coded_and_decode_to_themselves(index, data):
    words = ["a&e", "care", "carer", "cared", "caring", "x", "2ww", "hospital at home"]
    assert front_decoded(front_coded(words)) == sorted(words)
    assert front_coded(["care", "carer"]) == "AcareEr"
    assert front_decoded(data["vocabulary"]) == sorted(w for w in index.vocabulary() if len(w) >= 4)
    english = front_decoded(data["english"])
    assert "opel" in english  # rare (pyspellchecker), one edit from "open": never corrected
    assert "endoscopy" not in english  # a directory word is never asked about


def test_tokens_stems_and_edit_distance_agree(index, data, tmp_path):
    """Every text of the directory tokenises alike (stemmer, stopwords, 'A and E', codes
    typed without their space), and the edit distance is rapidfuzz's OSA."""
    from rapidfuzz.distance import OSA

    directory = index.directory
    texts = [
        text
        for tactic in directory.tactics.values()
        for text in (tactic.title, tactic.summary, *tactic.steps, *tactic.keywords)
    ]
    texts += [
        "A and E, A & E, a&e; Martha\u2019s rule; the patient's list; cat2 4hr 62day 2WW",
        "Scopes AND DM01 falling waits nursing homes studies buses analysis census",
        "ies lies flies cries ties dies ss us is gas bus virus its is",
        "CAPITALS \u0130stanbul \u212aelvin na\u00efve caf\u00e9 \u00e6sthetic",
    ]
    vocabulary = sorted(w for w in index.vocabulary() if w.isalpha())
    pairs = [("", ""), ("abc", ""), ("ab", "ba"), ("abcd", "badc"), ("ca", "abc")]
    pairs += [(a, b) for a, b in zip(vocabulary, vocabulary[1:] + vocabulary[:1], strict=True)]
    pairs += [(w, w[1::-1] + w[2:]) for w in vocabulary[::7]]  # the first two letters swapped
    items = [{"tokens": text} for text in texts] + [{"osa": list(pair)} for pair in pairs]
    _, got = _in_js(data, items, tmp_path)
    for text, js in zip(texts, got[: len(texts)], strict=True):
        assert js["tokens"] == tokens(text), text
        assert [tuple(pair) for pair in js["raw"]] == raw_tokens(text), text
    for (a, b), js in zip(pairs, got[len(texts) :], strict=True):
        assert js == OSA.distance(a, b), (a, b)


def test_english_near_is_every_english_word_a_typo_check_asks_about(content):
    """Against brute force on a small directory: each English word within the allowed
    edits of a directory word (and not itself in the directory) is listed, and no other."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from improvedir.content.validate import load_directory
    from improvedir.engine import search as s
    from improvedir.engine.browser_index import english_near, english_words

    small = Index(load_directory(content).directory)
    english = sorted(english_words())
    vocabulary = [w for w in small.vocabulary() if len(w) >= 4]
    expected = set()
    for word in vocabulary:
        for found, edits, _ in process.extract(
            word, english, scorer=OSA.distance, score_cutoff=2, limit=None
        ):
            if (
                edits <= s._max_edits(found)
                and found not in s.STOPWORDS
                and not small.term_postings(s.stem(found))
            ):
                expected.add(found)
    assert english_near(small) == sorted(expected)
    assert expected  # the check means something
    assert all(s.is_english_word(w) for w in expected)


def _near_by_deletions(index: Index) -> list[str]:
    """english_near as it was first written, kept as the reference: each English word
    looked up by every string made by deleting up to its allowed edits (SymSpell), against
    the same deletions of every directory word, and the few that share one measured."""
    from collections import defaultdict

    from rapidfuzz.distance import OSA

    from improvedir.engine import search as s
    from improvedir.engine.browser_index import english_words

    def deletions(word: str, edits: int) -> set[str]:
        out = {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
        if edits > 1:
            out |= {d[:i] + d[i + 1 :] for d in out if len(d) < len(word) for i in range(len(d))}
        return out

    table: dict[str, list[str]] = defaultdict(list)
    for word in index.vocabulary():
        if len(word) >= 4:
            for key in deletions(word, 2 if len(word) >= 6 else 1):
                table[key].append(word)
    near = []
    for word in english_words():
        edits = s._max_edits(word)
        close = {v for key in deletions(word, edits) & table.keys() for v in table[key]}
        if not close or word in s.STOPWORDS or index.term_postings(s.stem(word)):
            continue
        if any(OSA.distance(word, v, score_cutoff=edits) <= edits for v in close):
            near.append(word)
    return sorted(near)


def test_english_near_finds_the_same_words_as_deletions_on_the_bundled_directory():
    """The halves english_near cuts words into find exactly what comparing every deletion
    found, on the bundled directory's 3,000 words (about 15,000 English words near them),
    and on that vocabulary with the first two letters of every word swapped, so the
    edits fall at the start of words as well as in the middle."""
    from improvedir.engine.browser_index import english_near

    index = Index(bundled_directory())
    assert english_near(index) == _near_by_deletions(index)

    class Swapped(Index):
        def vocabulary(self) -> dict[str, str]:
            return {w[1::-1] + w[2:]: stem for w, stem in super().vocabulary().items()}

    swapped = Swapped(bundled_directory())
    assert english_near(swapped) == _near_by_deletions(swapped)


def test_english_near_in_two_shares_is_the_whole(content):
    """The site finds the short words' share and the long words' share in two processes."""
    from improvedir.content.validate import load_directory
    from improvedir.engine import search as s
    from improvedir.engine.browser_index import english_near

    index = Index(load_directory(content).directory)
    short, long = english_near(index, (1,)), english_near(index, (2,))
    assert short and long and sorted(short + long) == english_near(index)
    assert {s._max_edits(w) for w in short} == {1} and {s._max_edits(w) for w in long} == {2}
