"""The README's CLI reference, generated from the commands' own --help so the two cannot drift."""

from __future__ import annotations

import re

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def cli_reference() -> str:
    """Markdown: `sendgraph --help` and every command's --help, in command order."""
    import click

    from .cli import main

    ctx = click.Context(main, info_name="sendgraph", terminal_width=100, max_content_width=100)
    parts = ["```text", "$ sendgraph --help", main.get_help(ctx).rstrip(), "```"]
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        sub = click.Context(command, info_name=name, parent=ctx, terminal_width=100, max_content_width=100)
        parts += ["", f"### sendgraph {name}", "", "```text", f"$ sendgraph {name} --help", command.get_help(sub).rstrip(), "```"]
    return "\n".join(parts) + "\n"


def replace_reference(readme: str, reference: str) -> str:
    """README text with the block between the markers replaced by reference."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    return pattern.sub(lambda _m: f"{START}\n{reference}{END}", readme)
