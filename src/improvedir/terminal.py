"""Consoles that behave: colour only on a terminal, never with NO_COLOR, never markup.

Content is written by many people; text such as ``[bold]`` in a YAML file must print as
written, so every console here has markup and emoji interpretation switched off.
"""

from __future__ import annotations

import os
import sys
from functools import cache

from rich.console import Console


def _make(stream) -> Console:
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=no_color,
        color_system=None if no_color else "auto",
    )


@cache
def out_console() -> Console:
    return _make(sys.stdout)


@cache
def err_console() -> Console:
    return _make(sys.stderr)
