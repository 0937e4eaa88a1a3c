"""Commands that judge and grow the directory: validate, check, gaps, new (registered on the app)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    ContentOption,
    ListFormat,
    ReportFormat,
    VerboseOption,
    _content_root,
    _fail,
    _stderr,
    app,
)

if TYPE_CHECKING:
    from ..content.model import Directory


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    markdown = "markdown"


class EvidenceGrade(str, Enum):
    strong = "strong"
    moderate = "moderate"
    weak = "weak"
    early = "early"


MinOption = Annotated[
    int,
    typer.Option(
        "--min",
        min=1,
        help="Exemplars, from as many different organisations, that a tactic needs to be covered.",
    ),
]
MaxAgeOption = Annotated[
    int,
    typer.Option(
        "--max-age",
        min=1,
        help="Months after which an exemplar's last_verified date counts as stale.",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the file if it already exists.")
]


def _load(content: Path | None, verbose: bool, fmt: str, warnings: list | None = None) -> Directory:
    """Load and validate; on content errors report them as validate does and exit 1.

    Coverage counted over a half-loaded directory would be wrong in ways nobody could see,
    so invalid content stops here, with the same messages validate gives. Validate's
    warnings (a lapsed consent) are added to ``warnings`` when given, so `check --strict`
    fails on them too.
    """
    from ..content.diagnostics import REPORTERS
    from ..content.validate import load_directory
    from ..render.reports import content_errors_markdown

    loaded = load_directory(_content_root(content, verbose))
    if loaded.ok:
        if warnings is not None:
            warnings.extend(d for d in loaded.diagnostics if d.severity == "warning")
        return loaded.directory
    errors = [d for d in loaded.diagnostics if d.severity == "error"]
    if fmt == "markdown":
        print(content_errors_markdown(loaded.diagnostics))
    else:
        print(REPORTERS[fmt if fmt in REPORTERS else "text"](loaded.diagnostics))
    files = len({d.path for d in errors})
    _fail(
        f"{len(errors)} content {'problem' if len(errors) == 1 else 'problems'} in {files} "
        f"file{'s' if files != 1 else ''}; coverage is judged only on valid content "
        "(see `improvedir validate`).",
        EXIT_PROBLEM,
    )


def _plain(console) -> bool:
    # Box-drawing tables are for people at a terminal; logs and pipes get aligned text.
    return not console.is_terminal or bool(os.environ.get("NO_COLOR"))


@app.command()
def validate(
    content: ContentOption = None,
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", help="text for people, github for PR annotations, json for machines."
        ),
    ] = ReportFormat.text,
    verbose: VerboseOption = False,
) -> None:
    """Check every content file against its schema and the rules across files.

    Reports all problems at once, each as path:line:column: message [rule].
    Exit 0 when valid, 1 when any problem is found, 2 on a usage error.
    """
    from ..content.diagnostics import REPORTERS
    from ..content.validate import load_directory

    root = _content_root(content, verbose)
    loaded = load_directory(root)
    report = REPORTERS[format.value](loaded.diagnostics)
    if report:
        print(report)
    errors = sum(1 for d in loaded.diagnostics if d.severity == "error")
    if errors:
        files = len({d.path for d in loaded.diagnostics})
        noun = "problem" if errors == 1 else "problems"
        _stderr(f"{errors} {noun} in {files} file{'s' if files != 1 else ''}.")
        raise typer.Exit(EXIT_PROBLEM)
    d = loaded.directory
    orgs = f", {len(d.organisations)} organisations" if d.organisations else ""
    _stderr(
        f"All {loaded.files} files are valid: {len(d.areas)} areas, {len(d.measures)} measures, "
        f"{len(d.tactics)} tactics, {len(d.exemplars)} exemplars{orgs}."
    )


@app.command()
def check(
    content: ContentOption = None,
    min: MinOption = 3,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Only tactics in this area id or the areas below it."),
    ] = None,
    max_age: MaxAgeOption = 24,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Fail on warnings too (stale, no contact, weak evidence, empty)."
        ),
    ] = False,
    min_evidence: Annotated[
        EvidenceGrade | None,
        typer.Option(
            "--min-evidence",
            help="Count only exemplars graded at least this well (strong, moderate, weak, "
            "early) toward cover.",
        ),
    ] = None,
    format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people, github for PR annotations, markdown for a PR comment, "
            "json for machines.",
        ),
    ] = CheckFormat.text,
    verbose: VerboseOption = False,
) -> None:
    """Check that every tactic is backed by enough different organisations.

    A tactic is covered when at least --min exemplars from at least --min different
    organisations that made it work name it (with --min-evidence, only exemplars graded at
    least that well count). Warns about exemplars not verified within --max-age months or
    with no consented contact email, contacts whose consent has lapsed (over two years),
    tactics no exemplar names, tactics with no strong or moderate evidence, and areas
    with no tactic.
    Exit 0 when every tactic is covered (and, with --strict, nothing is warned about),
    1 otherwise or when the content is invalid, 2 on a usage error.
    """
    from ..engine import coverage
    from ..render import reports
    from ..render.terminal import out_console

    loaded_warnings: list = []
    directory = _load(content, verbose, format.value, loaded_warnings)
    try:
        result = coverage.check(
            directory,
            min_orgs=min,
            area=area,
            max_age_months=max_age,
            min_evidence=min_evidence.value if min_evidence else None,
        )
    except coverage.UnknownArea as exc:
        _fail(f"Error: --area: {exc}", EXIT_USAGE)
    result.warnings[:0] = [
        coverage.CoverWarning(d.rule, d.path, d.line, d.path, d.message)
        for d in loaded_warnings
        if result.concerns(d.path)
    ]

    if format is CheckFormat.text:
        console = out_console()
        plain = _plain(console)
        for index, block in enumerate(
            reports.check_text(result, plain=plain, list_warnings=verbose or strict)
        ):
            if plain:  # Rich adds nothing to plain text but time on big directories
                console.file.write(("\n" if index else "") + f"{block}\n")
                continue
            if index:
                console.print()
            console.print(block)
    else:
        print(reports.CHECK_REPORTERS[format.value](result))

    if not result.passed(strict):
        if not result.short:
            _stderr(f"--strict: {len(result.warnings)} warnings fail the check.")
        raise typer.Exit(EXIT_PROBLEM)


@app.command()
def gaps(
    content: ContentOption = None,
    min: MinOption = 3,
    max_age: MaxAgeOption = 24,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
    ] = ListFormat.text,
    verbose: VerboseOption = False,
) -> None:
    """List what the directory still needs, area by area: the community's to-do list.

    Tactics ranked by how many more exemplars they need, exemplars whose sources are due
    a re-check, and areas with no tactics yet. A to-do list is not a failure: exit 0
    unless the content is invalid (1) or the command is misused (2).
    """
    from ..engine import coverage
    from ..render import reports

    directory = _load(content, verbose, format.value)
    result = coverage.gaps(directory, min_orgs=min, max_age_months=max_age)
    text = reports.GAPS_REPORTERS[format.value](result)
    print(text)


new_app = typer.Typer(
    help="Start a new tactic or exemplar file from a template with TODOs to fill in.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(new_app, name="new")


def _writable_root(content: Path | None, verbose: bool) -> Path:
    root = _content_root(content, verbose)
    if "_bundled" in root.resolve().parts:
        # The copy inside an installed package is not where contributions belong.
        _fail(
            "Error: no content folder found to add to; run this inside a checkout of the "
            "directory or pass --content DIR",
            EXIT_USAGE,
        )
    return root


def _scaffold(make, force: bool) -> None:
    """Plan the file, write it, print its path; turn refusals into clean CLI errors."""
    from ..content.files import shown_path
    from ..engine import scaffold

    try:
        new = make()
        path = scaffold.write(new, force=force)
    except scaffold.ScaffoldError as exc:
        if exc.path is not None:
            print(shown_path(exc.path))  # the file to open instead
        _fail(f"Error: {exc}", EXIT_USAGE if exc.usage else EXIT_PROBLEM)
    print(shown_path(path))
    _stderr(
        f"Wrote a new {new.kind}. Replace every TODO (an editor with YAML support completes "
        "the fields), then run: improvedir validate"
    )


@new_app.command("tactic")
def new_tactic(
    title: Annotated[str, typer.Argument(help="The tactic's title; its id is made from it.")],
    area: Annotated[
        str, typer.Option("--area", help="Id of the area it helps, from content/areas.yaml.")
    ],
    content: ContentOption = None,
    force: ForceOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Start a new tactic file from a template; print its path.

    Writes content/tactics/<id>.yaml with TODOs to fill in; the id is the title in
    kebab-case. Refuses to replace an existing file (exit 1)
    unless --force, and refuses an unknown area id (exit 1).
    """
    from ..engine import scaffold

    root = _writable_root(content, verbose)
    _scaffold(lambda: scaffold.new_tactic(root, title, area), force)


