"""The measures catalogue: references checked at file:line, and `measures` lists each with
the tactics behind it."""

from __future__ import annotations

import json

from improvedir.content.validate import load_directory

from .conftest import AREAS, MEASURES, covered_content, make_content, tactic


def _problems(content):
    return [
        (d.path.rsplit("/", 1)[-1], d.line, d.rule, d.message)
        for d in load_directory(content).diagnostics
    ]


def test_an_unknown_measure_is_named_with_a_did_you_mean(tmp_path):
    content = make_content(tmp_path, tactics=[tactic("weekend-lists", measures=["dm1"])])
    assert _problems(content) == [
        (
            "weekend-lists.yaml",
            14,
            "ref-unknown-measure",
            "unknown measure 'dm1' (did you mean 'dm01'?)",
        )
    ]


def test_measures_and_areas_must_agree(tmp_path):
    areas = [{**a, "measures": []} if a["id"] == "endoscopy" else a for a in AREAS]
    content = make_content(tmp_path, areas=areas, measures=MEASURES)
    [(name, line, rule, message)] = _problems(content)
    assert (name, rule) == ("measures.yaml", "measure-area-mismatch")
    assert "add dm01 to the measures of 'endoscopy' in areas.yaml" in message


def test_measures_lists_each_with_its_standard_source_and_tactic_count(cli, tmp_path):
    content = covered_content(tmp_path)
    result = cli("measures", "--content", str(content), "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": "dm01",
            "name": "Diagnostic waiting times",
            "standard": "Fewer than 1% waiting 6 weeks or more (made up for tests).",
            "areas": ["diagnostics", "endoscopy"],
            "sources": [{"title": "Diagnostics standard", "url": "https://example.org/dm01"}],
            "tactics": 0,
            "tactic_ids": [],
            "research_gap": None,
        }
    ]
    text = cli("measures", "--content", str(content)).stdout
    assert text.startswith("Diagnostic waiting times [dm01] - 0 tactics\n")
