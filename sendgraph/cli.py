"""The sendgraph command line: each command opens its inputs, calls one library function and formats the result.

Exit codes: 0 ok; 1 some inputs failed or findings/violations were reported; 2 usage error or nothing usable.
"""

from __future__ import annotations

import errno
import json
import os
import sys

import click

from sendgraph.errors import SendgraphError, UsageError, printable


class Exit:
    OK = 0
    FAILURES = 1
    USAGE = 2
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it

#: What an interrupted run leaves, said in its one line unless the command knows better (ctx.obj["state"]).
_UNTOUCHED = "every output is written whole or not at all, so none was left half-written"


def _fail(exc: SendgraphError, code: int = Exit.USAGE):
    error = click.ClickException(printable(str(exc)))  # one line, whatever a file name or server put in it
    error.exit_code = code
    raise error


class _Group(click.Group):
    """Turns the project's errors into one-line messages and exit codes; no traceback unless --debug."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SendgraphError as exc:
            _fail(exc, exc.exit_code)
        except KeyboardInterrupt:
            state = (ctx.obj or {}).get("state") or _UNTOUCHED
            error = click.ClickException(f"interrupted: {state}")
            error.exit_code = Exit.INTERRUPTED
            raise error from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.ENOSPC):  # standard output closed or full: `run` says so
                raise
            _internal(ctx, exc)
        except Exception as exc:  # an unexpected failure: one line, the traceback only with --debug
            _internal(ctx, exc)


def _internal(ctx, exc: Exception):
    if (ctx.obj or {}).get("debug") or "--debug" in sys.argv:
        raise exc
    error = click.ClickException(printable(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"))
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


def _limit_options(command):
    """--memory-limit and --time-limit: each file is read in a worker process under them."""
    command = click.option("--time-limit", type=click.FloatRange(0), default=None, metavar="SECONDS",
                           help="Time allowed to read one file; a file over it gets one line and the others go on "
                                "(0: no limit).  [default: SENDGRAPH_TIME_LIMIT or 60]")(command)
    return click.option("--memory-limit", type=click.IntRange(0), default=None, metavar="MiB",
                        help="Memory allowed to read one file (each file is read in a worker process); a file over "
                             "it gets one line and the others go on (0: no limit).  [default: "
                             "SENDGRAPH_MEMORY_LIMIT_MB or 2048]")(command)


def _limits(memory_limit, time_limit):
    from sendgraph.read.guard import Limits

    return Limits.from_environment(memory_limit, time_limit)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the records as a JSON array (the default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Files read in parallel.")
@_limit_options
def extract(paths, as_json, output, jobs, memory_limit, time_limit):
    """Read SEND documents (PDF or text files, or folders) into structured records.

    Prints one JSON record per document. A file that cannot be read gets one line on standard
    error and the others are still extracted; the exit status is then 1.
    """
    from sendgraph.read.extract import extract_paths
    from sendgraph.io import write_text_atomic

    debug = (click.get_current_context().obj or {}).get("debug")
    result = extract_paths(paths, jobs=jobs, limits=_limits(memory_limit, time_limit))
    for error in result.errors:
        click.echo(printable(f"error: {error}"), err=True)
        if debug and getattr(error, "detail", None):
            click.echo(error.detail.rstrip("\n"), err=True)
    if not result.records:  # nothing usable: no output at all, and an existing output file is left as it was
        sys.exit(Exit.USAGE)
    text = json.dumps(result.records, indent=2, ensure_ascii=False) + "\n"
    if output:
        try:
            write_text_atomic(output, text)
        except OSError as exc:
            click.echo(printable(f"error: {output}: cannot be written ({exc.strerror or exc})"), err=True)
            sys.exit(Exit.USAGE)
    else:
        click.echo(text, nl=False)
    if result.errors:
        sys.exit(Exit.FAILURES)


# --- graph commands: build, validate, export, query -------------------------------------

_GRAPH_OPTION = click.option(
    "-g", "--graph", "graph_file", type=click.Path(dir_okay=False), default="sendgraph.ttl", show_default=True,
    help="The built graph to read (Turtle, TriG, N-Quads, N-Triples or JSON-LD, by suffix).",
)
_OUTPUT_OPTION = click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")


def _emit(text: str, output, fmt: str | None = None) -> None:
    """Write text to the output file (atomically) or print it; a CSV file starts with the UTF-8
    byte-order mark, so that spreadsheets read its accents right (standard output gets none)."""
    from sendgraph.formats import with_bom
    from sendgraph.io import write_text_atomic

    if output and output != "-":
        try:
            write_text_atomic(output, with_bom(text) if fmt == "csv" else text)
        except OSError as exc:
            _fail(SendgraphError(f"{output}: cannot be written ({exc.strerror or exc})"))
    else:
        click.echo(text, nl=False)


class _BuildProgress:
    """A build's progress on standard error: every step with --verbose, else a bar while reading on a terminal."""

    def __init__(self, verbose: bool, state: dict | None = None):
        self.verbose = verbose
        self.bar = None
        self.state = state if state is not None else {}
        self.pushed = 0

    def __call__(self, event: str, detail: str) -> None:
        # What an interruption now would leave (said by the one line of Ctrl-C).
        if event == "committing":
            self.state["state"] = ("the store is as it was before this run or as it is after it "
                                   "(its update is one transaction)")
        elif event == "pushed":
            self.pushed += 1
            self.state["state"] = (f"{self.pushed} graphs pushed to the server before the interruption, each whole; "
                                   "run the build again to finish")
        if self.verbose:
            click.echo(printable(f"{event} {detail}".rstrip()), err=True)  # a name cannot forge a log line
        elif event == "files" and sys.stderr.isatty():
            self.bar = click.progressbar(length=int(detail), label="Reading documents", file=sys.stderr)
            self.bar.__enter__()
        elif event in ("extracted", "cached") and self.bar is not None:
            self.bar.update(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The graph file to write; its suffix picks the format (.ttl, .trig, .nq, .nt, .jsonld); - for "
                   "standard output.  [default: sendgraph.ttl with --store memory, else none]")
