"""The site's search ranks exactly as `improvedir search` does.

The repository's query set (and typos, English words, phrases) goes through the Python
Index and through search.js over the exported index: with node when it is installed, else
in Chromium. The top three must agree for every query; in fact the whole ranking, the
scores and the corrections agree, except for one documented difference (see
engine/browser_index.py): a rarer English word close to a directory word is corrected in
the browser but not by the command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources

import pytest

from improvedir.engine.browser_index import browser_index
from improvedir.engine.search import Index, is_english_word

from .site_support import bundled_directory, chromium_path, no_browser
from .test_search import QUERIES

SEARCH_JS = resources.files("improvedir.render.site") / "static" / "search.js"

EXTRA = [
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
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(queries.map((q) => run(index, q))));
"""
RUN = """
function run(index, q) {
  const r = index.search(q, 10);
  return {ids: r.hits.map((h) => h.tactic.id), scores: r.hits.map((h) => h.score),
          corrections: r.corrections, areas: r.areas, unknown: r.unknown};
}
"""


def _in_node(data: dict, queries: list[str], tmp_path) -> list[dict]:
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


def _in_browser(data: dict, queries: list[str]) -> list[dict]:
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
            " return qs.map((q) => run(index, q)); }",
            queries,
        )
        browser.close()
    return out


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(bundled_directory())


def test_browser_search_ranks_as_the_command_does(index, tmp_path, capsys):
    data = json.loads(json.dumps(browser_index(index)))
    typos = _typos(index)
    queries = [q for q, _ in QUERIES] + EXTRA + typos
    if shutil.which("node") or shutil.which("nodejs"):
        engine, got = "node", _in_node(data, queries, tmp_path)
    else:
        engine, got = "chromium", _in_browser(data, queries)
    english_only = []
    for query, js in zip(queries, got, strict=True):
        py = index.search(query, limit=10)
        ids = [h.tactic.id for h in py.hits]
        if js["corrections"] != py.corrections:
            # The one allowed difference: the browser corrects an English word it does not
            # know is English; the command leaves it alone.
            extra = {w for w in js["corrections"] if w not in py.corrections}
            assert extra and all(is_english_word(w) for w in extra), (query, js, py.corrections)
            assert all(w not in data["english"] for w in extra)
            english_only.append(query)
            continue
        assert js["ids"][:3] == ids[:3], query
        assert js["ids"] == ids, query
        assert js["scores"] == [h.score for h in py.hits], query
        assert js["areas"] == py.areas and js["unknown"] == py.unknown, query
    named = [q for q, _ in QUERIES]
    assert not set(english_only) & set(named)
    with capsys.disabled():
        print(
            f"\nsite search ({engine}) = improvedir search on {len(queries)} queries "
            f"({len(QUERIES)} from the query set, {len(typos)} typos); "
            f"{len(english_only)} rarer English words corrected only in the browser"
        )


def test_compact_postings_rebuild_the_exact_weights(index):
    data = browser_index(index)
    assert data["mode"] == "compact"  # otherwise the exact weights are sent, and bigger
