"""improvedir: a directory of proven NHS improvement tactics and the tools around it.

The library is usable without the command line: ``validate.load_directory`` gives a
checked :class:`~improvedir.model.Directory`; the other modules search, check and render it.
"""

# The single source of the version (pyproject reads it), kept as a literal so that
# `improvedir --version` and every command avoid importlib.metadata's start-up cost.
__version__ = "0.1.0"
