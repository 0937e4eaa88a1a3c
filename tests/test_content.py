"""Guard rails on the shipped directory: real, sourced, complete and free of placeholders."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from improvedir.content.validate import load_directory
from improvedir.engine.orgs import org_key

ROOT = Path(__file__).resolve().parents[1] / "content"
TEXT = {p: p.read_text(encoding="utf-8") for p in sorted(ROOT.rglob("*.yaml"))}


@pytest.fixture(scope="module")
def directory():
    loaded = load_directory(ROOT)
    assert loaded.diagnostics == []
    return loaded.directory


def test_no_placeholder_domains_emails_or_todos():
    for path, text in TEXT.items():
        assert not re.search(r"example\.(org|com|net)", text, re.I), path
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), f"email address in {path}"
        assert "TODO" not in text, path


def test_every_exemplar_has_an_https_source(directory):
    for exemplar in directory.exemplars.values():
        assert exemplar.sources, exemplar.id
        assert any(s.url.startswith("https://") for s in exemplar.sources), exemplar.id


def test_no_two_exemplars_of_one_tactic_share_a_source(directory):
    for tactic_id in directory.tactics:
        urls = Counter(s.url for e in directory.exemplars_for(tactic_id) for s in e.sources)
        assert [u for u, n in urls.items() if n > 1] == [], tactic_id


def test_starter_directory_breadth(directory):
    assert len(directory.areas) >= 16
    assert len(directory.tactics) >= 40
    per_area = Counter(a for t in directory.tactics.values() for a in t.areas)
    assert all(per_area[a] >= 2 for a in directory.areas), per_area
    assert per_area["endoscopy"] >= 6
    assert len(directory.exemplars) >= 120


def test_every_tactic_has_three_different_organisations(directory):
    for tactic_id in directory.tactics:
        orgs = {org_key(e) for e in directory.exemplars_for(tactic_id)}
        assert len(orgs) >= 3, tactic_id


def test_vendor_sources_are_marked_as_such():
    vendors = ("meridianproductivity.com", "18weeksupport.com", "eliteteams.co.uk")
    for path, text in TEXT.items():
        for match in re.finditer(r"- title: (.*)\n\s+url: (\S+)", text):
            title, url = match.groups()
            if any(v in url for v in vendors):
                assert "vendor" in title.lower(), (path, url)
