"""Shared fixtures: a tiny made-up directory (example.org only) and a CLI runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from improvedir.cli import load_commands

app = load_commands()


def consent(days_ago: int = 30, how: str = "email") -> dict[str, str]:
    """A consent record given ``days_ago`` days before today (live under two years)."""
    return {"given": (dt.date.today() - dt.timedelta(days=days_ago)).isoformat(), "how": how}


#: A live consent record, as `improvedir consent` writes it.
CONSENT = consent()

AREAS: list[dict[str, Any]] = [
    {
        "id": "diagnostics",
        "name": "Diagnostics",
        "synonyms": ["tests"],
        "measures": ["dm01"],
    },
    {
        "id": "endoscopy",
        "name": "Endoscopy",
        "parent": "diagnostics",
        "synonyms": ["scopes", "colonoscopy", "OGD"],
        "measures": ["dm01"],
    },
    {"id": "maternity", "name": "Maternity", "synonyms": ["midwifery"]},
]


MEASURES: list[dict[str, Any]] = [
    {
        "id": "dm01",
        "codes": ["DM01", "6 week wait"],
        "name": "Diagnostic waiting times",
        "standard": "Fewer than 1% waiting 6 weeks or more (made up for tests).",
        "areas": ["diagnostics", "endoscopy"],
        "sources": [{"title": "Diagnostics standard", "url": "https://example.org/dm01"}],
    }
]


def tactic(ident: str, **over: Any) -> dict[str, Any]:
    data = {
        "id": ident,
        "title": f"Tactic {ident}",
        "summary": f"What {ident} is about.",
        "areas": ["endoscopy"],
        "keywords": ["weekend lists"],
        "steps": ["Do the first thing."],
        "evidence": [{"title": "Guidance", "url": f"https://example.org/{ident}"}],
    }
    data.update(over)
    return data


def exemplar(ident: str, tactics: list[str], org: str, **over: Any) -> dict[str, Any]:
    data = {
        "id": ident,
        "tactics": tactics,
        "organisation": {"name": org},
        "summary": f"{org} did it.",
        "outcome": "Waits fell.",
        "contacts": [{"name": "Pat Example", "role": "Lead"}],
        "sources": [
            {
                "title": "Case study",
                "url": f"https://example.org/case/{ident}",
                "kind": "organisation",
            }
        ],
        "last_verified": "2026-11-01",
        "result": "measured",
    }
    data.update(over)
    return data


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_content(
    root: Path,
    tactics: list[dict[str, Any]] | None = None,
    exemplars: list[dict[str, Any]] | None = None,
    areas: list[dict[str, Any]] | None = None,
    measures: list[dict[str, Any]] | None = None,
) -> Path:
    """Write a content folder under ``root`` and return it (with the test measures
    catalogue when the areas name its measure)."""
    content = root / "content"
    areas = AREAS if areas is None else areas
    write_yaml(content / "areas.yaml", areas)
    if measures is None and any("dm01" in a.get("measures", ()) for a in areas):
        measures = MEASURES
    if measures is not None:
        write_yaml(content / "measures.yaml", measures)
    (content / "tactics").mkdir(parents=True, exist_ok=True)
    (content / "exemplars").mkdir(parents=True, exist_ok=True)
    for t in tactics or []:
        write_yaml(content / "tactics" / f"{t['id']}.yaml", t)
    for e in exemplars or []:
        write_yaml(content / "exemplars" / f"{e['id']}.yaml", e)
    return content


def covered_content(root: Path) -> Path:
    """Two endoscopy tactics, each backed by three organisations."""
    return make_content(
        root,
        tactics=[
            tactic("weekend-lists", title="Run weekend endoscopy lists", keywords=["insourcing"]),
            tactic(
                "list-validation",
                title="Validate the endoscopy waiting list",
                keywords=["validation"],
            ),
        ],
        exemplars=[
            exemplar("red-weekend", ["weekend-lists"], "Red Hospitals NHS Trust"),
            exemplar("white-weekend", ["weekend-lists"], "White Hospitals NHS Trust"),
            exemplar(
                "green-weekend", ["weekend-lists", "list-validation"], "Green NHS Foundation Trust"
            ),
            exemplar("red-validation", ["list-validation"], "Red Hospitals NHS Trust"),
            exemplar("blue-validation", ["list-validation"], "Blue Health Board"),
        ],
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return covered_content(tmp_path)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may read the developer's real cache, log or content settings.
    monkeypatch.delenv("IMPROVEDIR_CONTENT", raising=False)
    monkeypatch.delenv("IMPROVEDIR_SITE_URL", raising=False)
    monkeypatch.setenv("IMPROVEDIR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str, **kwargs: Any):
        return runner.invoke(app, list(args), catch_exceptions=False, **kwargs)

    return run
