"""The site is built on two cores (render/site/helper.py) and comes out the same as on one."""

from __future__ import annotations

import os

import pytest

from improvedir.render.site import build_pages, helper

from .site_support import bundled_directory

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


@needs_fork
def test_shared_work_gives_every_item_once_whichever_process_made_it(monkeypatch):
    monkeypatch.setattr(helper, "can_share", lambda: True)
    parent = os.getpid()
    first, mine, items = helper.share(
        500,
        lambda: ("helper", os.getpid() != parent),
        lambda: "mine",
        lambda i: f"{i}:{os.getpid()}".encode(),
    )
    assert first == ("helper", True)  # made in the forked helper
    assert mine == "mine"
    assert sorted(items) == list(range(500))
    assert all(value.startswith(f"{i}:".encode()) for i, value in items.items())


@needs_fork
def test_what_a_failed_helper_should_have_made_is_made_here(monkeypatch):
    monkeypatch.setattr(helper, "can_share", lambda: True)
    parent = os.getpid()

    def fails_in_the_helper() -> str:
        if os.getpid() != parent:
            raise RuntimeError("the helper breaks")
        return "made here"

    def item(i: int) -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("the helper breaks")
        return bytes([i])

    first, _, items = helper.share(40, fails_in_the_helper, lambda: None, item)
    assert first == "made here"
    assert items == {i: bytes([i]) for i in range(40)}


def test_no_helper_without_fork_or_a_second_core(monkeypatch):
    monkeypatch.setattr(helper, "can_share", lambda: False)
    first, mine, items = helper.share(3, lambda: 1, lambda: 2, lambda i: b"x" * i)
    assert (first, mine, items) == (1, 2, {0: b"", 1: b"x", 2: b"xx"})


@needs_fork
def test_the_site_is_the_same_built_on_one_core_or_two(monkeypatch):
    directory = bundled_directory()
    monkeypatch.setattr(helper, "can_share", lambda: False)
    alone = build_pages(directory)
    monkeypatch.setattr(helper, "can_share", lambda: True)
    shared = build_pages(directory)
    assert list(shared.files) == list(alone.files)  # same order: the sitemap follows it
    assert shared.files == alone.files


@needs_fork
def test_everything_is_made_here_when_no_helper_can_be_forked(monkeypatch):
    monkeypatch.setattr(helper, "can_share", lambda: True)

    def no_fork() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    first, mine, items = helper.share(3, lambda: 1, lambda: 2, lambda i: b"x" * i)
    assert (first, mine, items) == (1, 2, {0: b"", 1: b"x", 2: b"xx"})