@click.option("--store", "store", default="memory", show_default=True, metavar="memory|DIR|URL",
              help="Where the graph goes: memory (the file only), DIR (an embedded store, updated incrementally) "
                   "or the URL of a SPARQL endpoint (pushed).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Files read in parallel.  [default: the number of processors when there are 8 files or more "
                   "to read, else 1]")
@click.option("--add", "add", is_flag=True,
              help="With --store DIR: add the documents of PATHS, or replace those of the same files, and keep "
                   "the store's other documents.")
@click.option("-v", "--verbose", is_flag=True, help="Say each step (file read, graph stored) on standard error.")
@_limit_options
def build(paths, output, store, jobs, add, verbose, memory_limit, time_limit):
    """Extract SEND documents (default: data/), link them and write the knowledge graph.

    A file that cannot be read gets one line on standard error and the graph is built from the
    others; the exit status is then 1. A summary ends the run.

    With --store DIR the graph is kept in an embedded store: a document whose file has not changed
    is not extracted again, a changed one's graph is replaced and a removed one's dropped, and the
    run says how many graphs it added, replaced, kept and dropped. With --store URL the graph is
    pushed to that server (credentials from SENDGRAPH_USER/SENDGRAPH_PASSWORD or ~/.netrc).

    --store DIR --add PATH... adds newly published documents to a store without passing every
    folder again: the store's other documents are kept (their records come from the store's cache)
    and the summary says how many files it kept.
    """
    if store == "memory" or store.startswith(("http://", "https://")):  # every file is read: start reading now
        from sendgraph.read.extract import start_workers

        start_workers(paths or ("data",), jobs)
    from sendgraph.graph.files import format_of, serialise
    from sendgraph.stores.incremental import build as build_documents
    from sendgraph.stores.target import parse_store_option

    from sendgraph.io import output_target

    option = parse_store_option(store)
    if add and option.kind != "disk":
        raise click.UsageError("--add needs --store DIR (an embedded store)")
    if add and not paths:
        raise click.UsageError("--add needs the files or folders to add")
    output = output or ("sendgraph.ttl" if option.kind == "memory" else None)
    fmt = format_of(output) if output and output != "-" else "turtle"  # an unknown suffix is refused before any work
    if output and output != "-":
        output_target(output)  # a device, FIFO or socket is refused before any work
    state = click.get_current_context().ensure_object(dict)
    if option.kind != "memory":
        state["state"] = "the store is unchanged (nothing was stored before the interruption)"
    with _BuildProgress(verbose, state) as progress:
        result = build_documents(paths or ("data",), option, jobs=jobs, progress=progress, add=add,
                                 limits=_limits(memory_limit, time_limit))
    left = [f"the store holds this run's documents ({result.sync_line() or 'updated'})"] if option.kind != "memory" else []
    state["state"] = "; ".join(left + ([f"{output} was not written"] if output and output != "-" else []))
    for error in result.errors:
        click.echo(printable(f"error: {error}"), err=True)
    if result.dataset is None:
        click.echo("error: no documents could be read: nothing to build", err=True)
        sys.exit(Exit.USAGE)
    to_stdout = output == "-"
    if output:
        _emit(serialise(result.dataset, fmt), output)
    if result.sync_line():
        click.echo(printable(result.sync_line()), err=to_stdout)
    summary = result.summary.as_text()
    click.echo(printable(f"{'Wrote ' + output + ':' if output and not to_stdout else 'Built'} {summary}"), err=to_stdout)
    if result.errors:
        sys.exit(Exit.FAILURES)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@_GRAPH_OPTION
