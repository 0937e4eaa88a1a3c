"""Commands that publish the directory: site (a static web site) and export (JSON)."""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    ContentOption,
    VerboseOption,
    _content_root,
    _fail,
    _stderr,
    app,
)

_WEB = re.compile(r"^https?://[^\s<>\"']+$")


def _load(content: Path | None, verbose: bool):
    from ..content.validate import load_directory

    root = _content_root(content, verbose)
    loaded = load_directory(root)
    problems = [d for d in loaded.diagnostics if getattr(d, "severity", "error") == "error"]
    if problems:
        _stderr(
            f"Note: the content has {len(problems)} problem(s); files with errors are left "
            "out. Run: improvedir validate"
        )
    return loaded.directory


def _web_address(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not _WEB.match(value):
        _fail(
            f"Error: {option} must be a web address starting with http:// or https://.", EXIT_USAGE
        )
    return value


@app.command()
def site(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the site into.")] = Path(
        "site"
    ),
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Where the site will be published: pages get canonical links and a sitemap.xml is written.",
        ),
    ] = None,
    repo_url: Annotated[
        str | None,
        typer.Option(
            "--repo-url",
            help="The content's repository (https://github.com/OWNER/REPO): each page links to "
            "the file it is made from ('Suggest a change').",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder improvedir did not build (nothing in it is deleted).",
        ),
    ] = False,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Build the directory as a static web site: search, areas with their scripts, tactics,
    organisations, measures and directory.json. Open OUT/index.html in a browser.

    Refuses a non-empty --out it did not build (unless --force); a rebuild removes only
    files an earlier build wrote.
    """
    from ..render.site import Options, SiteError, build_site

    options = Options(
        base_url=_web_address(base_url, "--base-url"),
        repo_url=_web_address(repo_url, "--repo-url"),
    )
    directory = _load(content, verbose)
    try:
        written = build_site(directory, out, options, force=force)
    except SiteError as exc:
        _fail(f"Error: {exc}", EXIT_USAGE)
    except OSError as exc:
        _fail(f"Error: could not write the site: {exc}", EXIT_PROBLEM)
    pages = sum(1 for p in written if p.endswith(".html"))
    _stderr(f"Wrote {pages} pages ({len(written)} files) to {out}. Open {out / 'index.html'}")


class ExportFormat(str, Enum):
    json = "json"


@app.command()
def export(
    format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json (described by directory.schema.json)."),
    ] = ExportFormat.json,
    content: ContentOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Print the whole directory as one JSON document (areas, measures, tactics, exemplars
    with their evidence grades), the same as the site's directory.json."""
    from ..engine.export import directory_document

    directory = _load(content, verbose)
    print(json.dumps(directory_document(directory), ensure_ascii=False, indent=1))
