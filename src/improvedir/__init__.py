"""improvedir: a directory of proven NHS improvement tactics and the tools around it.

The library is usable without the command line: ``load_directory`` gives a validated
:class:`~improvedir.model.Directory`; the other modules search, check and render it.
"""

from __future__ import annotations

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("improvedir")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"
