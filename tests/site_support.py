"""Shared by the site tests: the bundled site built once per run, a hostile directory, and
finding a browser (or saying how to get one)."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from improvedir.content.model import (
    Area,
    Consent,
    Contact,
    Directory,
    Exemplar,
    Link,
    Measure,
    Organisation,
    Tactic,
)
from improvedir.content.validate import load_directory
from improvedir.render.site import Options, build_site

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
BASE_URL = "https://example.org/improvedir/"
REPO_URL = "https://example.org/repo"

# --- hostile content: every way a contributor's text could try to become markup ---

SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
ATTR = '"><img src=x onerror="window.__pwned=2;alert(2)">'
JS_URL = "javascript:window.__pwned=3;alert(3)"
RLO = "\u202egnirts desrever\u202c"
LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 8  # one 360-letter word
TEMPLATE = "{{ 7*7 }} {% raw %}"


def _temp_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def bundled_directory() -> Directory:
    return load_directory(CONTENT).directory


@functools.cache
def bundled_site() -> Path:
    """The bundled directory's site, built once per test run at ``<tmp>/sub/path/``, so an
    HTTP server at the tmp folder serves it from a sub-path."""
    out = _temp_dir("improvedir-site-") / "sub" / "path"
    old = os.environ.pop("IMPROVEDIR_SITE_URL", None)
    try:
        build_site(bundled_directory(), out, Options(base_url=BASE_URL, repo_url=REPO_URL))
    finally:
        if old is not None:
            os.environ["IMPROVEDIR_SITE_URL"] = old
    return out


def hostile_directory() -> Directory:
    """Built by hand: validation would refuse some of this, the site must be safe anyway."""
    area = Area(
        id="hostile",
        name=f"Endoscopy {SCRIPT}",
        path="content/areas.yaml",
        synonyms=(ATTR, RLO, LONG),
        measures=("m1",),
    )
    measure = Measure(
        id="m1",
        name=f"{ATTR} DM01",
        standard=f"{LONG} {SCRIPT} {TEMPLATE}",
        path="content/measures.yaml",
        codes=("DM01", JS_URL),
        areas=("hostile",),
        sources=(Link(SCRIPT, JS_URL, "news"),),
    )
    tactic = Tactic(
        id="evil-tactic",
        title=f"Weekend endoscopy lists {SCRIPT} {RLO}",
        summary=f"{ATTR} {LONG} {TEMPLATE}",
        areas=("hostile",),
        path="content/tactics/evil-tactic.yaml",
        keywords=("weekend lists", JS_URL),
        steps=(SCRIPT, ATTR, LONG),
        evidence=(Link(ATTR, JS_URL, None), Link("data", "data:text/html,<script>1</script>")),
        measures=("m1",),
        considerations=(("cost", SCRIPT), ("watch_out", ATTR)),
    )

    def exemplar(n: int, **over) -> Exemplar:
        data = dict(
            id=f"evil-{n}",
            tactics=("evil-tactic",),
            organisation=Organisation(f"Org {n} {SCRIPT} {RLO}"),
            summary=f"{ATTR} {LONG}",
            path=f"content/exemplars/evil-{n}.yaml",
            last_verified="2026-11-01",
            outcome=f"{SCRIPT} {TEMPLATE}",
            contacts=(
                Contact(name=f"Pat {SCRIPT}", role=ATTR, email="secret@example.org"),
                Contact(
                    name="Sam Example",
                    email='sam"onmouseover="alert(5)@example.org',
                    consent=Consent(dt.date.today().isoformat(), "email"),
                ),
            ),
            sources=(
                Link(SCRIPT, 'https://example.org/"><script>window.__pwned=4</script>', "news"),
                Link(ATTR, JS_URL, "vendor"),
            ),
            result="measured",
        )
        data.update(over)
        return Exemplar(**data)

    return Directory(
        root="hostile",
        areas={area.id: area},
        tactics={tactic.id: tactic},
        exemplars={
            e.id: e
            for e in (
                exemplar(1),
                exemplar(2),
                exemplar(3),
                exemplar(4, worked="no", lessons=f"{SCRIPT} {ATTR}"),
            )
        },
        measures={measure.id: measure},
    )


@functools.cache
def hostile_site() -> Path:
    out = _temp_dir("improvedir-hostile-") / "site"
    build_site(hostile_directory(), out, Options(base_url=BASE_URL, repo_url=REPO_URL))
    return out


# --- the browser ---

HOW_TO_ENABLE = (
    "install Chromium (Debian/Ubuntu: apt-get install chromium; or set IMPROVEDIR_CHROMIUM "
    "to a Chromium binary) and pip install '.[test]'; .ci/run does both and sets "
    "IMPROVEDIR_BROWSER_TESTS=required so that a missing browser fails instead of skipping"
)


def chromium_path() -> str | None:
    named = os.environ.get("IMPROVEDIR_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def no_browser(reason: str):
    """Skip, or fail when CI said browser tests are required."""
    message = f"browser tests need {reason}: {HOW_TO_ENABLE}"
    if os.environ.get("IMPROVEDIR_BROWSER_TESTS") == "required":
        pytest.fail(message)
    pytest.skip(message)
