"""Printing search results and scripts for people: Rich on a terminal, plain text in a pipe."""

from __future__ import annotations

import re

from . import script
from .terminal import out_console, stdout_is_terminal


def print_search_table(results, counts: dict[str, int]) -> None:
    if not stdout_is_terminal():  # Rich is imported only when it will draw something
        for hit in results.hits:
            print(
                f"{hit.tactic.id}\t{script.clean(hit.tactic.title)}\t"
                f"{','.join(hit.tactic.areas)}\t{counts[hit.tactic.id]} exemplars"
            )
        return
    from rich.table import Table
    from rich.text import Text

    console = out_console()
    table = Table(title=f"Tactics for '{script.clean(results.query)}'", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("tactic")
    table.add_column("areas")
    table.add_column("exemplars", justify="right")
    for number, hit in enumerate(results.hits, 1):
        title = Text(script.clean(hit.tactic.title), style="bold")
        title.append("\n" + hit.tactic.id, style="dim")
        table.add_row(str(number), title, ", ".join(hit.tactic.areas), str(counts[hit.tactic.id]))
    console.print(table)
    console.print(Text("Next: improvedir suggest " + script.quote_arg(results.query), style="dim"))


_SOURCE = re.compile(r"^(\s*)(Source: .*) - (https?://\S+)$")


def print_script(plan, follow_up: bool) -> None:
    """The script itself; on a terminal headings are bold and wrapped lines keep their indent.

    Source addresses get a line of their own, never wrapped, and are clickable where the
    terminal supports links, so they can be opened or copied whole.
    """
    if not stdout_is_terminal():
        print(script.render_plain(plan, follow_up), end="")
        return
    from rich.padding import Padding
    from rich.style import Style
    from rich.text import Text

    console = out_console()
    sections = (
        script.render_follow_up_sections(plan) if follow_up else script.render_text_sections(plan)
    )
    console.print(Text(script.title_line(plan, follow_up), style="bold underline"))
    console.print()
    for heading, lines in sections:
        console.print(Text(heading, style="bold cyan"))
        for line in lines:
            source = _SOURCE.match(line)
            if source:
                indent, label, url = source.groups()
                console.print(Padding(Text(label), (0, 0, 0, len(indent))))
                link = Text(
                    url, style=Style(link=url, underline=True), no_wrap=True, overflow="ignore"
                )
                console.print(Padding(link, (0, 0, 0, len(indent) + 2)), crop=False)
                continue
            body = line.lstrip(" ")
            console.print(Padding(Text(body), (0, 0, 0, len(line) - len(body))))
        console.print()
