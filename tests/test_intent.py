"""What a manager types, answered as they expect: area intent, phrases, nothing rather than
noise, no 'correcting' of real words, and never offering a trust to itself.

Each test builds a tiny made-up directory (example.org) so the behaviour, not the shipped
content, is what is checked.
"""

from __future__ import annotations

import json
from pathlib import Path

from improvedir.content.validate import load_directory
from improvedir.engine.search import Index

from .conftest import AREAS, exemplar, make_content, tactic

UEC = {"id": "urgent-emergency-care", "name": "Urgent and emergency care", "synonyms": ["A&E"]}
MEASURES = [
    {
        "id": "ae-4-hour",
        "codes": ["4hr", "four hour standard"],
        "name": "A&E four-hour standard",
        "standard": "95% within four hours (made up for tests).",
        "areas": ["urgent-emergency-care"],
        "sources": [{"title": "Standard", "url": "https://example.org/4hr"}],
    }
]


def _orgs(tactic_id: str, *names: str) -> list[dict]:
    return [exemplar(f"{tactic_id}-{n}", [tactic_id], f"{n.title()} NHS Trust") for n in names]


def _content(tmp_path: Path) -> Path:
    areas = [*AREAS, {**UEC, "measures": ["ae-4-hour"]}]
    return make_content(
        tmp_path,
        areas=areas,
        measures=None,
        tactics=[
            tactic(
                "scanner-slots",
                title="Reclaim unused scanner slots",
                summary="Diagnostic slots are lost every week; fill them from a reserve list to cut waits and hours lost.",
                areas=["diagnostics"],
                keywords=["slot utilisation"],
            ),
            tactic(
                "front-door-streaming",
                title="Stream walk-in patients at the front door",
                summary="A senior clinician sends each arrival to the right service.",
                areas=["urgent-emergency-care"],
                keywords=["streaming", "breaches"],
                measures=["ae-4-hour"],
            ),
            tactic(
                "home-ward",
                title="Run a virtual ward",
                summary="Treat people at home with remote monitoring instead of in a hospital bed.",
                areas=["maternity"],
                keywords=["hospital at home"],
            ),
            tactic(
                "bed-audit",
                title="Audit hospital beds each morning",
                summary="Walk every ward at home time and check each patient's plan.",
                areas=["maternity"],
                keywords=["bed audit"],
            ),
        ],
        exemplars=[
            *_orgs("scanner-slots", "red", "white", "blue"),
            *_orgs("front-door-streaming", "red", "white", "green"),
            *_orgs("home-ward", "red", "white", "blue"),
            *_orgs("bed-audit", "red", "white", "blue"),
        ],
    )


def _write_measures(content: Path) -> None:
    from .conftest import MEASURES as DM01
    from .conftest import write_yaml

    write_yaml(content / "measures.yaml", [*DM01, *MEASURES])


def _index(tmp_path: Path) -> tuple[Path, Index]:
    content = _content(tmp_path)
    _write_measures(content)
    loaded = load_directory(content)
    assert loaded.diagnostics == []
    return content, Index(loaded.directory)


def test_a_measure_code_names_its_area_and_its_tactics_come_first(tmp_path):
    _, index = _index(tmp_path)
    results = index.search("4hr breaches")
    assert results.areas == ["urgent-emergency-care"]
    assert results.measures == ["ae-4-hour"]
    assert [h.tactic.id for h in results.hits] == ["front-door-streaming"]


def test_suggest_headline_and_tactics_agree_on_the_named_area(cli, tmp_path):
    content, _ = _index(tmp_path)
    data = json.loads(
        cli("suggest", "4hr hours lost", "--content", str(content), "-f", "json").stdout
    )
    assert data["areas"] == ["urgent-emergency-care"]
    assert [t["id"] for t in data["tactics"]] == ["front-door-streaming"]
    assert [m["id"] for m in data["measures"]] == ["ae-4-hour"]


def test_a_phrase_outranks_the_same_words_scattered_in_a_summary(tmp_path):
    _, index = _index(tmp_path)
    hits = index.search("hospital at home").hits
    assert hits[0].tactic.id == "home-ward"
    # 'hospital' and 'home' both appear in bed-audit's text, but not as the phrase
    assert [h.tactic.id for h in hits][:1] == ["home-ward"]


def test_generic_or_summary_only_words_give_nothing_rather_than_noise(cli, tmp_path):
    content, index = _index(tmp_path)
    for query in ("weather forecast", "reduce waits", "every week"):
        assert index.search(query).hits == [], query
    result = cli("search", "weather forecast", "--content", str(content), "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("No tactics match 'weather forecast'")


def test_a_real_word_is_never_corrected_into_another_word(tmp_path):
    _, index = _index(tmp_path)
    # 'stream' is in the directory; 'steam' is an English word, so it is left alone
    results = index.search("steam")
    assert results.corrections == {}
    assert results.hits == []
    # a typo that is not English is corrected
    assert index.search("streeming").corrections == {"streeming": "streaming"}


def test_a_trust_is_never_offered_as_its_own_helper(cli, tmp_path):
    content, _ = _index(tmp_path)
    text = cli("suggest", "scanner slots", "--content", str(content), "--trust", "RED NHS TRUST")
    assert text.exit_code == 0
    assert "Red NHS Trust\n" not in text.stdout.split("3. Offer people who have done it")[1]
    assert (
        '"I see your team has already done this: Reclaim unused scanner slots '
        '(Red NHS Trust). Would you share how it went with others?"'
    ) in text.stdout
    data = json.loads(
        cli(
            "suggest",
            "slot utilisation",
            "--content",
            str(content),
            "--trust",
            "Blue",
            "-f",
            "json",
        ).stdout
    )
    assert data["tactics"] == []  # its only match is a tactic Blue has done itself
    assert data["already_done"] == [
        {
            "tactic": "scanner-slots",
            "title": "Reclaim unused scanner slots",
            "exemplars": ["scanner-slots-blue"],
        }
    ]