@new_app.command("exemplar")
def new_exemplar(
    tactic: Annotated[
        str, typer.Option("--tactic", help="Id of the tactic this organisation made work.")
    ],
    org: Annotated[
        str | None, typer.Option("--org", help="The organisation's name as published.")
    ] = None,
    from_conversation: Annotated[
        str | None,
        typer.Option(
            "--from-conversation",
            metavar="TRUST",
            help="Draft it from the result recorded for --tactic in the follow-up with this "
            "trust (instead of --org).",
        ),
    ] = None,
    content: ContentOption = None,
    force: ForceOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Start a new exemplar file from a template; print its path.

    Writes content/exemplars/<id>.yaml with TODOs to fill in; the id is the organisation's
    name (without NHS Trust suffixes) and the tactic id, in kebab-case. Refuses to replace
    an existing file (exit 1) unless --force, and refuses an unknown tactic id (exit 1).

    With --from-conversation TRUST instead of --org, the draft is for that trust, from
    the latest result recorded for the tactic (`followup --tactic ID --result ...`): what
    they said becomes the summary and outcome (or, when it did not work, the lessons),
    marked result: reported (planned while trying). A call is not a source, so validate
    fails on the source placeholder until a public page is added. It never overwrites,
    and exits 1 with the file's path when the trust already has an exemplar for the tactic.
    """
    from ..engine import scaffold

    if (org is None) == (from_conversation is None):
        _fail("Error: give either --org NAME or --from-conversation TRUST.", EXIT_USAGE)
    root = _writable_root(content, verbose)
    if org is not None:
        _scaffold(lambda: scaffold.new_exemplar(root, tactic, org), force)
        return
    if force:
        _fail(
            "Error: --from-conversation never replaces a file; edit the existing one instead.",
            EXIT_USAGE,
        )
    from . import _organisations
    from .log import _find_trust, _read_log

    organisations = _organisations(root)
    trust = _find_trust(_read_log(), from_conversation, organisations)
    _scaffold(
        lambda: scaffold.exemplar_from_conversation(root, trust, tactic, organisations), False
    )
