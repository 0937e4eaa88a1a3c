"""Which content folder a command works on.

Contributors run commands inside a checkout and expect their edits to count; performance
managers run them anywhere and expect the bundled directory. The order is: --content,
then $IMPROVEDIR_CONTENT, then the nearest folder at or above the working folder holding
content/areas.yaml, then the copy shipped inside the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .resources import bundled_content_dir

ENV_VAR = "IMPROVEDIR_CONTENT"


class ContentNotFound(Exception):
    """A folder named by the user does not exist: a usage error, not a content problem."""


@dataclass(frozen=True)
class Located:
    path: Path
    how: str  # "--content", "$IMPROVEDIR_CONTENT", "found above the working folder", "bundled"


def _normalise(folder: Path) -> Path:
    # Accept the repository root as well as its content/ folder.
    if not (folder / "areas.yaml").exists() and (folder / "content").is_dir():
        return folder / "content"
    return folder


def find_content(option: str | Path | None = None, cwd: Path | None = None) -> Located:
    """Resolve the content folder; raise ContentNotFound for a named folder that is missing."""
    if option:
        folder = Path(option).expanduser()
        if not folder.is_dir():
            raise ContentNotFound(f"--content {option}: no such folder")
        return Located(_normalise(folder), "--content")
    env = os.environ.get(ENV_VAR)
    if env:
        folder = Path(env).expanduser()
        if not folder.is_dir():
            raise ContentNotFound(f"${ENV_VAR}={env}: no such folder")
        return Located(_normalise(folder), f"${ENV_VAR}")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content" / "areas.yaml").is_file():
            return Located(folder / "content", "found above the working folder")
    return Located(bundled_content_dir(), "bundled with improvedir")