@_OUTPUT_OPTION
def validate(file, graph_file, output):
    """Check a built graph against the SHACL shapes (exit 0 conforms, 1 violations, 2 unreadable)."""
    from sendgraph.graph.files import load_graph
    from sendgraph.graph.validate import validate as shacl_validate

    conforms, report = shacl_validate(load_graph(file or graph_file))
    _emit(report.rstrip("\n") + "\n", output)
    if not conforms:
        sys.exit(Exit.FAILURES)


@main.command()
@click.option("-f", "--format", "fmt",
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf", "csv", "xlsx"]),
              help="turtle|trig|nquads|ntriples|jsonld (RDF), graphml|gexf (for Gephi), csv (one row per inspection), "
                   "xlsx (an Excel workbook).  [default: from the suffix of -o]")
@_GRAPH_OPTION
@_OUTPUT_OPTION
def export(fmt, graph_file, output):
    """Write a built graph in another format.

    Without -f the format is the one the suffix of -o names (.ttl .trig .nq .nt .jsonld .graphml .gexf
    .csv .xlsx); a suffix naming another format than -f is refused. The workbook (xlsx) has the sheets
    Areas, Inspections, Findings and Inspectors, in words, with dates as dates. A CSV file starts with
    the UTF-8 byte-order mark; every CSV and workbook cell that a spreadsheet could take for a formula
    is kept as text.
    """
    from sendgraph.graph.export import export as export_graph, format_for
    from sendgraph.graph.files import load_graph

    fmt = format_for(fmt, output)  # an unusable -o/-f is refused before the graph is read
    graph = load_graph(graph_file)
    if output and output != "-":
        export_graph(graph, fmt, output)
    else:
        _emit(export_graph(graph, fmt), None)


@main.command()
@click.argument("query", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable (repeatable, once per name); the value is bound, never pasted into the "
                   "query. A shipped query's area and theme are resolved as the analysis commands resolve names.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--list", "list_only", is_flag=True, help="List the shipped queries with their descriptions.")
@_GRAPH_OPTION
@click.option("--store", "store", metavar="memory|DIR|URL",
              help="Query this store instead of the graph file: an embedded store's directory or a SPARQL endpoint.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL endpoint instead of the graph file.")
@click.option("--iris", is_flag=True, help="Show the columns of IRIs in the table too (left out by default).")
@click.option("--allow-service", is_flag=True,
              help="Let a query on the graph file or an embedded store use SERVICE (send requests to other servers).")
