"""The GitHub workflows pass zizmor's security audit with nothing of medium severity or above.

zizmor runs offline (no GitHub API): the audits that need the network are skipped, the
rest (permissions, credential persistence, template injection, pinning) all run. The
policy for pins is in .github/zizmor.yml.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def _zizmor() -> str | None:
    here = Path(sys.executable).parent / "zizmor"
    return str(here) if here.exists() else shutil.which("zizmor")


def test_workflows_pass_zizmor_offline():
    zizmor = _zizmor()
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install '.[test]' installs it)")
    result = subprocess.run(
        [zizmor, "--offline", "--format", "json", "--min-severity", "medium", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr  # 1x: findings
    findings = json.loads(result.stdout or "[]")
    summary = [(f.get("ident"), f.get("determinations", {}).get("severity")) for f in findings]
    assert findings == [], summary


def test_only_the_deploy_job_may_write():
    site = (WORKFLOWS / "site.yml").read_text(encoding="utf-8")
    assert "permissions:\n  contents: read" in site
    assert site.count("pages: write") == 1 and site.count("id-token: write") == 1
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert text.count("actions/checkout") == text.count("persist-credentials: false"), path
