"""The README's CLI reference is exactly what the commands print for --help (regenerate: python tools/update_readme.py)."""

from support.paths import ROOT
from sendgraph.clidoc import END, START, cli_reference


def test_cli_reference_matches_help():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(START, 1)[1].split(END, 1)[0]
    assert block.strip() == cli_reference().strip(), "README CLI reference is stale: run python tools/update_readme.py"


def test_quick_start_is_the_two_make_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in quick.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make demo", "make test"]


def test_examples_are_the_real_output_on_data():
    import importlib.util

    from sendgraph.clidoc import EXAMPLES_END, EXAMPLES_START

    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "tools" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(EXAMPLES_START, 1)[1].split(EXAMPLES_END, 1)[0]
    assert block.strip() == module.example_block().strip(), "README examples are stale: run python tools/update_readme.py"


def test_cli_reference_does_not_depend_on_what_ran_before():
    # Regression: a hand-made Context did not apply the group's help option names, so the reference
    # showed "-h, --help" or "--help" depending on which test had asked for --help first.
    import subprocess
    import sys

    from click.testing import CliRunner

    from sendgraph.cli import main

    before = cli_reference()
    assert CliRunner().invoke(main, ["build", "-h"]).exit_code == 0
    assert cli_reference() == before
    fresh = subprocess.run(
        [sys.executable, "-c", "from sendgraph.clidoc import cli_reference; print(cli_reference(), end='')"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert fresh == before
    assert "-h, --help" in before


def test_example_command_lines_can_be_copied_into_a_shell():
    """Regression: `$ sendgraph search annual reviews --limit 2` was shown for the one argument
    "annual reviews"; pasted into a shell it is two words and the command refuses the second."""
    import shlex

    from sendgraph.clidoc import EXAMPLE_COMMANDS, EXAMPLES_END, EXAMPLES_START

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(EXAMPLES_START, 1)[1].split(EXAMPLES_END, 1)[0]
    shown = [shlex.split(line[2:])[1:] for line in block.splitlines() if line.startswith("$ sendgraph ")]
    assert shown == EXAMPLE_COMMANDS
