"""The directory as a static web site (`improvedir site`).

Every page is made from Jinja2 templates with autoescaping on, and every content string
also passes through :func:`~improvedir.content.text.clean` on its way out, so nothing a
contributor writes becomes markup or script. Links are relative, so the site works from
``file://`` and from any sub-path; it loads nothing from outside itself (no CDN, fonts,
analytics or cookies) and all of its content is in the HTML, so it reads the same with
JavaScript off. The search box runs :mod:`improvedir.engine.search` ported to JavaScript
over an index exported from the same :class:`~improvedir.engine.search.Index`.

:func:`build_pages` makes the files in memory; :func:`write_site` writes them under a
folder it marks with a manifest, and never deletes or overwrites what it did not write
(unless forced to write into a folder it did not build, and even then it deletes nothing).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from ...content.model import Directory, Exemplar, Tactic
from ...content.text import clean
from ...engine.browser_index import (
    browser_index,
    english_key,
    english_near,
    english_words,
    front_coded,
)
from ...engine.coverage import uncovered_topics
from ...engine.evidence import GRADES, KIND_LABELS, RESULT_LABELS, counts, evidence_line, grade
from ...engine.export import SCHEMA_NAME, directory_document
from ...engine.orgs import normalise_name, org_key
from ...engine.plan import plan_for
from ...engine.search import Index
from ...store.memo import recall, remember
from .. import script
from .helper import share

MANIFEST = ".improvedir-site.json"
SITE_NAME = "NHS improvement directory"
_URL = re.compile(r"^https?://[^\s<>\"']+$")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_STATIC = ("site.css", "site.js", "search.js", "favicon.svg")


class SiteError(Exception):
    """The site cannot be written where asked (the message says why and what to do)."""


@dataclass
class Options:
    base_url: str | None = None  # https://example.org/improvedir/ -> canonical links, sitemap
    repo_url: str | None = None  # https://github.com/owner/repo -> "Suggest a change" links
    branch: str = "main"


@dataclass
class Built:
    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, path: str, data: str | bytes) -> None:
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data


# --- helpers for templates ---


#: What :func:`~improvedir.content.text.clean` removes: control codes and bidirectional
#: overrides. Template text (", ") keeps its spaces, so only these are taken out here.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _finalize(value: Any) -> Any:
    """Every value a template prints: unsafe characters out (then autoescaped). Every
    unsafe character is unprintable, so the usual printable text skips the expression."""
    if isinstance(value, str) and not value.isprintable() and not hasattr(value, "__html__"):
        return _UNSAFE.sub("", value)
    return value


def weblink(url: str | None) -> str | None:
    """The address when it is an http(s) web address (never javascript: or data:)."""
    url = clean(url)
    return url if _URL.match(url) else None


def mailto(email: str | None) -> str | None:
    email = clean(email)
    return "mailto:" + email if _EMAIL.match(email) else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = resources.files(__package__) / "templates"
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["weblink"] = weblink
    env.filters["mailto"] = mailto
    env.globals.update(
        site_name=SITE_NAME,
        kind_label=lambda k: KIND_LABELS.get(k or "", "source"),
        result_label=lambda r: RESULT_LABELS.get(r or "", "result not classified"),
        labels=script.CONSIDERATION_LABELS,
    )
    return env


# --- what pages show ---

#: What a template shows of a row (an exemplar, an organisation): an object, not a dict,
#: because Jinja looks up ``x.name`` as an attribute first and a dict key only after that
#: lookup has failed, which costs an exception per lookup (a million on a large site).
View = SimpleNamespace


def evidence_key(directory: Directory, tactic: Tactic) -> tuple:
    """Best evidence first: more strong, then more moderate exemplars, then more
    organisations that made it work, then the title."""
    pool = [e for e in directory.exemplars_for(tactic.id) if counts(e)]
    grades = [grade(e) for e in pool]
    return (
        -grades.count("strong"),
        -grades.count("moderate"),
        -len({org_key(e) for e in pool}),
        tactic.title.lower(),
    )


def _grade_counts(exemplars: list[Exemplar]) -> list[tuple[str, int]]:
    grades = [grade(e) for e in exemplars if counts(e)]
    return [(g, grades.count(g)) for g in GRADES if grades.count(g)]


def _area_tactics(directory: Directory, area_id: str) -> list[Tactic]:
    family = directory.area_family(area_id)
    found = [t for t in directory.tactics.values() if family & set(t.areas)]
    return sorted(found, key=lambda t: evidence_key(directory, t))


def _exemplar_view(e: Exemplar) -> View:
    return View(
        e=e,
        anchor="ex-" + slug(e.id),
        org_anchor="org-" + slug(org_key(e)),
        grade=grade(e),
        evidence=evidence_line(e),
        contacts=[c for c in e.contacts if c.name or c.role or c.reachable],
    )


def _organisations(directory: Directory) -> list[View]:
    groups: dict[str, list[Exemplar]] = {}
    for e in directory.exemplars.values():
        groups.setdefault(org_key(e), []).append(e)
    out = []
    for key, items in groups.items():
        names = list(dict.fromkeys(clean(e.organisation.name) for e in items))
        rows = []
        for e in items:
            for tid in dict.fromkeys(e.tactics):
                tactic = directory.tactics.get(tid)
                if tactic is not None:
                    rows.append(View(e=e, tactic=tactic, grade=grade(e), anchor="ex-" + slug(e.id)))
        out.append(
            View(
                anchor="org-" + slug(key),
                name=names[0],
                aliases=names[1:],
                ods=next((e.organisation.ods_code for e in items if e.organisation.ods_code), None),
                rows=rows,
            )
        )
    return sorted(out, key=lambda o: normalise_name(o.name))


def _script_for(directory: Directory, index: Index, area_name: str):
    """The plan `improvedir suggest AREA` makes: the same search (three tactics), the same
    plan; None when the area has nothing to offer."""
    results = index.search(area_name, limit=3)
    if not results.hits:
        return None
    return plan_for(directory, results, tactics=3, exemplars=3)


# --- building ---


class _Pages:
    def __init__(
        self, directory: Directory, index: Index, options: Options, writer: _Writer | None = None
    ):
        self.d = directory
        self.index = index
        self.options = options
        self.env = _environment()
        self.writer = writer  # given: tactic pages are written as soon as they are made
        self.written: set[str] = set()

    def edit_url(self, content_path: str, folder: bool = False) -> str | None:
        repo = (self.options.repo_url or "").rstrip("/")
        if not repo:
            return None
        kind = "tree" if folder else "blob"
        return f"{repo}/{kind}/{self.options.branch}/content/{content_path}"

    def canonical(self, path: str) -> str | None:
        base = self.options.base_url
        if not base:
            return None
        return base.rstrip("/") + "/" + ("" if path == "index.html" else path)

    def render(self, template: str, path: str, **context: Any) -> str:
        depth = len(PurePosixPath(path).parts) - 1
        root = "../" * depth
        return self.env.get_template(template).render(
            root=root,
            canonical=self.canonical(path),
            areas_by_id=self.d.areas,
            measures_by_id=self.d.measures,
            tactics_by_id=self.d.tactics,
            **context,
        )

    def build(self) -> Built:
        """Every file, in the order they have always been listed (the sitemap's order).

        The tactic pages are most of the work on a large directory, and the English words
        the search index needs (:func:`english_near`) most of it on a small one the first
        time; :func:`helper.share` spreads them over two cores. The helper starts on the
        search index and the long English words, this process on the other pages and the
        short English words; then both take tactic pages until none is left."""
        tactics = list(self.d.tactics.values())
        key = english_key(self.index)
        english = recall("english-near", key)  # none the first time: both find a share
        if english is None:
            english_words()  # read once here, not once in each process

        def english_share(edits: tuple[int, ...]) -> list[str]:
            return english_near(self.index, edits) if english is None else []

        (search, long_words), (pages, short_words), tactic_pages = share(
            len(tactics),
            lambda: (browser_index(self.index, english=[]), english_share((2,))),
            lambda: (self.other_pages(), english_share((1,))),
            lambda i: self.tactic_item(tactics[i]),
        )
        if english is None:
            english = sorted(short_words + long_words)
            remember("english-near", key, english)
        search["english"] = front_coded(english)
        front, back, document = pages
        built = Built(dict(front.files))
        for i, tactic in enumerate(tactics):
            built.files[f"tactics/{tactic.id}.html"] = tactic_pages[i]
        if self.writer is not None:
            self.written = {f"tactics/{t.id}.html" for t in tactics}
        built.files.update(back.files)
        for name in _STATIC:
            built.add(
                f"assets/{name}", (resources.files(__package__) / "static" / name).read_bytes()
            )
        built.add(
            "search-index.js",
            "window.IMPROVEDIR_INDEX = "
            + json.dumps(search, ensure_ascii=False, separators=(",", ":"))
            + ";\n",
        )
        built.add("directory.json", document)
        from ...content.resources import schema_dir

        built.add(SCHEMA_NAME, (Path(schema_dir()) / SCHEMA_NAME).read_bytes())
        if self.options.base_url:
            built.add("sitemap.xml", self.sitemap([p for p in built.files if p.endswith(".html")]))
        return built

    def other_pages(self) -> tuple[Built, Built, str]:
        """The pages before the tactics (home, areas with their scripts), those after them
        (organisations, measures), and directory.json."""
        d = self.d
        front, back = Built(), Built()
        areas = list(d.areas.values())
        area_tactics = {a.id: _area_tactics(d, a.id) for a in areas}  # sorted once each
        area_counts = {a_id: len(found) for a_id, found in area_tactics.items()}
        children: dict[str | None, list] = {}
        for a in areas:
            parent = a.parent if a.parent in d.areas else None
            children.setdefault(parent, []).append(a)
        orgs = _organisations(d)
        measure_tactics = {
            m: [t for t in d.tactics.values() if m in t.measures] for m in d.measures
        }
        front.add(
            "index.html",
            self.render(
                "index.html",
                "index.html",
                title="Proven NHS improvement tactics",
                children=children,
                area_counts=area_counts,
                measures=list(d.measures.values()),
                counts={
                    "areas": len(areas),
                    "tactics": len(d.tactics),
                    "exemplars": len(d.exemplars),
                    "organisations": len(orgs),
                },
                edit_url=self.edit_url("areas.yaml"),
                breadcrumbs=[],
            ),
        )
        uncovered = {(a, t) for a, _name, t in uncovered_topics(d, self.index)}
        for area in areas:
            plan = _script_for(d, self.index, area.name)
            text = eml = None
            if plan is not None:
                text = script.render_plain(plan)
                eml = script.render_email(plan)
                front.add(f"areas/{area.id}.eml", eml)
            trail = []
            parent = d.areas.get(area.parent) if area.parent else None
            if parent is not None:
                trail.append((parent.name, f"{parent.id}.html"))
            front.add(
                f"areas/{area.id}.html",
                self.render(
                    "area.html",
                    f"areas/{area.id}.html",
                    title=area.name,
                    area=area,
                    parent=parent,
                    subareas=children.get(area.id, []),
                    area_counts=area_counts,
                    gaps=[t for t in area.topics if (area.id, t) in uncovered],
                    measures=[d.measures[m] for m in area.measures if m in d.measures],
                    tactics=[
                        View(
                            t=t,
                            grades=_grade_counts(d.exemplars_for(t.id)),
                            orgs=len({org_key(e) for e in d.exemplars_for(t.id) if counts(e)}),
                        )
                        for t in area_tactics[area.id]
                    ],
                    script_text=text,
                    command="improvedir suggest " + script.quote_arg(clean(area.name)),
                    eml_name=f"{area.id}.eml" if eml else None,
                    edit_url=self.edit_url("areas.yaml"),
                    breadcrumbs=[("Home", "../index.html"), *trail],
                ),
            )
        back.add(
            "organisations.html",
            self.render(
                "organisations.html",
                "organisations.html",
                title="Organisations",
                organisations=orgs,
                edit_url=self.edit_url("exemplars", folder=True),
                edit_note="the exemplar files it is made from, one per organisation and tactic",
                breadcrumbs=[("Home", "index.html")],
            ),
        )
        back.add(
            "measures.html",
            self.render(
                "measures.html",
                "measures.html",
                title="Measures",
                measures=list(d.measures.values()),
                measure_tactics=measure_tactics,
                edit_url=self.edit_url("measures.yaml"),
                breadcrumbs=[("Home", "index.html")],
            ),
        )
        # compact: json's C encoder writes it; indentation would run in Python
        document = json.dumps(directory_document(d), ensure_ascii=False, separators=(",", ":"))
        return front, back, document + "\n"

    def tactic_item(self, tactic: Tactic) -> bytes:
        """The tactic's page; with a writer, written already and given back empty (what
        the helper sends back is then only which pages it wrote)."""
        data = self.tactic_page(tactic).encode("utf-8")
        if self.writer is None:
            return data
        self.writer.write(f"tactics/{tactic.id}.html", data)
        return b""

    def tactic_page(self, tactic: Tactic) -> str:
        d = self.d
        pool = d.exemplars_for(tactic.id)
        worked = sorted(
            (e for e in pool if counts(e)), key=lambda e: (GRADES.index(grade(e)), e.id)
        )
        first_area = d.areas.get(tactic.areas[0]) if tactic.areas else None
        return self.render(
            "tactic.html",
            f"tactics/{tactic.id}.html",
            title=tactic.title,
            tactic=tactic,
            exemplars=[_exemplar_view(e) for e in worked],
            learned=[_exemplar_view(e) for e in pool if not counts(e)],
            organisations=len({org_key(e) for e in worked}),
            edit_url=self.edit_url(f"tactics/{tactic.id}.yaml"),
            exemplar_edit={e.id: self.edit_url(f"exemplars/{e.id}.yaml") for e in pool},
            breadcrumbs=[("Home", "../index.html")]
            + ([(first_area.name, f"../areas/{first_area.id}.html")] if first_area else []),
        )

    def sitemap(self, pages: list[str]) -> str:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for path in pages:
            lines.append(f"  <url><loc>{xml_escape(self.canonical(path) or '')}</loc></url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"


def build_pages(
    directory: Directory, options: Options | None = None, index: Index | None = None
) -> Built:
    """Every file of the site, by relative path, in memory."""
    return _Pages(directory, index or Index(directory), options or Options()).build()


# --- writing, with the manifest ---


def _inside(out: Path, relative: str) -> Path | None:
    """``out/relative`` when ``relative`` is a plain relative path that stays inside."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or not pure.parts or ".." in pure.parts or "\\" in relative:
        return None
    return out.joinpath(*pure.parts)


