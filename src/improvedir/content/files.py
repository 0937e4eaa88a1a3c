"""Finding and reading content files without trusting them.

A content folder arrives through pull requests from many people, so reading refuses what
could escape the folder (symlinks pointing outside it), exhaust memory (huge files) or
mislead (files that are not UTF-8) before any YAML is parsed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .layout import KINDS, MEASURES_FILE, SUFFIXES
from .yamlsafe import Located, YamlProblem, parse_bytes

MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ContentFile:
    """One file to load: its kind (areas, tactics, exemplars), place and display name."""

    kind: str
    path: Path
    shown: str

    @property
    def stem(self) -> str:
        return self.path.name.rsplit(".", 1)[0]


def shown_path(path: Path) -> str:
    """Relative to the working folder when inside it (what editors and CI annotations want)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def discover(root: Path) -> list[ContentFile]:
    """areas.yaml (whether or not it exists), measures.yaml (if it exists) and every YAML file
    in tactics/ and exemplars/."""
    found = [ContentFile("areas", root / "areas.yaml", shown_path(root / "areas.yaml"))]
    measures = root / MEASURES_FILE
    if os.path.lexists(measures):
        found.append(ContentFile("measures", measures, shown_path(measures)))
    for kind in KINDS:
        folder = root / kind
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        prefix = shown_path(folder)
        for entry in entries:
            if entry.name.endswith(SUFFIXES) and not entry.name.startswith("."):
                found.append(ContentFile(kind, Path(entry.path), os.path.join(prefix, entry.name)))
    return found


def read(file: ContentFile, root: Path) -> Located:
    """Parse one file, or raise :class:`YamlProblem` saying why it cannot be content."""
    path = file.path
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve()
            try:
                target.relative_to(root.resolve())
            except ValueError:
                raise YamlProblem(
                    "this file is a symlink to a place outside the content folder; "
                    "content must live inside the folder",
                    rule="file-symlink",
                ) from None
            info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise YamlProblem("this is not a regular file", rule="file-unreadable")
        if info.st_size > MAX_BYTES:
            raise YamlProblem(
                f"the file is {info.st_size:,} bytes; content files may be at most {MAX_BYTES:,} bytes",
                rule="file-too-large",
            )
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise YamlProblem(
            f"cannot read the file: {exc.strerror or exc}", rule="file-unreadable"
        ) from None
    if len(raw) > MAX_BYTES:  # grew while we looked
        raise YamlProblem(
            f"the file is over {MAX_BYTES:,} bytes; content files may be at most {MAX_BYTES:,} bytes",
            rule="file-too-large",
        )
    return parse_bytes(raw)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file in the same folder and a rename,
    keeping an existing file's permissions: readers see the old file or the new, never
    half, and a failure leaves no temporary file behind."""
    with replacing(path, prefix=f".{path.name}.") as (fd, tmp):
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, os.stat(path).st_mode & 0o777)


@contextmanager
def replacing(path: Path, prefix: str) -> Iterator[tuple[int, str]]:
    """A new temporary file beside ``path`` (its open descriptor and its name) that is
    renamed over ``path`` when the block ends, and removed if the block fails: whoever
    writes through it never leaves half a file or a stray temporary one."""
    import tempfile  # only writers pay for it

    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        yield fd, tmp
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
