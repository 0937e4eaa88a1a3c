"""The loader on every input of the public YAML test suite, and on YAML 1.2 scalars."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from improvedir.content.yamlsafe import YamlProblem, parse, parse_bytes

from .conftest import CONSENT

SUITE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "yaml-test-suite" / "cases"
)
CASES = sorted(SUITE.glob("*.yaml")) if SUITE.is_dir() else []


@pytest.mark.skipif(not CASES, reason="shared/testdata/yaml-test-suite is not beside this checkout")
def test_every_suite_input_loads_or_fails_cleanly():
    assert len(CASES) == 402
    loaded = refused = 0
    for case in CASES:
        raw = case.read_bytes()
        try:
            parse_bytes(raw)
            loaded += 1
        except YamlProblem as problem:
            refused += 1
            lines = raw.count(b"\n") + 1
            assert 1 <= problem.line <= lines + 1, case.name
            assert problem.column >= 1 and problem.message and problem.rule, case.name
    assert loaded + refused == 402
    assert loaded > 150 and refused > 150  # both paths really exercised


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("2026-10-01", "2026-10-01"),
        ("~", None),
        ("12", 12),
        ("0x1f", 31),
        ("1.5", 1.5),
        ("0777", 777),
        ("1_000", "1_000"),
        ("9" * 5000, "9" * 5000),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text, value):
    assert parse(f"k: {text}\n").data == {"k": value}


def test_nan_is_a_float():
    assert math.isnan(parse("k: .nan\n").data["k"])


def test_marks_point_at_keys_and_values():
    doc = parse("a:\n  - x\n  - y: 1\n")
    assert doc.where(("a", 1, "y")) == (3, 8)
    assert doc.where(("a", 1, "y"), key=True) == (3, 5)
    assert doc.where(("a", 0)) == (2, 5)


def test_deep_nesting_is_refused():
    with pytest.raises(YamlProblem) as info:
        parse("[" * 100 + "]" * 100)
    assert info.value.rule == "yaml-depth"


def test_fast_schema_path_agrees_with_jsonschema_on_every_mutation():
    """The compiled fast path must never call valid what jsonschema calls invalid."""
    import copy

    from jsonschema import Draft202012Validator

    from improvedir.content.schemacheck import compile_schema, load_schema
    from improvedir.content.validate import load_directory

    content = Path(__file__).resolve().parents[1] / "content"
    docs = {"tactic": [], "exemplar": []}
    for kind, folder in (("tactic", "tactics"), ("exemplar", "exemplars")):
        for path in sorted((content / folder).glob("*.yaml"))[:15]:
            docs[kind].append(parse_bytes(path.read_bytes()).data)
    assert load_directory(content).ok
    checked = 0
    for kind, items in docs.items():
        schema = load_schema(kind)
        fast, slow = compile_schema(schema), Draft202012Validator(schema)
        for item in items:
            variants = [item]
            for key in list(item):
                for replacement in (None, 5, "", [], {}, ["x"], [{"title": "t"}], True):
                    changed = copy.deepcopy(item)
                    changed[key] = replacement
                    variants.append(changed)
                dropped = copy.deepcopy(item)
                del dropped[key]
                variants.append(dropped)
            variants.append({**item, "extra": 1})
            if kind == "exemplar":
                variants.append({**item, "contacts": [{"consent": CONSENT}]})
                variants.append({**item, "organisation": {"name": "X", "ods_code": "lower"}})
            for variant in variants:
                assert fast(variant) == slow.is_valid(variant), variant
                checked += 1
    assert checked > 500
