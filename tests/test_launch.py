"""The console entry point: the forked head start on the cache key and the cache written
in the background after the answer must never change answers, print, or race."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from improvedir.store.cache import cache_path, lock_path, wait_for_writer

from .conftest import tactic, write_yaml


def run(*args: str, home, code: str | None = None) -> subprocess.CompletedProcess:
    """The command through the entry point, once any cache it left to write is written."""
    env = {**os.environ, "IMPROVEDIR_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, *(["-c", code] if code else ["-m", "improvedir"]), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if "--content" in args:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("IMPROVEDIR_HOME", str(home))
            wait_for_writer(Path(args[args.index("--content") + 1]))
    return done


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


def test_a_cold_run_leaves_the_cache_to_a_background_child(content, tmp_path, monkeypatch):
    home = tmp_path / "home-bg"
    first = run("search", "endoscopy", "--content", str(content), "--verbose", home=home)
    assert first.returncode == 0, first.stderr
    assert "Directory loaded from the files." in first.stderr
    monkeypatch.setenv("IMPROVEDIR_HOME", str(home))
    assert cache_path(content).is_file()
    assert not [p for p in cache_path(content).parent.iterdir() if p.name.endswith(".tmp")]
    second = run("search", "endoscopy", "--content", str(content), "--verbose", home=home)
    assert "Directory cache from the cache." in second.stderr
    assert second.stdout == first.stdout


def test_a_failing_background_write_is_silent_and_leaves_nothing(content, tmp_path, monkeypatch):
    home = tmp_path / "home-fail"
    code = (
        "import sys; from improvedir.store import cache\n"
        "def boom(*args): raise RuntimeError('disk on fire')\n"
        "cache._write = boom\n"
        "from improvedir.launch import main; main()"
    )
    args = ("suggest", "endoscopy", "--content", str(content))
    failed = run(*args, home=home, code=code)
    assert failed.returncode == 0
    assert failed.stderr == ""
    assert "Ideas and help: Endoscopy" in failed.stdout
    monkeypatch.setenv("IMPROVEDIR_HOME", str(home))
    assert [p.name for p in cache_path(content).parent.iterdir()] == [
        lock_path(cache_path(content)).name
    ]
    assert run(*args, home=home).stdout == failed.stdout


def test_a_cold_run_while_another_writes_the_cache_does_not_write_it_again(
    content, tmp_path, monkeypatch
):
    home = tmp_path / "home-busy"
    monkeypatch.setenv("IMPROVEDIR_HOME", str(home))
    lock = lock_path(cache_path(content))
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a writer still at work would
        busy = subprocess.run(
            [sys.executable, "-m", "improvedir", "suggest", "endoscopy", "--content", str(content)],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=60,
        )
    assert busy.returncode == 0, busy.stderr
    assert "Ideas and help: Endoscopy" in busy.stdout
    assert not cache_path(content).exists()


def test_a_cold_run_that_matches_nothing_exits_1_and_still_leaves_the_cache(
    content, tmp_path, monkeypatch
):
    home = tmp_path / "home-none"
    result = run("search", "zzzqqq", "--content", str(content), home=home)
    assert result.returncode == 1
    assert "No tactics match 'zzzqqq'" in result.stderr
    monkeypatch.setenv("IMPROVEDIR_HOME", str(home))
    assert cache_path(content).is_file()
