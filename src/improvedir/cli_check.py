"""Commands that judge and grow the directory: check, gaps, new (registered on the app)."""

from __future__ import annotations
