"""`improvedir site` and `improvedir export`: what the pages hold, the output folder's
rules, directory.json against its schema, escaping, links. Browser tests are in
test_site_browser.py."""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from improvedir.render.site import MANIFEST, Built, Options, SiteError, write_site
from improvedir.render.site import build_pages as build

from .site_support import (
    BASE_URL,
    CONTENT,
    REPO_URL,
    ROOT,
    bundled_directory,
    bundled_site,
    hostile_directory,
    hostile_site,
)

SCHEMA = json.loads((ROOT / "schemas" / "directory.schema.json").read_text(encoding="utf-8"))


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


# --- what is built ---


def test_the_site_has_every_page():
    site = bundled_site()
    d = bundled_directory()
    pages = _pages(site)
    assert {"index.html", "organisations.html", "measures.html"} <= set(pages)
    assert {f"areas/{a}.html" for a in d.areas} <= set(pages)
    assert {f"tactics/{t}.html" for t in d.tactics} <= set(pages)
    for name in ("directory.json", "directory.schema.json", "search-index.js", "sitemap.xml"):
        assert (site / name).is_file(), name
    home = pages["index.html"]
    assert '<input type="search"' in home and 'aria-live="polite"' in home
    for area in d.areas.values():
        assert f'href="areas/{area.id}.html"' in home
    for measure in d.measures.values():
        assert f'href="measures.html#{measure.id}"' in home


