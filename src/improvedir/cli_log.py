"""Commands that remember conversations: log and followup (registered on the app)."""

from __future__ import annotations
