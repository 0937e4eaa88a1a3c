"""The local conversation log (placeholder until issue 6 lands)."""

from __future__ import annotations

from pathlib import Path


class LogError(Exception):
    """The log could not be written or read."""


def record_offer(plan) -> Path:
    raise LogError("recording is not available yet")
