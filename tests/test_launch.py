"""The console entry point: the forked head start on the cache key must never change answers."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import tactic, write_yaml


def run(*args: str, home) -> subprocess.CompletedProcess:
    env = {**os.environ, "IMPROVEDIR_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "improvedir", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_head_start_sees_an_edit_and_prints_once(content, tmp_path):
    home = tmp_path / "home-launch"
    first = run("suggest", "endoscopy", "--content", str(content), home=home)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("Ideas and help: Endoscopy") == 1
    path = content / "tactics" / "weekend-lists.yaml"
    write_yaml(path, tactic("weekend-lists", title="Run weekend endoscopy lists (edited)"))
    second = run("suggest", "endoscopy", "--content", str(content), "--verbose", home=home)
    assert second.returncode == 0, second.stderr
    assert "Run weekend endoscopy lists (edited)" in second.stdout
    assert "Directory loaded from the files." in second.stderr
    third = run("suggest", "endoscopy", "--content", str(content), "--verbose", home=home)
    assert "Directory cache from the cache." in third.stderr
    assert third.stdout == second.stdout


def test_head_start_with_a_missing_folder_is_still_a_usage_error(tmp_path):
    result = run("suggest", "endoscopy", "--content", str(tmp_path / "nope"), home=tmp_path / "h")
    assert result.returncode == 2
    assert "no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_and_version_work_through_the_entry_point(tmp_path):
    assert run("--version", home=tmp_path).stdout.startswith("improvedir ")
    assert "suggest" in run("--help", home=tmp_path).stdout
