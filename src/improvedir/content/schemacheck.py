"""Checking a parsed file against its JSON schema, fast when valid, friendly when not.

jsonschema is thorough but slow to import and run, and its messages are written for
programmers ("'title' is a required property"). Nearly every file a contributor or CI
checks is valid, so the schema is compiled once into small Python predicates that answer
"valid?" quickly; only a file that fails is handed to jsonschema, whose errors are turned
into located, plain-words messages. The compiler accepts only the keywords our schemas use
and refuses any other, so the two can never silently disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .fuzzy import did_you_mean
from .resources import schema_dir

Predicate = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "title", "description", "$defs", "$comment", "examples"}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


class UnsupportedSchema(ValueError):
    """The schema uses a keyword the fast path does not implement."""


_OBJECT_KEYS = {"type", "properties", "required", "additionalProperties"}
_ARRAY_KEYS = {"type", "items", "minItems"}
_STRING_KEYS = {"type", "minLength", "pattern", "enum"}


def compile_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Predicate:
    """Turn a schema (our subset of draft 2020-12) into one predicate."""
    root = root if root is not None else schema
    keys = schema.keys() - _IGNORED
    kind = schema.get("type")
    if kind == "object" and keys <= _OBJECT_KEYS and schema.get("additionalProperties") is False:
        return _object(schema, root)
    if kind == "array" and keys <= _ARRAY_KEYS:
        return _array(schema, root)
    if kind == "string" and keys <= _STRING_KEYS:
        return _string(schema)
    return _generic(schema, root)


# The three shapes every content file is made of, as flat loops: the common, valid case
# runs here thousands of times per command, so it avoids nested generator calls.


def _object(schema: dict[str, Any], root: dict[str, Any]) -> Predicate:
    props = {k: compile_schema(v, root) for k, v in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return False
        for key in required:
            if key not in v:
                return False
        for key, item in v.items():
            prop = props.get(key) if isinstance(key, str) else None
            if prop is None or not prop(item):
                return False
        return True

    return check


def _array(schema: dict[str, Any], root: dict[str, Any]) -> Predicate:
    item = compile_schema(schema["items"], root) if "items" in schema else None
    least = schema.get("minItems", 0)

    def check(v: Any) -> bool:
        if not isinstance(v, list) or len(v) < least:
            return False
        if item is not None:
            for x in v:
                if not item(x):
                    return False
        return True

    return check


def _string(schema: dict[str, Any]) -> Predicate:
    least = schema.get("minLength", 0)
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None
    allowed = frozenset(schema["enum"]) if "enum" in schema else None

    def check(v: Any) -> bool:
        if not isinstance(v, str) or len(v) < least:
            return False
        if allowed is not None and v not in allowed:
            return False
        return search is None or search(v) is not None

    return check


def _generic(schema: dict[str, Any], root: dict[str, Any]) -> Predicate:
    checks: list[Predicate] = []
    for keyword, value in schema.items():
        if keyword in _IGNORED:
            continue
        if keyword == "type":
            checks.append(_TYPES[value])
        elif keyword == "$ref":
            if not value.startswith("#/$defs/"):
                raise UnsupportedSchema(f"$ref {value}")
            checks.append(_lazy_ref(root, value.split("/")[-1]))
        elif keyword == "properties":
            props = {k: compile_schema(v, root) for k, v in value.items()}

            def check_props(v: Any, props: dict[str, Predicate] = props) -> bool:
                if not isinstance(v, dict):
                    return True
                return all(props[k](v[k]) for k in props.keys() & v.keys())

            checks.append(check_props)
        elif keyword == "required":
            needed = tuple(value)
            checks.append(lambda v, n=needed: not isinstance(v, dict) or all(k in v for k in n))
        elif keyword == "additionalProperties":
            if value is not False:
                raise UnsupportedSchema("additionalProperties other than false")
            allowed = frozenset(schema.get("properties", {}))
            checks.append(lambda v, a=allowed: not isinstance(v, dict) or v.keys() <= a)
        elif keyword == "items":
            item = compile_schema(value, root)
            checks.append(lambda v, i=item: not isinstance(v, list) or all(map(i, v)))
        elif keyword == "minItems":
            checks.append(lambda v, n=value: not isinstance(v, list) or len(v) >= n)
        elif keyword == "minLength":
            checks.append(lambda v, n=value: not isinstance(v, str) or len(v) >= n)
        elif keyword == "pattern":
            search = re.compile(value).search
            checks.append(lambda v, s=search: not isinstance(v, str) or s(v) is not None)
        elif keyword == "enum":
            checks.append(lambda v, a=tuple(value): v in a)
        elif keyword == "anyOf":
            options = [compile_schema(s, root) for s in value]
            checks.append(lambda v, o=options: any(p(v) for p in o))
        else:
            raise UnsupportedSchema(keyword)
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


def _lazy_ref(root: dict[str, Any], name: str) -> Predicate:
    compiled: list[Predicate] = []

    def check(v: Any) -> bool:
        if not compiled:
            compiled.append(compile_schema(root["$defs"][name], root))
        return compiled[0](v)

    return check


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where (a path into the data), what rule, what to say."""

    path: tuple[Any, ...]
    rule: str
    message: str
    at_key: bool = False


