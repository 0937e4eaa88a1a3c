"""organisations.yaml: its schema and rules, resolving the names people use, and what uses it."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from improvedir.content.model import Consent, Contact, Exemplar, Link, Organisation
from improvedir.content.organisations import load_organisations
from improvedir.content.schemacheck import load_schema
from improvedir.engine.orgs import organisation_for, resolve_organisation
from improvedir.engine.plan import choose_exemplars

from .conftest import exemplar, make_content, tactic, write_yaml

SHIPPED = Path(__file__).resolve().parents[1] / "content"
ELM = "Elm Hospitals NHS Trust"


def _org(ident: str, name: str, **over: Any) -> dict[str, Any]:
    return {"id": ident, "name": name, "type": "acute-trust", **over}


def _write(content: Path, text: str) -> Path:
    path = content / "organisations.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the schema and the file's rules ---


def test_the_schema_describes_every_field_and_refuses_unknown_ones() -> None:
    schema = load_schema("organisations")
    item = schema["items"]

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:improvedir:schema:organisations:v1"
    assert item["additionalProperties"] is False
    assert item["required"] == ["id", "name", "type"]
    assert all(len(p.get("description", "")) > 20 for p in item["properties"].values())
    assert len(item["properties"]["region"]["enum"]) == 7


def test_a_content_folder_without_it_still_validates(cli, content: Path) -> None:
    result = cli("validate", "--content", str(content))
    assert result.exit_code == 0, result.output


def test_a_valid_file_is_loaded_and_counted(cli, content: Path) -> None:
    write_yaml(content / "organisations.yaml", [_org("elm", ELM, short_names=["EHT"])])

    result = cli("validate", "--content", str(content))

    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "All 10 files are valid: 3 areas, 1 measures, 2 tactics, 5 exemplars, 1 organisations.\n"
    )
    assert load_organisations(content).organisations == [
        Organisation(ELM, id="elm", short_names=("EHT",), type="acute-trust")
    ]


def test_problems_are_reported_at_their_line_with_a_rule(cli, content: Path) -> None:
    path = _write(
        content,
        "- id: elm\n"  # 1
        '  name: "Elm Hospitals NHS Trust"\n'
        "  short_names: [EHT]\n"
        "  type: acute-trust\n"
        "- id: elm\n"  # 5: the id again
        '  name: "Another Trust"\n'
        "  type: acute-trust\n"
        "- id: elm-again\n"  # 8
        '  name: "elm hospitals nhs foundation trust"\n'  # 9: Elm once more, spelt differently
        "  type: acute-trust\n"
        "- id: fir\n"  # 11
        '  name: "Fir Health Board"\n'
        "  short_names: [EHT]\n"  # 13: Elm's short name
        "  type: health-board\n"
        "- id: oak\n"  # 15
        '  name: "Oak NHS Trust"\n'
        "  type: acute-trst\n"  # 17: not a type
        "  region: wales\n",  # 18: not an NHS England region
    )
    shown = os.path.relpath(path)

    result = cli("validate", "--content", str(content))

    assert result.exit_code == 1
    rules = [(line.split(":")[1], line.rsplit("[", 1)[1]) for line in result.stdout.splitlines()]
    assert rules == [
        ("5", "id-duplicate]"),
        ("9", "org-duplicate]"),
        ("13", "org-duplicate]"),
        ("17", "schema-enum]"),
        ("18", "schema-enum]"),
    ]
    lines = result.stdout.splitlines()
    assert lines[1] == (
        f"{shown}:9:9: the 'elm hospitals nhs foundation trust' already names "
        f"'{ELM}' (elm, line 1); list each organisation once, with its other names under "
        "short_names [org-duplicate]"
    )
    assert "did you mean 'acute-trust'?" in lines[3]
    # The first of two clashing entries is kept, so names still resolve.
    assert [o.id for o in load_organisations(path.parent).organisations] == ["elm"]


# --- resolving names ---

ORGS = [
    Organisation(
        "East Lancashire Hospitals NHS Trust",
        id="east-lancashire-hospitals",
        short_names=("ELHT",),
        type="acute-trust",
        region="north-west",
    ),
    Organisation(
        "Leeds Teaching Hospitals NHS Trust",
        id="leeds-teaching-hospitals",
        short_names=("LTHT",),
        type="acute-trust",
    ),
    Organisation("Leeds Health and Care Partnership", id="leeds-partnership", type="other"),
    Organisation("The Mid Yorkshire Hospitals NHS Trust", id="mid-yorkshire", type="acute-trust"),
    Organisation("Barts Health NHS Trust", ods_code="R1H", id="barts-health", type="acute-trust"),
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ELHT", ["east-lancashire-hospitals"]),
        ("elht", ["east-lancashire-hospitals"]),
        ("East Lancashire Hospitals NHS Foundation Trust", ["east-lancashire-hospitals"]),
        ("east   lancashire hospitals", ["east-lancashire-hospitals"]),
        ("East Lancashire", ["east-lancashire-hospitals"]),  # the start of a name
        ("Mid Yorkshire Hospitals", ["mid-yorkshire"]),  # without "The"
        ("R1H", ["barts-health"]),  # its ODS code
        ("Leeds", ["leeds-partnership", "leeds-teaching-hospitals"]),  # ambiguous
        ("East Lancashire Hosptials", ["east-lancashire-hospitals"]),  # a typo
        ("Maple Hospitals NHS Trust", []),
        ("", []),
    ],
)
def test_resolve_organisation(typed: str, expected: list[str]) -> None:
    assert [o.id for o in resolve_organisation(typed, ORGS)] == expected


def test_resolving_without_typos_never_guesses() -> None:
    assert resolve_organisation("East Lancashire Hosptials", ORGS, typos=False) == []
    assert [o.id for o in resolve_organisation("East Lancashire", ORGS, typos=False)] == [
        "east-lancashire-hospitals"
    ]


def test_an_exemplar_name_resolves_exactly_or_not_at_all() -> None:
    barts = organisation_for("Barts Health NHS Trust (Royal London Hospital)", ORGS)
    assert barts is not None and barts.id == "barts-health"
    assert organisation_for("East Lancashire", ORGS) is None  # never by a prefix
    assert organisation_for("Leeds", ORGS) is None


def test_the_shipped_file_knows_the_names_managers_use() -> None:
    loaded = load_organisations(SHIPPED)
    assert loaded.diagnostics == []
    [elht] = resolve_organisation("ELHT", loaded.organisations)
    [ltht] = resolve_organisation("LTHT", loaded.organisations)
    assert elht.name == "East Lancashire Hospitals NHS Trust"
    assert (ltht.name, ltht.type, ltht.region) == (
        "Leeds Teaching Hospitals NHS Trust",
        "acute-trust",
        "north-east-and-yorkshire",
    )


# --- commands that use it ---

NORTH_WEST = [
    _org("elm", ELM, short_names=["EHT"], region="north-west"),
    _org("amber", "Amber NHS Trust", region="south-west"),
    _org("birch", "Birch NHS Trust", region="london"),
    _org("cedar", "Cedar NHS Trust", region="north-west"),
    _org("dove", "Dove NHS Trust", region="north-west"),
    _org("fir", "Fir NHS Trust", short_names=["FHT"], region="north-west"),
    _org("oak-hospitals", "Oak Hospitals NHS Trust", short_names=["OHT"]),
    _org("oak-valley", "Oak Valley NHS Trust"),
]


@pytest.fixture
def regional(tmp_path: Path) -> Path:
    """One tactic; five organisations ranked equal but for where they are."""
    content = make_content(
        tmp_path,
        tactics=[tactic("weekend-lists", title="Run weekend endoscopy lists")],
        exemplars=[
            exemplar(f"{name.lower()}-weekend", ["weekend-lists"], f"{name} NHS Trust")
            for name in ("Amber", "Birch", "Cedar", "Dove")
        ]
        + [exemplar("elm-weekend", ["weekend-lists"], f"{ELM} (Example Site)")],
    )
    write_yaml(content / "organisations.yaml", NORTH_WEST)
    return content


def _suggest(cli, content: Path, *args: str):
    return cli("suggest", "endoscopy", "--content", str(content), "--exemplars", "2", *args)


def test_suggest_resolves_a_short_name_to_the_full_name(cli, regional: Path) -> None:
    result = _suggest(cli, regional, "--trust", "EHT", "-f", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["trust"], data["region"]) == (ELM, "north-west")
    assert result.stderr == f"Trust: {ELM} (you typed 'EHT').\n"


def test_suggest_prefers_nearby_organisations_and_never_the_trust_itself(cli, regional) -> None:
    text = _suggest(cli, regional, "--trust", "FHT").stdout
    data = json.loads(_suggest(cli, regional, "--trust", "FHT", "-f", "json").stdout)
    elsewhere = json.loads(_suggest(cli, regional, "--trust", "OHT", "-f", "json").stdout)
    elm = json.loads(_suggest(cli, regional, "--trust", "EHT", "-f", "json").stdout)

    chosen = [(e["organisation"], e["nearby"]) for e in data["tactics"][0]["exemplars"]]
    assert chosen == [("Cedar NHS Trust", True), ("Dove NHS Trust", True)]
    assert "   - Cedar NHS Trust (also in the North West)\n" in text
    everyone = json.loads(
        _suggest(cli, regional, "--trust", "FHT", "--exemplars", "9", "-f", "json").stdout
    )
    assert [e["id"] for e in everyone["tactics"][0]["exemplars"]] == [
        "cedar-weekend",
        "dove-weekend",
        "elm-weekend",
        "amber-weekend",
        "birch-weekend",
    ]
    # No region known for Oak: the same exemplars rank by id alone.
    assert [e["organisation"] for e in elsewhere["tactics"][0]["exemplars"]] == [
        "Amber NHS Trust",
        "Birch NHS Trust",
    ]
    assert elsewhere["region"] is None
    # Elm did it itself (under another spelling of its name): not offered, asked to share.
    assert elm["tactics"] == []
    assert elm["already_done"] == [
        {
            "tactic": "weekend-lists",
            "title": "Run weekend endoscopy lists",
            "exemplars": ["elm-weekend"],
        }
    ]


def test_an_ambiguous_trust_lists_the_candidates(cli, regional: Path) -> None:
    result = _suggest(cli, regional, "--trust", "Oak")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: --trust 'Oak' could be more than one organisation:\n"
        "  Oak Hospitals NHS Trust\n"
        "  Oak Valley NHS Trust\n"
        "Give more of the name.\n"
    )


def test_a_likely_typo_is_pointed_out_but_not_replaced(cli, regional: Path) -> None:
    result = _suggest(cli, regional, "--trust", "Cedar NHS Trsut", "-f", "json")

    assert json.loads(result.stdout)["trust"] == "Cedar NHS Trsut"
    assert result.stderr == (
        "Note: 'Cedar NHS Trsut' is not in organisations.yaml; did you mean 'Cedar NHS Trust'? "
        "Using the name as typed.\n"
    )


def test_followup_finds_a_trust_by_any_of_its_names(cli, regional: Path) -> None:
    recorded = _suggest(cli, regional, "--trust", ELM, "--record")
    assert recorded.exit_code == 0, recorded.output

    by_short = cli("followup", "EHT", "--content", str(regional), "-f", "json")
    log = cli("log", "--trust", "eht", "--content", str(regional), "-f", "json")

    assert by_short.exit_code == 0, by_short.output
    assert json.loads(by_short.stdout)["conversation"]["trust"] == ELM
    assert (
        by_short.stderr.splitlines()[0] == f"Showing conversations with '{ELM}' (you typed 'EHT')."
    )
    assert [c["trust"] for c in json.loads(log.stdout)] == [ELM]


def test_choose_exemplars_prefers_the_region_among_equal_evidence() -> None:
    def ex(ident: str, **over: Any) -> Exemplar:
        base = dict(summary="", path="", last_verified="2026-11-01", outcome="Waits fell.")
        base |= dict(result="measured", sources=(Link("s", "https://example.org/s", "news"),))
        return Exemplar(ident, ("t",), Organisation(f"{ident} NHS Trust"), **(base | over))

    reachable = ex(
        "far",
        contacts=(
            Contact(
                "Al", email="al@example.org", consent=Consent(dt.date.today().isoformat(), "email")
            ),
        ),
    )
    newer = ex("newer", last_verified="2026-11-20")
    near = ex("near")
    plain = ex("a-plain")
    stronger = ex("strong", sources=(Link("s", "https://example.org/p", "peer-reviewed"),))

    chosen = choose_exemplars(
        [plain, near, newer, reachable, stronger], 5, nearby=lambda e: e.id in {"near", "far"}
    )
    skipped = choose_exemplars([plain, near], 4, exclude_org_keys={"name:near"}, nearby=None)

    # evidence first; among equal evidence the region; then consent, recency, id
    assert [e.id for e in chosen] == ["strong", "far", "near", "newer", "a-plain"]
    assert [e.id for e in skipped] == ["a-plain"]


def test_on_the_shipped_directory_ltht_is_leeds_and_never_offered_to_itself(cli) -> None:
    def offered(*args: str) -> tuple[dict, list[str]]:
        result = cli("suggest", "safety huddles", "--content", str(SHIPPED), "-f", "json", *args)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return data, [e["id"] for t in data["tactics"] for e in t["exemplars"]]

    _, anyone = offered("--exemplars", "10")
    leeds, to_leeds = offered("--exemplars", "10", "--trust", "LTHT", "--record")
    follow = cli("followup", "LTHT", "--content", str(SHIPPED), "-f", "json")

    assert "leeds-safety-huddles" in anyone  # so the next assertion can fail
    assert "leeds-safety-huddles" not in to_leeds
    assert (leeds["trust"], leeds["region"]) == (
        "Leeds Teaching Hospitals NHS Trust",
        "north-east-and-yorkshire",
    )
    assert json.loads(follow.stdout)["conversation"]["trust"] == leeds["trust"]