def _previous(out: Path) -> list[str] | None:
    """What an earlier build wrote here, or None when the folder is not one of ours."""
    marker = out / MANIFEST
    if not marker.is_file() or marker.is_symlink():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "improvedir":
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return files


def _prepare(out: Path, force: bool) -> list[str] | None:
    """Check ``out`` may be written (see :func:`write_site`) and make it; returns what an
    earlier build wrote there, if one did."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} exists and is not a folder.")
    previous = _previous(out) if out.is_dir() else None
    if out.is_dir() and previous is None and any(out.iterdir()) and not force:
        raise SiteError(
            f"{out} is not empty and was not built by improvedir (no {MANIFEST} in it). "
            "Choose an empty or new folder with --out, or pass --force to write into it "
            "anyway (nothing in it is deleted)."
        )
    out.mkdir(parents=True, exist_ok=True)
    return previous


class _Writer:
    """Writes files under ``out``, never outside it nor through a link planted in it."""

    def __init__(self, out: Path):
        self.out = out
        self.real_out = out.resolve()
        self.inside: set[Path] = set()  # folders made and resolved once, not once a file

    def write(self, relative: str, data: bytes) -> None:
        target = _inside(self.out, relative)
        if target is None:  # an id that is not kebab-case (content not validated)
            raise SiteError(f"refusing to write outside {self.out}: {relative}")
        folder = target.parent
        if folder not in self.inside:
            folder.mkdir(parents=True, exist_ok=True)
            if not folder.resolve().is_relative_to(self.real_out):
                raise SiteError(f"refusing to write through a link: {target}")
            self.inside.add(folder)
        if target.is_symlink():
            raise SiteError(f"refusing to write through a link: {target}")
        target.write_bytes(data)


def _finish(
    built: Built, out: Path, previous: list[str] | None, writer: _Writer, written: set[str]
) -> list[str]:
    """Write the files not ``written`` yet, remove what only an earlier build wrote, and
    write the manifest; returns every path of the site."""
    for relative in sorted(built.files):
        if relative not in written:
            writer.write(relative, built.files[relative])
    for relative in previous or []:
        if relative in built.files or relative == MANIFEST:
            continue
        target = _inside(out, relative)
        if target is None or target.is_symlink() or not target.is_file():
            continue
        if not target.parent.resolve().is_relative_to(writer.real_out):
            continue
        target.unlink()
        parent = target.parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    paths = sorted(built.files)
    from ... import __version__

    manifest = {"generator": "improvedir", "version": __version__, "files": paths}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return paths


def write_site(built: Built, out: Path, force: bool = False) -> list[str]:
    """Write the site under ``out``; returns the paths written.

    ``out`` must be missing, empty, or a folder an earlier build marked with its manifest;
    otherwise :class:`SiteError`, unless ``force`` (then files are written over, and
    nothing is deleted). Files an earlier build wrote and this one does not are removed;
    nothing else ever is.
    """
    out = Path(out)
    previous = _prepare(out, force)
    return _finish(built, out, previous, _Writer(out), set())


def build_site(
    directory: Directory, out: Path, options: Options | None = None, force: bool = False
) -> list[str]:
    """Build and write the site, as :func:`write_site` of :func:`build_pages` would;
    returns the paths written (relative to ``out``).

    ``out`` is checked first, so that each tactic page can be written by the process that
    made it (the helper or this one) while the other is still making pages, instead of
    all of them here at the end (thousands of files on a large directory)."""
    out = Path(out)
    previous = _prepare(out, force)
    writer = _Writer(out)
    pages = _Pages(directory, Index(directory), options or Options(), writer=writer)
    built = pages.build()
    return _finish(built, out, previous, writer, pages.written)


__all__ = ["MANIFEST", "Options", "SiteError", "build_pages", "build_site", "write_site"]
