"""Commands for performance managers: suggest and search (registered on the app)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from . import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    ContentOption,
    ListFormat,
    ScriptFormat,
    VerboseOption,
    _content_root,
    _fail,
    _organisations,
    _stderr,
    app,
)

MAX_QUERY = 1000

AreaOption = Annotated[
    str | None,
    typer.Option("--area", help="Only tactics in this area (or an area below it), by id."),
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Read the content files afresh instead of using the cache."),
]


def _open(content: Path | None, verbose: bool, no_cache: bool):
    from ..store.cache import open_catalogue

    root = _content_root(content, verbose)
    catalogue = open_catalogue(root, use_cache=not no_cache)
    if verbose:
        _stderr(
            f"Directory {catalogue.source} from {'the cache' if catalogue.source == 'cache' else 'the files'}."
        )
    if catalogue.problems:
        _stderr(
            f"Note: the content has {catalogue.problems} problem(s); files with errors are left "
            "out. Run: improvedir validate"
        )
    return catalogue


def _check_area(catalogue, area: str | None) -> None:
    if area and area not in catalogue.areas:
        from ..content.fuzzy import did_you_mean

        guess = did_you_mean(area, catalogue.areas)
        hint = f" (did you mean '{guess}'?)" if guess else ""
        _fail(
            f"Error: unknown area '{area}'{hint}. Areas: {', '.join(catalogue.areas)}", EXIT_USAGE
        )


def _search(catalogue, query: str, limit: int, area: str | None):
    from ..engine.search import suggestion_for

    if len(query) > MAX_QUERY:
        _fail(f"Error: the query is too long ({MAX_QUERY:,} characters at most).", EXIT_USAGE)
    if not query.strip():
        _fail("Error: the query is empty; try for example: endoscopy, DM01, A&E, PIFU", EXIT_USAGE)
    results = catalogue.index.search(query, limit=limit, area=area)
    for typed, used in results.corrections.items():
        _stderr(f"Showing results for '{used}' (you typed '{typed}').")
    if not results.hits:
        message = f"No tactics match '{query}'"
        if area:
            message += f" in area '{area}'"
        guess = suggestion_for(results, catalogue.index)
        message += f". Did you mean '{guess}'?" if guess else "."
        near = [catalogue.areas[a].name for a in results.near if a in catalogue.areas]
        if results.topics:
            message += f" The directory has no tactic on {' or '.join(results.topics)} yet."
        if near:
            message += f" It may be near: {', '.join(near)}."
        message += (
            " If the directory should cover it: `improvedir gaps` lists what is missing, and "
            '`improvedir new tactic "TITLE" --area ID` starts a tactic.'
        )
        return results, message
    return results, None


def _resolve_trust(typed: str, organisations) -> str:
    """The trust's full name when organisations.yaml knows the name typed, else as typed.

    A short name ("ELHT") or the start of a name resolves; two or more candidates stop
    the command (exit 1) rather than personalise a script for the wrong trust. A likely
    typo is pointed out but never silently replaced: the trust may simply not be listed.
    """
    from ..engine.orgs import normalise_name, resolve_organisation

    if not organisations or not typed.strip():
        return typed
    found = resolve_organisation(typed, organisations, typos=False)
    if len(found) > 1:
        listed = "\n".join(f"  {org.name}" for org in found)
        _fail(
            f"Error: --trust '{typed}' could be more than one organisation:\n{listed}\n"
            "Give more of the name.",
            EXIT_PROBLEM,
        )
    if found:
        if normalise_name(typed) != normalise_name(found[0].name):
            _stderr(f"Trust: {found[0].name} (you typed '{typed}').")
        return found[0].name
    guesses = resolve_organisation(typed, organisations)
    if len(guesses) == 1:
        _stderr(
            f"Note: '{typed}' is not in organisations.yaml; did you mean '{guesses[0].name}'? "
            "Using the name as typed."
        )
    return typed


@app.command()
def suggest(
    query: Annotated[
        str,
        typer.Argument(
            help="The area or problem the call is about, e.g. endoscopy, DM01, handover."
        ),
    ],
    trust: Annotated[
        str | None,
        typer.Option("--trust", help="The trust you are calling, to personalise the script."),
    ] = None,
    tactics: Annotated[
        int, typer.Option("--tactics", min=1, max=10, help="How many tactics to offer.")
    ] = 3,
    exemplars: Annotated[
        int, typer.Option("--exemplars", min=1, max=10, help="Organisations to name per tactic.")
    ] = 3,
    area: AreaOption = None,
    format: Annotated[
        ScriptFormat,
        typer.Option("--format", "-f", help="text, markdown, email (RFC 5322) or json."),
    ] = ScriptFormat.text,
    follow_up: Annotated[
        bool, typer.Option("--follow-up", help="The script for the next call, a few weeks later.")
    ] = False,
    to: Annotated[
        str | None, typer.Option("--to", help="With --format email: the To address.")
    ] = None,
    record: Annotated[
        bool,
        typer.Option(
            "--record", help="Remember what was offered (needs --trust), for `improvedir followup`."
        ),
    ] = False,
    content: ContentOption = None,
    verbose: VerboseOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Print a ready-to-send script for a performance conversation.

    It opens by asking how the numbers are, offers the best tactics ("Have you thought
    about ...?") and, for each, organisations that made it work and how to reach them.
    Exit 0 with a script, 1 when nothing matches the query.
    """
    from ..engine.plan import plan_for
    from ..render import script

    if record and not trust:
        _fail(
            "Error: --record needs --trust, so the follow-up can find the conversation.", EXIT_USAGE
        )
    catalogue = _open(content, verbose, no_cache)
    _check_area(catalogue, area)
    organisations = _organisations(catalogue.root) if trust else []
    if trust:
        trust = _resolve_trust(trust, organisations)
    results, no_match = _search(catalogue, query, tactics, area)
    if no_match:
        if format is ScriptFormat.json:
            # a machine reader gets the script's shape with no tactics, not empty output
            print(script.render_json(plan_for(catalogue, results, trust=trust), follow_up))
        _fail(no_match, EXIT_PROBLEM)
    plan = plan_for(
        catalogue,
        results,
        tactics=tactics,
        exemplars=exemplars,
        trust=trust,
        organisations=organisations,
    )
    plan.recorded = record
    if format is ScriptFormat.json:
        print(script.render_json(plan, follow_up))
    elif format is ScriptFormat.markdown:
        print(script.render_markdown(plan, follow_up), end="")
    elif format is ScriptFormat.email:
        print(script.render_email(plan, follow_up, to=to), end="")
    else:
        from ..render.search_list import print_script

        print_script(plan, follow_up)
    if record:
        from ..store.convlog import LogError, record_offer

        try:
            path = record_offer(plan)
        except LogError as exc:
            _fail(f"Error: could not record the conversation: {exc}", EXIT_PROBLEM)
        _stderr(f"Recorded the conversation with {plan.trust} in {path}.")


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(
            help="What you are looking for: an area, a measure (DM01), an idea, an organisation."
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=500, help="How many tactics at most.")
    ] = 10,
    area: AreaOption = None,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
    ] = ListFormat.text,
    content: ContentOption = None,
    verbose: VerboseOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Rank tactics for a query: area names and synonyms, measure codes, abbreviations, typos.

    Exit 0 with results, 1 when nothing matches (the message says so on stderr).
    """
    catalogue = _open(content, verbose, no_cache)
    _check_area(catalogue, area)
    results, no_match = _search(catalogue, query, limit, area)
    counts = {h.tactic.id: len(catalogue.exemplars_for(h.tactic.id)) for h in results.hits}
    if format is ListFormat.json:
        rows = [
            {
                "id": h.tactic.id,
                "title": h.tactic.title,
                "areas": list(h.tactic.areas),
                "score": h.score,
                "exemplars": counts[h.tactic.id],
            }
            for h in results.hits
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    if no_match:
        _fail(no_match, EXIT_PROBLEM)
    if format is ListFormat.text:
        from ..render.search_list import print_search_table

        print_search_table(results, counts)
