"""The sendgraph command line: each command opens its inputs, calls one library function and formats the result.

Exit codes: 0 ok; 1 some inputs failed or findings/violations were reported; 2 usage error or nothing usable.
"""

from __future__ import annotations

import json
import sys

import click

from .errors import SendgraphError


class Exit:
    OK = 0
    FAILURES = 1
    USAGE = 2


def _fail(exc: SendgraphError, code: int = Exit.USAGE):
    error = click.ClickException(str(exc))
    error.exit_code = code
    raise error


class _Group(click.Group):
    """Turns the project's errors into one-line messages and exit codes; no traceback unless --debug."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SendgraphError as exc:
            _fail(exc, getattr(exc, "exit_code", Exit.USAGE))
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # an unexpected failure: one line, the traceback only with --debug
            if (ctx.obj or {}).get("debug") or "--debug" in sys.argv:
                raise
            error = click.ClickException(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            error.exit_code = Exit.USAGE
            raise error from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sendgraph")
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.pass_context
def main(ctx, debug):
    """Turn England's local-area SEND inspection reports into a knowledge graph."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the records as a JSON array (the default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Files read in parallel.")
def extract(paths, as_json, output, jobs):
    """Read SEND documents (PDF or text files, or folders) into structured records.

    Prints one JSON record per document. A file that cannot be read gets one line on standard
    error and the others are still extracted; the exit status is then 1.
    """
    from .extract import extract_paths
    from .io import write_text_atomic

    result = extract_paths(paths, jobs=jobs)
    for error in result.errors:
        click.echo(f"error: {error}", err=True)
    text = json.dumps(result.records, indent=2, ensure_ascii=False) + "\n"
    if output:
        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)
    if result.errors:
        sys.exit(Exit.USAGE if not result.records else Exit.FAILURES)


if __name__ == "__main__":  # pragma: no cover
    main()
