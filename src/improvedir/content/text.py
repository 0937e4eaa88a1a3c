"""Content text made safe to print anywhere.

Content is written by many people, so every piece of it passes through :func:`clean`
before it reaches a terminal, markdown, an email header or a web page: no control codes,
no bidirectional overrides, one line.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\r\n]+")


def clean(text: str | None) -> str:
    """One line of content, safe for a terminal, markdown source or an email header."""
    if not text:
        return ""
    return _SPACES.sub(" ", _UNSAFE.sub("", text)).strip()