def field_name(path: tuple[Any, ...]) -> str:
    """``('contacts', 0, 'name')`` -> ``contacts[0].name``: how a contributor reads it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "the file"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "empty"
    return "a number"


_WANT = {
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
}


class SchemaCheck:
    """One schema, compiled for speed, explained by jsonschema on failure."""

    def __init__(self, name: str):
        self.name = name
        self.schema = load_schema(name)
        self.is_valid = compile_schema(self.schema)

    def problems(self, data: Any) -> list[SchemaProblem]:
        if self.is_valid(data):
            return []
        from jsonschema import Draft202012Validator  # only failures pay for the import

        validator = Draft202012Validator(self.schema)
        found: list[SchemaProblem] = []
        for error in validator.iter_errors(data):
            found.extend(self._explain(error))
        if not found:  # the fast path and jsonschema disagree: say so rather than pass
            found.append(SchemaProblem((), "schema", "does not match its schema"))
        return sorted(set(found), key=lambda p: (p.rule, str(p.path), p.message))

    def _explain(self, error: Any) -> list[SchemaProblem]:
        path = tuple(error.absolute_path)
        name = field_name(path)
        kind = error.validator
        schema = error.schema
        instance = error.instance
        if kind == "required":
            props = schema.get("properties", {})
            out = []
            for key in error.validator_value:
                if isinstance(instance, dict) and key not in instance:
                    hint = props.get(key, {}).get("description", "")
                    where = f" in {name}" if path else ""
                    message = f"missing required field '{key}'{where}"
                    if hint:
                        message += f": {hint}"
                    out.append(SchemaProblem(path, "schema-required", message))
            return out
        if kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            out = []
            for key in instance:
                if key not in schema.get("properties", {}):
                    message = f"unknown field '{key}'"
                    if path:
                        message += f" in {name}"
                    guess = did_you_mean(str(key), allowed)
                    message += (
                        f" (did you mean '{guess}'?)"
                        if guess
                        else f"; allowed fields: {', '.join(allowed)}"
                    )
                    out.append(SchemaProblem(path + (key,), "schema-unknown-field", message, True))
            return out
        if kind == "type":
            want = _WANT.get(error.validator_value, error.validator_value)
            message = f"{name} should be {want}, not {_kind(instance)}"
            if error.validator_value == "string" and isinstance(instance, (int, float, bool)):
                message += " (put it in quotes to keep it as text)"
            return [SchemaProblem(path, "schema-type", message)]
        if kind == "pattern":
            last = path[-1] if path else ""
            rule = _PATTERN_RULES.get(last, "id-invalid")
            return [SchemaProblem(path, rule, _pattern_message(name, instance, path))]
        if kind == "minItems":
            n = error.validator_value
            noun = "item" if n == 1 else "items"
            return [SchemaProblem(path, "schema-min-items", f"{name} needs at least {n} {noun}")]
        if kind == "enum":
            choices = [str(c) for c in error.validator_value]
            guess = did_you_mean(str(instance), choices)
            message = f"{name} must be one of {', '.join(choices)}, not {instance!r}"
            if guess:
                message += f" (did you mean '{guess}'?)"
            return [SchemaProblem(path, "schema-enum", message)]
        if kind == "minLength":
            return [SchemaProblem(path, "schema-empty", f"{name} must not be empty")]
        if kind == "anyOf" and path and path[0] == "contacts":
            return [
                SchemaProblem(path, "schema-contact", f"{name} needs a name or a role (or both)")
            ]
        return [SchemaProblem(path, f"schema-{kind}", f"{name}: {error.message}")]


_PATTERN_RULES = {
    "url": "url-scheme",
    "last_verified": "date-invalid",
    "given": "date-invalid",
    "ods_code": "ods-code",
}


def _pattern_message(name: str, value: str, path: tuple[Any, ...]) -> str:
    last = path[-1] if path else ""
    parent = path[-2] if len(path) > 1 else ""
    if last == "url":
        return f"{name} must be a web address starting with http:// or https://, not {value!r}"
    if last in ("last_verified", "given"):
        return f"{name} must be a date written YYYY-MM-DD, not {value!r}"
    if last == "ods_code":
        return f"{name} must be an ODS code of 3 to 5 capital letters or digits, not {value!r}"
    if last == "id" or parent in ("areas", "tactics") or last == "parent":
        suggestion = slugify(value)
        hint = f", e.g. '{suggestion}'" if suggestion else ""
        return f"{name} {value!r} is not a valid id: use lower-case letters, digits and single hyphens{hint}"
    return f"{name} {value!r} does not have the expected form"


def slugify(text: str) -> str:
    """Kebab-case id from free text: what a contributor most likely meant."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema named ``name`` (areas, tactic, exemplar), as shipped."""
    path = Path(schema_dir()) / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def checker(name: str) -> SchemaCheck:
    return SchemaCheck(name)