def test_directory_json_matches_its_schema_and_export_prints_the_same(cli):
    site = bundled_site()
    document = json.loads((site / "directory.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert json.loads((site / "directory.schema.json").read_text(encoding="utf-8")) == SCHEMA
    d = bundled_directory()
    assert [t["id"] for t in document["tactics"]] == list(d.tactics)
    assert len(document["exemplars"]) == len(d.exemplars)
    result = cli("export", "--format", "json", "--content", str(CONTENT))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == document


def test_export_never_carries_an_email_without_consent(tmp_path):
    from improvedir.engine.export import directory_document

    document = directory_document(hostile_directory())
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    emails = [c["email"] for e in document["exemplars"] for c in e["contacts"] if c["email"]]
    assert emails and "secret@example.org" not in emails


def _script_in(page: str) -> str:
    found = re.search(r'<pre id="script-text"[^>]*>(.*?)</pre>', page, re.S)
    assert found, "no script on the page"
    return html.unescape(found.group(1))


def test_every_area_page_script_is_exactly_what_suggest_prints(cli):
    d = bundled_directory()
    for area in d.areas.values():
        page = (bundled_site() / "areas" / f"{area.id}.html").read_text(encoding="utf-8")
        result = cli("suggest", area.name, "--content", str(CONTENT))
        if result.exit_code == 1:  # nothing to offer: the page says so
            assert 'id="script-text"' not in page
            continue
        assert result.exit_code == 0, result.stderr
        assert _script_in(page) == result.stdout, area.id
        eml = (bundled_site() / "areas" / f"{area.id}.eml").read_bytes()
        message = email.message_from_bytes(eml, policy=email.policy.default)
        assert message["Subject"].strip() == result.stdout.splitlines()[0]
        assert message.get_content().strip() in result.stdout


def test_area_lists_measures_and_tactics_best_evidence_first():
    from improvedir.render.site import evidence_key

    d = bundled_directory()
    page = (bundled_site() / "areas" / "endoscopy.html").read_text(encoding="utf-8")
    listed = re.findall(r'href="\.\./tactics/([a-z0-9-]+)\.html"', page)
    assert listed and listed == sorted(listed, key=lambda t: evidence_key(d, d.tactics[t]))
    for measure in d.areas["endoscopy"].measures:
        assert f'href="../measures.html#{measure}"' in page


def test_area_page_names_the_topics_it_has_no_tactic_on_yet():
    page = (bundled_site() / "areas" / "patient-safety.html").read_text(encoding="utf-8")
    assert "No tactic here yet on:" in page and "PSIRF" in page
    # a topic a tactic covers is not listed: the maternity incentive scheme is in the
    # Saving Babies' Lives tactic
    maternity = (bundled_site() / "areas" / "maternity.html").read_text(encoding="utf-8")
    gaps = re.search(r"No tactic here yet on: ([^<]*)", maternity).group(1)
    assert "induction of labour" in gaps and "maternity incentive scheme" not in gaps


def test_tactic_page_shows_every_exemplar_with_grade_and_sources():
    from improvedir.engine.evidence import evidence_line

    d = bundled_directory()
    tactic = d.tactics["endoscopy-insourced-weekend-lists"]
    page = html.unescape(
        (bundled_site() / "tactics" / f"{tactic.id}.html").read_text(encoding="utf-8")
    )
    for e in d.exemplars_for(tactic.id):
        assert e.organisation.name in page
        assert evidence_line(e).split(": ", 1)[1] in page
        for source in e.sources:
            assert f'href="{source.url}"' in page
    for step in tactic.steps:
        assert step in page
    assert f"{REPO_URL}/blob/main/content/tactics/{tactic.id}.yaml" in page
    assert f'<link rel="canonical" href="{BASE_URL}tactics/{tactic.id}.html">' in page


def test_what_others_learned_and_contacts_without_consent(tmp_path):
    built = build(hostile_directory())
    page = built.files["tactics/evil-tactic.html"].decode()
    learned = page.split('id="learned"', 1)[1]
    assert "Org 4" in learned and "Org 4" not in page.split('id="learned"', 1)[0]
    assert "secret@example.org" not in page  # no consent, never shown
    assert "Pat &lt;script&gt;" in page  # named as the source names them


def test_every_local_link_resolves_and_is_relative():
    site = bundled_site()
    for name, page in _pages(site).items():
        for attr, target in re.findall(r'(href|src)="([^"]*)"', page):
            target = html.unescape(target)
            if target.startswith(("https://", "http://", "mailto:")):
                assert not target.startswith(BASE_URL) or 'rel="canonical"' in page, target
                continue
            assert not target.startswith("/"), f"{name}: absolute link {target}"
            path = unquote(urlsplit(target).path)
            if not path:
                continue
            resolved = (site / name).parent / path
            assert resolved.resolve().is_file(), f"{name}: {attr}={target} is missing"


def test_sitemap_lists_every_page_under_the_base_url():
    site = bundled_site()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert len(locs) == len(_pages(site))
    assert all(loc.startswith(BASE_URL) for loc in locs)


def test_without_base_or_repo_url_no_canonical_sitemap_or_edit_links():
    built = build(hostile_directory(), Options())
    assert "sitemap.xml" not in built.files
    page = built.files["tactics/evil-tactic.html"].decode()
    assert 'rel="canonical"' not in page and "Suggest a change" not in page


# --- safety ---


def test_hostile_content_is_escaped_everywhere():
    site = hostile_site()
    pages = _pages(site)
    assert pages
    for name, page in pages.items():
        body = page.split("<body>", 1)[1]
        assert "<script>window" not in body, name
        assert "<img" not in body, name
        assert "onerror=" not in body.replace("onerror=&#34;", ""), name
        assert "javascript:" not in re.sub(r">[^<]*<", "><", body), name  # only as text
        assert 'href="javascript' not in body and 'href="data:' not in body, name
        assert "\u202e" not in page and "\u202c" not in page, name
        assert "{{ 7*7 }}" in html.unescape(body) or name != "tactics/evil-tactic.html"
        assert re.findall(r"<script[^>]*>", page) == [
            s
            for s in re.findall(r"<script[^>]*>", page)
            if re.fullmatch(r'<script src="[^"]+" defer>', s)
        ], name
    index = (site / "search-index.js").read_text(encoding="utf-8")
    assert "\u202e" not in index.split('"tactics"', 1)[1]
    eml = (site / "areas" / "hostile.eml").read_bytes()
    assert b"\xe2\x80\xae" not in eml  # no right-to-left override in the email either


def test_an_id_that_would_leave_the_folder_is_refused(tmp_path):
    d = hostile_directory()
    tactic = d.tactics.pop("evil-tactic")
    from dataclasses import replace

    d.tactics["../../escape"] = replace(tactic, id="../../escape")
    with pytest.raises(SiteError):
        write_site(build(d), tmp_path / "out")
    assert not (tmp_path / "escape.html").exists()


# --- the output folder ---


def test_refuses_a_folder_it_did_not_build_unless_forced(tmp_path, cli):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    content = str(CONTENT)
    result = cli("site", "--out", str(out), "--content", content)
    assert result.exit_code == 2
    assert "not built by improvedir" in result.stderr and "--force" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    result = cli("site", "--out", str(out), "--content", content, "--force")
    assert result.exit_code == 0, result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "index.html").is_file() and (out / MANIFEST).is_file()


def test_rebuild_removes_only_what_it_wrote(tmp_path):
    out = tmp_path / "site"
    first = Built({"index.html": b"1", "tactics/old.html": b"old", "tactics/kept.html": b"k"})
    write_site(first, out)
    (out / "tactics" / "mine.html").write_text("not ours", encoding="utf-8")
    (out / "extra.txt").write_text("not ours", encoding="utf-8")
    write_site(Built({"index.html": b"2", "tactics/kept.html": b"k2"}), out)
    assert not (out / "tactics" / "old.html").exists()
    assert (out / "tactics" / "mine.html").read_text(encoding="utf-8") == "not ours"
    assert (out / "extra.txt").exists()
    assert (out / "index.html").read_bytes() == b"2"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"] == ["index.html", "tactics/kept.html"]


def test_a_forged_manifest_cannot_delete_outside(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text(
        json.dumps({"generator": "improvedir", "files": ["../victim.txt", str(victim)]}),
        encoding="utf-8",
    )
    write_site(Built({"index.html": b"x"}), out)
    assert victim.read_text(encoding="utf-8") == "precious"


def test_default_out_is_site_in_the_working_folder(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("site", "--content", str(CONTENT))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    # /site/, not site/: that would also ignore src/improvedir/render/site/
    assert "/site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_bad_base_url_is_a_usage_error(cli, tmp_path):
    result = cli("site", "--out", str(tmp_path / "s"), "--base-url", "javascript:x")
    assert result.exit_code == 2


# --- suggest links to the published pages ---


def test_suggest_links_each_tactic_to_its_page_when_the_site_url_is_set(cli, content, monkeypatch):
    monkeypatch.setenv("IMPROVEDIR_SITE_URL", "https://example.org/dir/")
    page = "https://example.org/dir/tactics/weekend-lists.html"
    for fmt in ("text", "markdown", "email"):
        result = cli("suggest", "endoscopy", "--content", str(content), "--format", fmt)
        assert result.exit_code == 0
        assert f"Full evidence: {page}" in result.stdout.replace("\\", ""), fmt
    result = cli("suggest", "endoscopy", "--content", str(content), "--format", "json")
    tactics = json.loads(result.stdout)["tactics"]
    assert {t["id"]: t["page"] for t in tactics}["weekend-lists"] == page
    monkeypatch.delenv("IMPROVEDIR_SITE_URL")
    result = cli("suggest", "endoscopy", "--content", str(content), "--format", "json")
    assert "page" not in json.loads(result.stdout)["tactics"][0]
    assert "Full evidence" not in cli("suggest", "endoscopy", "--content", str(content)).stdout


def test_every_page_links_to_its_source_and_forbids_outside_loads():
    for name, page in _pages(bundled_site()).items():
        edit = re.search(r'<a href="([^"]+)">Suggest a change to this page</a>', page)
        assert edit and edit.group(1).startswith(f"{REPO_URL}/"), name
        assert "content/" in edit.group(1), name
        assert "Content-Security-Policy\" content=\"default-src 'self'" in page, name
        # nothing is loaded from anywhere but the site itself
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page):
            target = re.search(r'(?:src|href)="([^"]+)"', tag)
            assert target, tag
            assert not re.match(r"(https?:)?//", target.group(1)) or 'rel="canonical"' in tag, tag


def test_never_writes_through_a_link_planted_in_the_folder(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "site"
    write_site(Built({"index.html": b"1"}), out)
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(victim)
    with pytest.raises(SiteError):
        write_site(Built({"index.html": b"2"}), out)
    assert victim.read_text(encoding="utf-8") == "precious"


def test_text_a_template_prints_skips_cleaning_only_when_nothing_is_unsafe():
    """_finalize leaves printable text alone: every character it would take out is
    unprintable, so printable text never holds one."""
    from improvedir.render.site import _UNSAFE

    unsafe = [chr(c) for c in range(0x110000) if _UNSAFE.match(chr(c))]
    assert unsafe and not any(c.isprintable() for c in unsafe)