@_OUTPUT_OPTION
def query(query, params, fmt, list_only, graph_file, store, endpoint, iris, allow_service, output):
    """Run a SPARQL query: SPARQL text, a .rq file, or the name of a shipped query (see --list).

    The query runs on the graph file (-g), an embedded store (--store DIR) or a SPARQL 1.1 server
    (--endpoint URL, credentials from SENDGRAPH_USER/SENDGRAPH_PASSWORD or ~/.netrc), with the
    same answers from each. The table shows codes in words, fits the terminal and leaves out columns
    of IRIs (--iris keeps them); CSV and JSON give the values as they are, JSON with labels beside codes.
    A query on the graph file or a store never sends requests out: SERVICE is refused there unless
    --allow-service is given.
    """
    from sendgraph.formats import terminal_width
    from sendgraph.graph.files import load_graph
    from sendgraph.stores.results import format_result
    from sendgraph.stores.named import list_queries, resolve_params, run_query
    from sendgraph.stores.sparql import parse_param
    from sendgraph.stores.target import parse_store_option, query_target

    if list_only:
        entries = list_queries()
        width = max(len(name) for name, _ in entries)
        _emit("".join(f"{name.ljust(width)}  {description}\n" for name, description in entries), output)
        return
    if not query:
        raise click.UsageError("give a QUERY (SPARQL text, a .rq file or a shipped query name), or --list")
    if store and endpoint:
        raise click.UsageError("give --store or --endpoint, not both")
    if endpoint and not endpoint.lower().startswith(("http://", "https://")):
        raise click.BadParameter("give the http(s) URL of a SPARQL endpoint", param_hint="--endpoint")
    bindings = {}
    for name, value in (parse_param(p) for p in params):
        if name in bindings:
            _fail(UsageError(f"-p {name} is given more than once: give each parameter once"))
        bindings[name] = value
    option = parse_store_option(endpoint or store)
    if option.kind == "memory":
        graph = load_graph(graph_file)
        run = lambda text, values=None: run_query(graph, text, values, allow_service=allow_service)  # noqa: E731
    else:
        target = option.open(read_only=True)
        run = lambda text, values=None: query_target(target, text, values, allow_service=allow_service)  # noqa: E731
    result = run(query, resolve_params(query, bindings, run))
    _emit(format_result(result, fmt, width=terminal_width(), iris=iris), output, fmt)


# --- analytics commands: inspectors, themes, compare, history, neighbours -------------

_FORMAT_OPTION = click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                              show_default=True, help="Output format.")


def _analyse(graph_file, function, *args, fmt="table", output=None, **kwargs) -> None:
    """Open the graph, run one analysis on its NetworkX view and write the result in fmt."""
    from sendgraph.formats import render, terminal_width
    from sendgraph.graph.files import load_graph
    from sendgraph.graph.projection import to_networkx

    _emit(render(function(to_networkx(load_graph(graph_file)), *args, **kwargs), fmt, terminal_width()), output, fmt)


@main.command("inspectors")
@click.option("--name", help="One person's record: their inspections and the documents naming them.")
@click.option("--min", "min_inspections", type=click.IntRange(1), default=2, show_default=True,
              help="List people on at least this many inspection teams.")
@_FORMAT_OPTION
@_GRAPH_OPTION
@_OUTPUT_OPTION
def inspectors_command(name, min_inspections, fmt, graph_file, output):
    """Inspectors who worked on several inspections.

    Lists each inspection (area, dates, role, lead) of everyone on several inspection teams, and the
    network of areas linked by shared inspectors with each area's degree and betweenness centrality.
    Signatories and addressees of letters are not team members.
    """
    from sendgraph.analysis.inspectors import shared_inspectors

    _analyse(graph_file, shared_inspectors, name=name, min_inspections=min_inspections, fmt=fmt, output=output)


@main.command("themes")
@click.option("--theme", help="One theme (code or label): its findings with their evidence quotes and the words that gave each the theme.")
@click.option("--kind", help="With --theme: only findings of this kind (strength, weakness, priority_action, ...).")
@click.option("--top", type=click.IntRange(1), default=15, show_default=True,
              help="Rows of the ranked lists (weaker outcomes, co-occurrence).")
@_FORMAT_OPTION
@_GRAPH_OPTION
@_OUTPUT_OPTION
def themes_command(theme, kind, top, fmt, graph_file, output):
    """Themes by finding kind and outcome, and which go together.

    For each theme, the inspections and areas raising it as a strength, a weakness, a priority
    action or an area for improvement, split by outcome; the themes most often behind weaker
    outcomes; the themes found together in one finding; the themes every area raises. --theme lists
    one theme's findings with their evidence quotes.
    """
    from sendgraph.analysis.themes import theme_summary

    if kind and not theme:
        raise click.UsageError("--kind needs --theme")
    _analyse(graph_file, theme_summary, theme=theme, kind=kind, top=top, fmt=fmt, output=output)


