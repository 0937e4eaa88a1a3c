"""The one YAML loader every command uses.

PyYAML's own loaders are unsafe for a contributor-edited directory in several quiet ways:
they keep the last of two duplicate keys, expand alias bombs, read ``yes``/``no`` as
booleans and ``2026-10-01`` as a date object, and forget where each value stood. This
module drives libyaml's event parser directly and builds plain Python values itself, so it
can refuse what a content file never needs (tags, aliases, several documents) and remember
the line and column of every key and value for error messages.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Deeper than any content file needs; keeps later recursive walks safe.
MAX_DEPTH = 64

Path = tuple[Any, ...]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


class YamlProblem(Exception):
    """A file that cannot be read as content, with the 1-based place to look."""

    def __init__(self, message: str, line: int = 1, column: int = 1, rule: str = "yaml-syntax"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.rule = rule


class Located:
    """Parsed data plus where each value (and each mapping key) began in the file.

    Positions are only needed when something is wrong, so a file parsed on the fast path
    keeps its text and works them out on first use.
    """

    __slots__ = ("data", "_text", "_marks", "_key_marks")

    def __init__(
        self,
        data: Any,
        marks: dict[Path, tuple[int, int]] | None = None,
        key_marks: dict[Path, tuple[int, int]] | None = None,
        text: str | None = None,
    ):
        self.data = data
        self._text = text
        self._marks = marks
        self._key_marks = key_marks

    @property
    def text(self) -> str | None:
        return self._text

    def _locate(self) -> None:
        marked = _parse_marked(self._text or "")
        self._marks, self._key_marks = marked._marks, marked._key_marks

    @property
    def marks(self) -> dict[Path, tuple[int, int]]:
        if self._marks is None:
            self._locate()
        return self._marks  # type: ignore[return-value]

    @property
    def key_marks(self) -> dict[Path, tuple[int, int]]:
        if self._key_marks is None:
            self._locate()
        return self._key_marks  # type: ignore[return-value]

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The closest recorded place for ``path``: the value, its key, or an ancestor."""
        path = tuple(path)
        if key and path in self.key_marks:
            return self.key_marks[path]
        marks = self.marks
        while True:
            if path in marks:
                return marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema, except that dates and yes/no/on/off stay text."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        try:
            if _INT10.match(text):
                return int(text)
            if _INT8.match(text):
                return int(text[2:], 8)
            if _INT16.match(text):
                return int(text[2:], 16)
        except ValueError:  # more digits than Python will convert
            return text
        if _FLOAT.match(text):
            return float(text)
        if _INF.match(text):
            return -math.inf if text[0] == "-" else math.inf
        if _NAN.match(text):
            return math.nan
    return text


def _mark(m: Any) -> tuple[int, int]:
    return (m.line + 1, m.column + 1)


