"""The README's CLI reference, generated from the commands' own --help so the two cannot drift."""

from __future__ import annotations

import re
import shlex

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def cli_reference() -> str:
    """Markdown: `sendgraph --help` and every command's --help, in command order."""
    import click

    from sendgraph.cli import main

    # Built by hand, a Context does not apply the group's context_settings; pass the same help
    # option names so the text does not depend on which Context first asked for the help option.
    settings = {**main.context_settings, "terminal_width": 100, "max_content_width": 100}
    ctx = click.Context(main, info_name="sendgraph", **settings)
    parts = ["```text", "$ sendgraph --help", main.get_help(ctx).rstrip(), "```"]
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        sub = click.Context(command, info_name=name, parent=ctx, **settings)
        parts += ["", f"### sendgraph {name}", "", "```text", f"$ sendgraph {name} --help", command.get_help(sub).rstrip(), "```"]
    return "\n".join(parts) + "\n"


def replace_reference(readme: str, reference: str) -> str:
    """README text with the CLI reference block replaced."""
    return replace_block(readme, START, END, reference)


EXAMPLES_START = "<!-- examples:start -->"
EXAMPLES_END = "<!-- examples:end -->"
# The commands shown in the README with their real output on the bundled data/.
EXAMPLE_COMMANDS = [
    ["query", "area-inspections", "-p", "area=Middlesbrough", "-f", "csv"],
    ["query", "repeat-inspectors", "-f", "csv"],
    ["query", "shared-icb", "-f", "csv"],
    ["query", "weakness-themes", "-f", "csv"],
    ["history", "Hartlepool", "-f", "csv"],
    ["search", "annual reviews", "--limit", "2"],
]


def examples(graph_path) -> str:
    """Markdown: each example command and what it prints for the graph at graph_path."""
    from click.testing import CliRunner

    from sendgraph.cli import main

    runner = CliRunner(env={"COLUMNS": "100"})  # tables as wide as the reference, whatever terminal runs this
    parts = []
    for args in EXAMPLE_COMMANDS:
        result = runner.invoke(main, [*args, "-g", str(graph_path)], catch_exceptions=False)
        shown = shlex.join(args)  # as a shell reads it: "annual reviews" is one argument
        parts += [f"```text\n$ sendgraph {shown}\n{result.output.rstrip()}\n```", ""]
    return "\n".join(parts)


def replace_block(readme: str, start: str, end: str, body: str) -> str:
    """README text with the block between two markers replaced by body."""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    return pattern.sub(lambda _m: f"{start}\n{body}{end}", readme)