@main.command("compare")
@click.argument("areas", nargs=-1, required=True)
@click.option("--all-inspections", is_flag=True, help="Compare themes over all inspections, not only the latest.")
@_FORMAT_OPTION
@_GRAPH_OPTION
@_OUTPUT_OPTION
def compare_command(areas, all_inspections, fmt, graph_file, output):
    """Two or more areas side by side, with a similarity score.

    Outcomes and dates, inspection teams and shared inspectors, a theme-by-area matrix of strengths
    and weaknesses, shared organisations and people, and the Jaccard similarity of their themes.
    """
    from sendgraph.analysis.compare import compare_areas

    if len(areas) < 2:
        raise click.UsageError("give at least two areas to compare")
    _analyse(graph_file, compare_areas, list(areas), all_inspections=all_inspections, fmt=fmt, output=output)


@main.command("history")
@click.argument("area")
@_FORMAT_OPTION
@_GRAPH_OPTION
@_OUTPUT_OPTION
def history_command(area, fmt, graph_file, output):
    """An area's inspections in time order, and what changed.

    Includes inspections that documents only mention; for each pair of consecutive inspections with
    findings, which weakness themes recur, became strengths, are no longer raised, or are new.
    """
    from sendgraph.analysis.history import area_history

    _analyse(graph_file, area_history, area, fmt=fmt, output=output)


@main.command("search")
@click.argument("query")
@click.option("--area", help="Only findings about this area (as councils print it, or its ONS code).")
@click.option("--kind", help="Only findings of this kind (strength, weakness, priority action, area for improvement, ...).")
@click.option("--theme", help="Only findings on this theme (code or label).")
@click.option("--outcome", help="Only findings of inspections with this outcome (code or words).")
@click.option("--framework", type=click.Choice(["2016", "2023"]), help="Only findings of this inspection framework.")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True, help="At most this many findings.")
@_FORMAT_OPTION
@_GRAPH_OPTION
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Search this embedded store instead of the graph file (its index is kept beside it).")
@_OUTPUT_OPTION
def search_command(query, area, kind, theme, outcome, framework, limit, fmt, graph_file, store_dir, output):
    """Find findings in your own words, best first.

    Every word must occur (stemmed: "assessments" finds "assessment"); "quoted words" must occur as a
    phrase; common words such as "the" are left out. Results are ranked by BM25 (SQLite FTS5) and
    show each finding's area, date, kind, themes, the quote with the matched words marked, and its
    source document and paragraph.
    """
    from sendgraph.formats import render, terminal_width
    from sendgraph.graph.files import load_graph
    from sendgraph.search.index import as_result, search, search_store

    filters = {"area": area, "kind": kind, "theme": theme, "outcome": outcome, "framework": framework, "limit": limit}
    hits = search_store(store_dir, query, **filters) if store_dir else search(load_graph(graph_file), query, **filters)
    _emit(render(as_result(hits, query, fmt), fmt, terminal_width()), output, fmt)


@main.command("neighbours")
@click.argument("area")
@_FORMAT_OPTION
@_GRAPH_OPTION
@_OUTPUT_OPTION
def neighbours_command(area, fmt, graph_file, output):
    """An area against its statistical neighbours in the graph.

    The neighbours' outcomes and themes beside the area's, and where the area differs from most of them.
    """
    from sendgraph.analysis.neighbours import compare_neighbours

    _analyse(graph_file, compare_neighbours, area, fmt=fmt, output=output)


# --- shared stores: push to a SPARQL 1.1 server -----------------------------------------


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's SPARQL endpoint, e.g. http://host:8890/sparql (Virtuoso).")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="Push only this named graph; for a file without named graphs, the graph to push into.")
@click.option("-g", "--graph-file", "graph_file", type=click.Path(dir_okay=False), default="sendgraph.ttl",
              show_default=True, help="The graph file to push; TriG and N-Quads keep one named graph per document.")
def push(endpoint, graph_iri, graph_file):
    """Upload a built graph to a SPARQL 1.1 server, replacing each named graph whole.

    Credentials come from SENDGRAPH_USER and SENDGRAPH_PASSWORD or a netrc file, never from the
    command line. Each graph is uploaded under a temporary name and then moved into place, so a
    failure never leaves half a graph. Exit 0 all pushed, 1 some pushed, 2 none.
    """
    from sendgraph.errors import GraphError
    from sendgraph.vocab import DEFAULT_GRAPH
    from sendgraph.graph.files import graphs_of, load_graph
    from sendgraph.stores.push import push as push_graphs

    try:
        dataset = load_graph(graph_file)
        names = [iri for iri, _ in graphs_of(dataset)]  # its non-empty graphs (None: the default graph)
        if not names:
            raise GraphError(f"{graph_file}: the graph is empty: nothing to push")
        if graph_iri is None and all(iri is None for iri in names):
            click.echo(f"note: {printable(graph_file)} has no named graphs: pushing it as <{DEFAULT_GRAPH}> "
                       "(build to a .trig file to keep one graph per document)", err=True)
        report = push_graphs(dataset, endpoint, graph=graph_iri,
                             progress=lambda iri, n: click.echo(printable(f"  {iri}: {n} triples"), err=True))
    except SendgraphError as exc:
        _fail(exc, exc.exit_code)
    click.echo(printable(str(report)))


