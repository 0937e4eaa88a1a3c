"""The parsed-directory cache: outside the content, rebuilt on edits, safe to delete or race."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from improvedir.store.cache import cache_path, open_catalogue

from .conftest import tactic, write_yaml


def titles(cli, content) -> tuple[list[str], str]:
    result = cli("search", "endoscopy", "--content", str(content), "--format", "json", "--verbose")
    assert result.exit_code == 0, result.stderr
    return sorted(r["title"] for r in json.loads(result.stdout)), result.stderr


def test_second_run_reads_the_cache_stored_outside_the_content(cli, content, tmp_path):
    first, err1 = titles(cli, content)
    second, err2 = titles(cli, content)
    assert first == second
    assert "Directory loaded from the files." in err1
    assert "Directory cache from the cache." in err2
    path = cache_path(content)
    assert path.is_file()
    assert path.is_relative_to(tmp_path / "home")
    assert not any(p.suffix == ".sqlite3" for p in content.rglob("*"))


def test_an_edit_is_seen_at_once(cli, content):
    titles(cli, content)
    write_yaml(
        content / "tactics" / "weekend-lists.yaml",
        tactic("weekend-lists", title="Run Saturday endoscopy lists"),
    )
    found, err = titles(cli, content)
    assert "Run Saturday endoscopy lists" in found
    assert "from the files" in err


def test_a_new_file_is_seen_at_once(cli, content):
    titles(cli, content)
    write_yaml(
        content / "tactics" / "nurse-endoscopists.yaml",
        tactic("nurse-endoscopists", title="Train nurse endoscopists"),
    )
    found, _ = titles(cli, content)
    assert "Train nurse endoscopists" in found


def test_deleting_the_cache_only_costs_a_rebuild(cli, content):
    before, _ = titles(cli, content)
    cache_path(content).unlink()
    after, err = titles(cli, content)
    assert before == after
    assert "from the files" in err
    assert cache_path(content).is_file()


def test_a_damaged_cache_is_rebuilt(cli, content):
    before, _ = titles(cli, content)
    cache_path(content).write_bytes(b"not a database at all")
    after, err = titles(cli, content)
    assert before == after
    assert "from the files" in err


def test_two_processes_building_at_once_both_succeed(content, tmp_path):
    env = {**os.environ, "IMPROVEDIR_HOME": str(tmp_path / "race")}
    code = (
        "import sys, json; from pathlib import Path; from improvedir.store.cache import open_catalogue;"
        "c = open_catalogue(Path(sys.argv[1]));"
        "print(json.dumps([h.tactic.id for h in c.index.search('endoscopy').hits]))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(content)], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outputs)) == 1 and json.loads(outputs[0])
    leftovers = [p.name for p in (tmp_path / "race" / "cache").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_cached_and_fresh_loads_give_the_same_answers(content):
    fresh = open_catalogue(content, use_cache=False)
    open_catalogue(content)  # builds
    cached = open_catalogue(content)
    assert cached.source == "cache"
    for query in ("endoscopy", "validation", "Red Hospitals", "weekend lists"):
        a = [(h.tactic, h.score) for h in fresh.index.search(query).hits]
        b = [(h.tactic, h.score) for h in cached.index.search(query).hits]
        assert a == b, query
    assert cached.exemplars_for("weekend-lists") == fresh.exemplars_for("weekend-lists")
    assert cached.exemplar("red-weekend") == fresh.exemplar("red-weekend")
    assert cached.areas == fresh.areas


def test_an_edit_that_keeps_the_size_is_seen(cli, content):
    titles(cli, content)
    path = content / "tactics" / "weekend-lists.yaml"
    text = path.read_text()
    path.write_text(text.replace("Run weekend endoscopy lists", "Run weekend endoscopy listz"))
    assert len(path.read_text()) == len(text)
    found, err = titles(cli, content)
    assert "Run weekend endoscopy listz" in found
    assert "from the files" in err


def test_an_unwritable_cache_folder_only_costs_speed(cli, content, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("IMPROVEDIR_HOME", str(blocker))
    result = cli("suggest", "endoscopy", "--content", str(content))
    assert result.exit_code == 0
    assert "Red Hospitals NHS Trust" in result.stdout
    assert blocker.read_text() == "a file where the cache folder would go"


def test_remembered_words_are_worked_out_once_per_key_and_again_when_damaged():
    """The site's costly English-word list: reused for unchanged content, recomputed when
    its key changes or its file is damaged (a damaged file never breaks a build)."""
    from improvedir.store.memo import remembered
    from improvedir.store.paths import cache_dir

    calls = []

    def compute(words):
        return lambda: calls.append(1) or words

    assert remembered("test-words", "k1", compute(["alpha"])) == ["alpha"]
    assert remembered("test-words", "k1", compute(["other"])) == ["alpha"]
    assert remembered("test-words", "k2", compute(["beta"])) == ["beta"]
    assert len(calls) == 2
    for path in cache_dir().glob("test-words-k1*"):
        path.write_text("{not json", encoding="utf-8")
    assert remembered("test-words", "k1", compute(["gamma"])) == ["gamma"]
    assert len(calls) == 3


def test_a_remembered_list_is_recalled_until_its_key_changes():
    """recall and remember are remembered's two halves, for a caller (the site) that works
    the value out in parts."""
    from improvedir.store.memo import recall, remember

    assert recall("test-parts", "k1") is None
    remember("test-parts", "k1", ["alpha", "beta"])
    assert recall("test-parts", "k1") == ["alpha", "beta"]
    assert recall("test-parts", "k2") is None