def _position_to_mark(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return (line, index - start + 1)


def _explain(exc: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = _mark(mark) if mark else (1, 1)
        problem = exc.problem or "not valid YAML"
        message = problem
        if exc.context:
            message = f"{exc.context}: {problem}"
        if "tab" in problem or "'\\t'" in problem:
            message += " (YAML indentation must use spaces, not tabs)"
            return YamlProblem(message, line, col, "yaml-tab")
        return YamlProblem(message, line, col, "yaml-syntax")
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        line, col = _position_to_mark(text, position)
        reason = getattr(exc, "reason", "") or "unreadable character"
        character = getattr(exc, "character", None)
        if isinstance(character, int):
            character = chr(character)
        if isinstance(character, str) and len(character) == 1:
            reason = f"character U+{ord(character):04X} is not allowed ({reason})"
        return YamlProblem(reason, line, col, "text-control-char")
    return YamlProblem(str(exc).splitlines()[0] if str(exc) else "not valid YAML")


class _Frame:
    __slots__ = ("container", "path", "key", "depth")

    def __init__(self, container: Any, path: Path, depth: int):
        self.container = container
        self.path = path
        self.key: Any = _NOKEY
        self.depth = depth


_NOKEY = object()


def parse(text: str) -> Located:
    """Parse one YAML document into plain values, or raise :class:`YamlProblem`.

    The common case (a valid file) takes a fast path that records no positions; any
    problem is re-parsed on the careful path, which says exactly where it is.
    """
    try:
        return Located(_parse_fast(text), text=text)
    except YamlProblem:
        return _parse_marked(text)  # raises the located problem


_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_DOCUMENT_START = yaml.DocumentStartEvent
_STREAM_END = yaml.StreamEndEvent


def _parse_fast(text: str) -> Any:
    """The same rules as :func:`_parse_marked`, without positions: raises a bare problem."""
    loader = _Loader(text)
    get = loader.get_event
    containers: list[Any] = []
    keys: list[Any] = []
    root: Any = _NOKEY
    documents = 0
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is _SCALAR:
                if event.tag is not None:
                    raise YamlProblem("tag")
                value = event.value if event.style else resolve_plain(event.value)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.tag is not None or len(containers) >= MAX_DEPTH:
                    raise YamlProblem("tag or depth")
                if containers and keys[-1] is _NOKEY and type(containers[-1]) is dict:
                    raise YamlProblem("complex key")
                containers.append({} if kind is _MAPPING_START else [])
                keys.append(_NOKEY)
                continue
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                value = containers.pop()
                keys.pop()
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise YamlProblem("documents")
                continue
            elif kind is _STREAM_END:
                break
            elif kind is yaml.AliasEvent:
                raise YamlProblem("alias")
            else:
                continue
            if not containers:
                root = value
                continue
            container = containers[-1]
            if type(container) is list:
                container.append(value)
            elif keys[-1] is _NOKEY:
                if value in container:
                    raise YamlProblem("duplicate")
                keys[-1] = value
            else:
                container[keys[-1]] = value
                keys[-1] = _NOKEY
    except yaml.YAMLError as exc:
        raise _explain(exc, text) from None
    finally:
        loader.dispose()
    if root is _NOKEY:
        raise YamlProblem("the file is empty", rule="yaml-empty")
    return root


def _parse_marked(text: str) -> Located:
    result = Located(None, {}, {}, text)
    marks = result._marks
    key_marks = result._key_marks
    assert marks is not None and key_marks is not None
    stack: list[_Frame] = []
    documents = 0
    root_set = False

    def child_path(frame: _Frame) -> Path:
        if frame.key is _NOKEY:
            return frame.path + (len(frame.container),)
        return frame.path + (frame.key,)

    def attach(value: Any, mark: tuple[int, int], is_scalar: bool) -> None:
        nonlocal root_set
        if not stack:
            result.data = value
            root_set = True
            marks[()] = mark
            return
        frame = stack[-1]
        container = frame.container
        if isinstance(container, list):
            container.append(value)
            return
        if frame.key is _NOKEY:
            if not is_scalar:
                raise YamlProblem(
                    "a mapping key must be plain text, not a list or mapping",
                    *mark,
                    rule="yaml-key-type",
                )
            if value in container:
                first = key_marks.get(frame.path + (value,), mark)
                raise YamlProblem(
                    f"duplicate key {value!r} (first given at line {first[0]}); "
                    "YAML would silently keep only the last one",
                    *mark,
                    rule="yaml-duplicate-key",
                )
            frame.key = value
            key_marks[frame.path + (value,)] = mark
            return
        container[frame.key] = value
        frame.key = _NOKEY

    events = yaml.parse(text, Loader=_Loader)
    try:
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                mark = _mark(event.start_mark)
                _refuse_tag(event, mark)
                value = resolve_plain(event.value) if event.style in (None, "") else event.value
                if stack:
                    frame = stack[-1]
                    if frame.key is not _NOKEY:
                        marks[frame.path + (frame.key,)] = mark
                    elif isinstance(frame.container, list):
                        marks[frame.path + (len(frame.container),)] = mark
                attach(value, mark, True)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = _mark(event.start_mark)
                _refuse_tag(event, mark)
                depth = stack[-1].depth + 1 if stack else 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(
                        f"nested more than {MAX_DEPTH} levels deep", *mark, rule="yaml-depth"
                    )
                if stack and stack[-1].key is _NOKEY and isinstance(stack[-1].container, dict):
                    raise YamlProblem(
                        "a mapping key must be plain text, not a list or mapping",
                        *mark,
                        rule="yaml-key-type",
                    )
                path = child_path(stack[-1]) if stack else ()
                marks[path] = mark
                container: Any = {} if kind is yaml.MappingStartEvent else []
                stack.append(_Frame(container, path, depth))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                attach(frame.container, marks[frame.path], False)
            elif kind is yaml.AliasEvent:
                raise YamlProblem(
                    f"aliases (*{event.anchor}) are not allowed in content files; "
                    "write the value out in full",
                    *_mark(event.start_mark),
                    rule="yaml-alias",
                )
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "a content file holds one YAML document; remove the second '---'",
                        *_mark(event.start_mark),
                        rule="yaml-multi-doc",
                    )
    except yaml.YAMLError as exc:
        raise _explain(exc, text) from None
    except RecursionError:  # pragma: no cover - libyaml is iterative; belt and braces
        raise YamlProblem("nested too deeply", rule="yaml-depth") from None
    finally:
        events.close()
    if not root_set:
        raise YamlProblem("the file is empty", rule="yaml-empty")
    return result


def _refuse_tag(event: Any, mark: tuple[int, int]) -> None:
    tag = event.tag
    if tag is not None:
        raise YamlProblem(
            f"YAML tags such as '{tag.replace('tag:yaml.org,2002:', '!!')}' are not allowed in content files; "
            "remove the tag and write the plain value",
            *mark,
            rule="yaml-tag",
        )


def parse_bytes(raw: bytes) -> Located:
    """Decode strictly as UTF-8 (a BOM is allowed), then :func:`parse`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _position_to_mark(head, len(head))
        raise YamlProblem(
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            line,
            col,
            rule="yaml-encoding",
        ) from None
    if "\x00" in text:
        line, col = _position_to_mark(text, text.index("\x00"))
        raise YamlProblem("the file contains a NUL byte", line, col, rule="text-control-char")
    return parse(text)