@main.command()
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="The embedded store to serve (built with sendgraph build --store DIR).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; loopback unless told otherwise (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="The port to listen on.")
def serve(store_dir, host, port):
    """Serve an embedded store as a read-only SPARQL 1.1 endpoint, with a query editor.

    Runs the Oxigraph server (the oxigraph package, the version of pyoxigraph) on the store: the
    endpoint is http://HOST:PORT/query, the YASGUI query editor http://HOST:PORT/. A query's
    default graph is the union of the documents' graphs, so a SPARQL client and sendgraph query
    --endpoint get the answers sendgraph query --store DIR gives. While it serves, builds of the
    store are refused; a store another process is writing is not served. Ctrl-C or SIGTERM stops
    it, and the server with it.
    """
    from sendgraph.stores.serve import serve as serve_store

    def ready(url, pid):
        click.echo(f"Serving {store_dir} at {url} (SPARQL endpoint {url}query, server process {pid}); "
                   "Ctrl-C stops it", err=False)
        sys.stdout.flush()

    code = serve_store(store_dir, host=host, port=port, ready=ready)
    click.echo("Stopped", err=True)
    if code:
        sys.exit(Exit.FAILURES)


# --- views: offline HTML pages -----------------------------------------------------------


@main.command()
@_GRAPH_OPTION
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), default="site", show_default=True,
              help="The folder to write the site into (its own earlier pages are replaced; other files are kept).")
@click.option("--open", "open_browser", is_flag=True, help="Open index.html in the default web browser.")
def view(graph_file, outdir, open_browser):
    """Write the graph as a website that works offline, starting at index.html.

    Pages: England's picture (a hex map of each area's latest outcome, outcomes by region,
    inspections over time, the themes most raised), one page per area (outcome, dates, next
    inspection due, partnership, team, every priority action and area for improvement, strengths and
    weaknesses by theme with their quotes and sources, history, statistical neighbours), one page per
    theme, themes by area, search, and the inspector networks. Every script and style is inside the
    pages; they fetch nothing from any host.
    """
    import webbrowser

    from sendgraph.errors import GraphError
    from sendgraph.graph.files import load_graph
    from sendgraph.site import write_site

    graph = load_graph(graph_file)
    if not len(graph):  # an empty file, or not a graph sendgraph built (a JSON file of extract records, say)
        raise GraphError(f"{graph_file}: the graph is empty: nothing to show")
    paths = write_site(graph, outdir)
    click.echo(printable(f"wrote {len(paths)} pages to {outdir}; open {paths[0]}"))
    if open_browser:
        webbrowser.open(paths[0].resolve().as_uri())


def run() -> None:
    """The ``sendgraph`` command: ``main``, with standard output's own failures (a closed pipe, a full
    device) ending in one line on standard error instead of a traceback."""
    try:
        try:
            code = main(standalone_mode=False)  # --help, --version and ctx.exit() give their exit code back
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        except click.Abort:
            click.echo("Aborted!", err=True)
            code = Exit.FAILURES
        except SystemExit as exc:
            code = exc.code
        sys.stdout.flush()
    except OSError as exc:
        _stdout_failed(exc)
    sys.exit(code if code is None or isinstance(code, (int, str)) else Exit.OK)


def _stdout_failed(exc: OSError) -> None:
    """Standard output could not be written: say so in one line (silently for a reader that went away)."""
    try:  # nothing more may reach the broken stream, not even at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    if exc.errno == errno.EPIPE:
        sys.exit(Exit.FAILURES)  # the reader closed the pipe (head, less): nothing to report
    try:
        sys.stderr.write(f"Error: cannot write to standard output: {exc.strerror or exc}\n")
        sys.stderr.flush()
    except OSError:
        pass
    sys.exit(Exit.USAGE)


if __name__ == "__main__":  # pragma: no cover
    run()
