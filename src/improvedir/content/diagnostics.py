"""Problems found in content, as data, and the reporters that print them.

Every check produces the same small record so that text for people, GitHub annotations for
pull requests and JSON for machines all say the same thing, sorted the same way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    rule: str
    message: str
    severity: str = "error"

    def as_text(self) -> str:
        level = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.column}: {level}{self.message} [{self.rule}]"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.column, d.rule)


def _github_escape(text: str, *, prop: bool = False) -> str:
    # GitHub's workflow-command encoding: % CR LF always; also : and , inside properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_text(diags: list[Diagnostic]) -> str:
    return "\n".join(d.as_text() for d in diags)


def render_github(diags: list[Diagnostic]) -> str:
    out = []
    for d in diags:
        level = "error" if d.severity == "error" else "warning"
        out.append(
            f"::{level} file={_github_escape(d.path, prop=True)},line={d.line},col={d.column},"
            f"title={_github_escape(d.rule, prop=True)}::{_github_escape(d.message)}"
        )
    return "\n".join(out)


def render_json(diags: list[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diags], indent=2, ensure_ascii=False)


REPORTERS = {"text": render_text, "github": render_github, "json": render_json}
