"""Commands for reading the directory: measures and show (registered on the app)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from . import EXIT_PROBLEM, ContentOption, VerboseOption, _content_root, _fail, app
from .check import _load


class DocFormat(str, Enum):
    """Records and catalogues: for people (text), pasting (markdown) or machines (json)."""

    text = "text"
    markdown = "markdown"
    json = "json"


FormatOption = Annotated[
    DocFormat,
    typer.Option("--format", "-f", help="text for people, markdown to paste, json for machines."),
]


@app.command()
def measures(
    format: FormatOption = DocFormat.text,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """List the national measures a trust is held to, each with its standard, its source and
    the number of tactics behind it.

    These are the numbers behind "How are your numbers?". A measure with fewer than three
    tactics is also listed by `improvedir gaps`. Exit 0, or 1 when the content is invalid.
    """
    from ..engine.coverage import measure_cover
    from ..render.reports import MEASURES_REPORTERS

    directory = _load(content, verbose, "text" if format is DocFormat.markdown else format.value)
    print(MEASURES_REPORTERS[format.value](measure_cover(directory)))


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A tactic id or an exemplar id.")],
    format: FormatOption = DocFormat.text,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Show one tactic or exemplar in full: every organisation with its evidence grade and
    sources, what adopting the tactic takes, and attempts that did not work.

    Exit 0, or 1 for an id the directory does not have (with the nearest id).
    """
    from ..content.fuzzy import did_you_mean
    from ..render.show import SHOW_RENDERERS
    from ..store.cache import open_catalogue

    catalogue = open_catalogue(_content_root(content, verbose))
    tactic = catalogue.tactic(ident)
    if tactic is not None:
        records = (tactic, catalogue.exemplars_for(ident))
    else:
        exemplar = catalogue.exemplar(ident)
        if exemplar is None:
            guess = did_you_mean(ident, catalogue.ids())
            hint = f" Did you mean '{guess}'?" if guess else ""
            _fail(
                f"Error: no tactic or exemplar has the id '{ident}'.{hint} "
                "(`improvedir search WORDS` finds tactics.)",
                EXIT_PROBLEM,
            )
        records = (None, [exemplar])
    print(SHOW_RENDERERS[format.value](*records), end="")
