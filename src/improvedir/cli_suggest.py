"""Commands for performance managers: search and suggest (registered on the app)."""

from __future__ import annotations
