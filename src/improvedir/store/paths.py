"""Per-user folders for the cache and the conversation log, never inside the content repo.

``$IMPROVEDIR_HOME`` puts both under one folder (tests, shared machines); otherwise the
platform's own conventions: XDG on Linux, ~/Library on macOS, %LOCALAPPDATA% on Windows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HOME_VAR = "IMPROVEDIR_HOME"


def _platform_dir(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "darwin":
        base = home / "Library" / ("Caches" if kind == "cache" else "Application Support")
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "improvedir" / kind
    else:
        var, default = (
            ("XDG_CACHE_HOME", home / ".cache")
            if kind == "cache"
            else ("XDG_DATA_HOME", home / ".local" / "share")
        )
        base = Path(os.environ.get(var) or default)
    return base / "improvedir"


def cache_dir() -> Path:
    """Where the parsed-directory cache lives (safe to delete at any time)."""
    override = os.environ.get(HOME_VAR)
    return Path(override) / "cache" if override else _platform_dir("cache")


def data_dir() -> Path:
    """Where the conversation log lives (worth keeping)."""
    override = os.environ.get(HOME_VAR)
    return Path(override) / "data" if override else _platform_dir("data")
