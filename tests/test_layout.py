"""The package tree shows the data's journey, and imports only ever point down it.

A newcomer should be able to tell from the folders where a change belongs: content files
become a checked Directory (content), questions are asked of it (engine), what is kept
between runs (store), how answers look (render), and the commands on top (cli). If a lower
stage imported a higher one, that promise would quietly break; this test keeps it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "improvedir"
STAGES = ["content", "engine", "store", "render", "cli"]


def _imported_stages(path: Path) -> set[str]:
    stage = path.relative_to(PACKAGE).parts[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            # Resolve the relative import to a path inside the package.
            parts = [stage] if stage in STAGES else []
            parts = parts[: max(0, len(parts) - (node.level - 1))]
            target = parts + (node.module.split(".") if node.module else [])
            names = [a.name for a in node.names]
            first = target[0] if target else None
            if first in STAGES:
                found.add(first)
            elif first is None:
                found.update(n for n in names if n in STAGES)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("improvedir."):
            found.add(node.module.split(".")[1])
    return found & set(STAGES)


def test_the_top_of_the_package_holds_only_its_face():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "launch.py"]
    assert sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()) == sorted(
        STAGES
    )


def test_no_module_imports_from_a_stage_above_its_own():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in STAGES:
            continue
        level = STAGES.index(parts[0])
        for imported in _imported_stages(path):
            if STAGES.index(imported) > level:
                wrong.append(f"{'/'.join(parts)} imports {imported}")
    assert wrong == []
