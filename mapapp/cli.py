"""The `mapapp` command: turns commands into calls and errors into one line and an exit code.

Exit codes (DESIGN section 2): 0 fine, 1 problems found (or not canonical), 2 a file that cannot
be read or is not JSON, bad arguments, or unusable data.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from mapapp import __version__, contract, paths
from mapapp.loading import DataError, LoadError, default_data_path

OK, PROBLEMS, UNUSABLE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mapapp")
def cli() -> None:
    """An interactive, sourced map of the routes North Koreans take to escape.

    Maintainers (docs/maintainers.md): `mapapp new route ID` to start a route, `mapapp serve
    --debug` to preview it, and `mapapp format --check && mapapp validate --strict` before
    every commit.
    """


def _printable(text: str) -> str:
    """Lone surrogates (a "\\ud800" escape in the data) cannot be written as UTF-8: escape them."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def data_option(what: str):
    """The --data option every command takes (DESIGN section 2)."""
    return click.option("--data", type=click.Path(path_type=Path),
                        help=f"the routes.geojson {what} (default: $MAPAPP_DATA, else the "
                             "project's data/routes.geojson)")


def chosen_data(data: Path | None) -> Path:
    """The data a command uses; when $MAPAPP_DATA chose it, says so, so that a maintainer never
    checks or formats another copy than the one they meant."""
    if data is not None:
        return data
    path = default_data_path()
    if os.environ.get("MAPAPP_DATA"):
        click.echo(f"Using {path} (from $MAPAPP_DATA).", err=True)
    elif path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())  # the project's data, as the maintainer types it
    return path


def _unreadable(error: DataError) -> dict:
    """A file with nothing to check, in the form of a problem (for --format json)."""
    return {"path": error.path, "line": error.line or 1, "feature": None, "check": "structure",
            "message": error.message, "hint": error.hint or "fix the file so that it can be read",
            "severity": "error"}


def echo_unreadable(error: DataError) -> None:
    click.echo(_printable(str(error)) + (f"\n    hint: {error.hint}" if error.hint else ""),
               err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_option("to check, with what lies beside it")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools and editors")
@click.option("--strict", is_flag=True,
              help="exit 1 on warnings too (text not yet translated, a story out of its line's "
                   "order): for CI and pre-commit")
def validate(paths: tuple[Path, ...], data: Path | None, output: str, strict: bool) -> None:
    """Check the data and print every problem with its file:line and a hint.

    PATHS are GeoJSON files (their narratives/ and statistics.csv beside them are checked too),
    folders holding a routes.geojson, folders of narratives (data/narratives), or single
    narratives (.md) and statistics (.csv). Default: the project's data, or $MAPAPP_DATA.
    Exit code 0 valid, 1 problems found, 2 a file that cannot be read or is not JSON.
    """
    from mapapp.loading import described, files_to_check
    from mapapp.validation import validate_file

    problems, unreadable, checked = [], [], []
    for path in [*paths, *([data] if data else [])] or [chosen_data(None)]:
        try:
            files = files_to_check(path)
            for file in files:
                try:
                    problems += validate_file(file)
                except DataError as error:
                    unreadable.append(error)
            checked.append(described(files[0]) if len(files) == 1
                           else f"{len(files)} files in {path}")
        except DataError as error:
            unreadable.append(error)
    if output == "json":
        found = [_unreadable(error) for error in unreadable]
        found += [problem.as_dict() for problem in problems]
        click.echo(_printable(json.dumps(found, indent=2, ensure_ascii=False)))
    else:
        for error in unreadable:
            echo_unreadable(error)
        for problem in problems:
            click.echo(_printable(problem.as_text()))
        errors = sum(1 for problem in problems if problem.is_error)
        warnings = f"{len(problems) - errors} warning(s)" if errors < len(problems) else ""
        if errors:
            files = len({problem.path for problem in problems})
            also = f" and {warnings}" if warnings else ""
            click.echo(f"{errors} problem(s){also} in {files} file(s).", err=True)
        elif checked and not unreadable:
            also = f", {warnings}" if warnings else ""
            click.echo(_printable(f"Checked {', '.join(checked)}: no problems{also}."), err=True)
    failing = [problem for problem in problems if strict or problem.is_error]
    sys.exit(UNUSABLE if unreadable else PROBLEMS if failing else OK)


@cli.command(name="format")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@data_option("to format, with the narratives and statistics beside it")
@click.option("--check", is_flag=True,
              help="change nothing; show the diff formatting would make and exit 1 when there "
                   "is one")
def format_command(path: Path | None, data: Path | None, check: bool) -> None:
    """Rewrite the data in canonical form, for clean diffs of hand edits.

    The GeoJSON: key order, indentation, 2-decimal coordinates (it says how many it rounded).
    The narratives, context chapter, glossary and statistics beside it: \\n line breaks, no
    spaces at the ends of lines, header keys in their documented order. PATH may also be one
    .md or .csv file. Writes atomically, so an interrupted run never leaves a partial file, and
    writes nothing when a file cannot be read. Default: the project's data, or $MAPAPP_DATA.
    Exit code 0 canonical (or made so), 1 not canonical (--check), 2 a file cannot be read.
    """
    from mapapp.formatting import formatted_data, write_atomically

    path = path or chosen_data(data)
    try:
        files = formatted_data(path)
    except DataError as error:
        echo_unreadable(error)
        sys.exit(UNUSABLE)
    changed = [file for file in files if file.changed]
    for file in changed:
        rounded = (f" ({'would round' if check else 'rounded'} {file.rounded} coordinate(s) to "
                   f"{contract.MAX_DECIMALS} decimals)" if file.rounded else "")
        if check:
            click.echo(_printable(file.diff()), nl=False)
            click.echo(f"{file.path}: not in canonical form{rounded}.", err=True)
            continue
        try:
            write_atomically(file.path, file.wanted)
        except OSError as error:
            click.echo(f"{file.path}: cannot be written: {error.strerror or error}", err=True)
            sys.exit(UNUSABLE)
        click.echo(f"{file.path}: reformatted{rounded}.", err=True)
    if not changed:
        beside = f" and the {len(files) - 1} file(s) beside it" if len(files) > 1 else ""
        click.echo(f"{path}{beside}: already in canonical form.", err=True)
    elif check:
        click.echo(f"Run `mapapp format {path}` to make these changes.", err=True)
        sys.exit(PROBLEMS)


@cli.command()
@click.option("--host", envvar="MAPAPP_HOST", default="127.0.0.1", show_default=True,
              help="address to listen on (or $MAPAPP_HOST); 0.0.0.0 for every interface")
@click.option("--port", envvar="MAPAPP_PORT", type=click.IntRange(1, 65535), default=5000,
              show_default=True, help="port to listen on (or $MAPAPP_PORT)")
@data_option("to serve")
@click.option("--debug", is_flag=True,
              help="Flask's development server with its reloader; reloads the data when it "
                   "changes and keeps showing the last valid version while it has problems")
def serve(host: str, port: int, data: Path | None, debug: bool) -> None:
    """Serve the site; the data is loaded and checked once, before the server starts.

    Unusable data stops it with one line naming the problems (exit code 2): run
    `mapapp validate` for the whole list. With --debug (a preview while editing) it starts
    anyway: pages show the last valid version with a banner of the problems, or a page listing
    them while there has never been one. Ctrl+C stops it cleanly (exit code 0).
    """
    from mapapp.web import create_app

    server = None if debug else _production_server(host, port)
    path = chosen_data(data)
    try:
        app = create_app({"MAPAPP_DATA": str(path), "MAPAPP_WATCH": debug})
    except LoadError as error:
        click.echo(f"mapapp: cannot serve {path}: {error}", err=True)
        sys.exit(UNUSABLE)
    problems = app.extensions["mapapp"].problems
    if problems:  # only when watching: a preview starts anyway and shows them
        click.echo(f"mapapp: {path} has {len(problems)} problem(s); every page lists them until "
                   "the files are fixed (`mapapp validate` too).", err=True)
    if debug:
        # Code and templates restart the process; the data is reloaded in place (see web.site).
        templates = [str(template) for template in paths.template_files()]
        app.run(host=host, port=port, debug=True, use_reloader=True, extra_files=templates)
        return
    server.serve(app, host=host, port=port, warm=server.WARM)  # SIGINT, SIGTERM: exit code 0


def _production_server(host: str, port: int):
    """mapapp.web.server, once it is sure that it can run here and listen on the address: if
    not, one line and exit code 2 before the data is loaded, not after."""
    try:
        from mapapp.web import server
    except ModuleNotFoundError as error:  # gunicorn needs a POSIX system (fcntl)
        click.echo(f"mapapp: cannot serve here ({error}): `mapapp serve` needs Linux or macOS; "
                   "on Windows use WSL, or `mapapp serve --debug` for a preview, or publish "
                   "`mapapp export`", err=True)
        sys.exit(UNUSABLE)
    try:
        server.check_free(host, port)
    except OSError as error:
        click.echo(f"mapapp: cannot listen on {host}:{port}: {error.strerror or error}",
                   err=True)
        sys.exit(UNUSABLE)
    return server


@cli.command()
@click.argument("outdir", type=click.Path(path_type=Path))
@data_option("to export")
@click.option("--public-url", envvar="MAPAPP_PUBLIC_URL", metavar="URL",
              help="where the export will be published (or $MAPAPP_PUBLIC_URL): the handouts' "
                   "QR codes and the embed codes point there; without it they are left out")
@click.option("--force", is_flag=True,
              help="write into a folder that is not empty and was not made by mapapp export")
def export(outdir: Path, data: Path | None, public_url: str | None, force: bool) -> None:
    """Write the whole site as static files into OUTDIR, with relative links.

    The folder works from any static web server and straight from disk: copy it to a USB stick
    and open OUTDIR/index.html. Exports again into a folder it made, replacing what it wrote.
    """
    from mapapp.export import Export, ExportError

    path = chosen_data(data)
    try:
        job = Export(outdir, path, public_url, force)
    except ExportError as error:
        click.echo(f"mapapp: cannot export: {error}", err=True)
        sys.exit(UNUSABLE)
    except LoadError as error:
        click.echo(f"mapapp: cannot export {path}: {error}", err=True)
        sys.exit(UNUSABLE)
    try:
        with click.progressbar(job.run(), length=len(job), label="Exporting", file=sys.stderr,
                               item_show_func=lambda url: url) as pages:
            for _ in pages:
                pass
    except OSError as error:
        click.echo(f"mapapp: cannot write {error.filename or outdir}: "
                   f"{error.strerror or error}", err=True)
        sys.exit(UNUSABLE)
    result = job.result
    click.echo(f"Wrote {result.files} files ({result.size / 1e6:.1f} MB) to {outdir} in "
               f"{result.seconds:.1f} s. Open {outdir / 'index.html'}, or serve the folder "
               "with any web server.", err=True)


@cli.group()
def translations() -> None:
    """The content's translations (data/translations/<language>.po; see docs/translating.md)."""


@translations.command(name="update")
@data_option("whose texts to extract")
@click.option("--language", "languages", multiple=True, metavar="CODE",
              help="only this language (ko); default: every language the site has")
@click.option("--check", is_flag=True,
              help="change nothing; exit 1 when a catalogue is not up to date with the English")
def translations_update(data: Path | None, languages: tuple[str, ...], check: bool) -> None:
    """Bring each catalogue up to date with the English texts of the data.

    Every English paragraph, field and property gets an entry, its msgctxt naming where it is
    used and its #: lines the English file and line. Translations of unchanged English are
    kept; those whose English changed are kept and marked fuzzy for review (the old English
    beside them), as `pybabel update` does; entries whose English is gone are kept at the end
    as obsolete (#~) lines. Then translate with Poedit, Weblate or any PO editor.
    """
    from mapapp.catalogue import updated_catalogue
    from mapapp.formatting import write_atomically
    from mapapp.loading import TRANSLATIONS, TextFile, load_dataset, translation_file
    from mapapp.parsing import parse
    from mapapp.translation import english_texts

    unknown = [language for language in languages if language not in TRANSLATIONS]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: the languages are "
                                 f"{', '.join(TRANSLATIONS)}", param_hint="--language")
    path = chosen_data(data)
    try:
        dataset = load_dataset(path)
    except DataError as error:
        echo_unreadable(error)
        sys.exit(UNUSABLE)
    texts = english_texts(parse(dataset))
    stale = False
    with click.progressbar(languages or tuple(TRANSLATIONS), label="Updating", file=sys.stderr,
                           item_show_func=lambda language: language) as chosen:
        reports = []
        for language in chosen:
            target = translation_file(path, language)
            current = dataset.translations.get(language)
            if isinstance(current, DataError):
                echo_unreadable(current)
                sys.exit(UNUSABLE)
            before = current.text if isinstance(current, TextFile) else None
            update = updated_catalogue(texts, before, language)
            changed = update.text != before
            stale = stale or changed
            if changed and not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(target, update.text)
            reports.append((target, update, changed))
    for target, update, changed in reports:
        state = ("not up to date" if check else "updated") if changed else "already up to date"
        click.echo(f"{target}: {state}; {update.total} texts, {update.translated} translated "
                   f"({update.share}), {update.added} new, {update.outdated} outdated (fuzzy), "
                   f"{update.removed} removed (kept as obsolete).", err=True)
    if check and stale:
        click.echo("Run `mapapp translations update` and commit the catalogues.", err=True)
        sys.exit(PROBLEMS)


@cli.group()
def new() -> None:
    """Add a route or a crossing, ready to fill in (see docs/maintainers.md)."""


def _new(layer: str, feature_id: str, data: Path | None) -> None:
    from mapapp.scaffold import ScaffoldError, new_feature
    from mapapp.validation import validate_path

    path = chosen_data(data)
    try:
        written = new_feature(layer, feature_id, path)
    except ScaffoldError as error:
        click.echo(f"mapapp: {error}; nothing was written.", err=True)
        sys.exit(PROBLEMS)
    except DataError as error:
        echo_unreadable(error)
        sys.exit(UNUSABLE)
    except OSError as error:
        click.echo(f"mapapp: cannot write {error.filename or path}: {error.strerror or error}; "
                   "nothing was written.", err=True)
        sys.exit(UNUSABLE)
    also = f" and its story in {written.narrative}" if written.narrative else ""
    click.echo(f'Added {layer} "{feature_id}" at {written.data}:{written.line}{also}.', err=True)
    label = f'feature "{feature_id}"'
    left = [problem for problem in validate_path(path) if problem.feature == label
            or problem.path == str(written.narrative)]
    click.echo("Left to fill in:", err=True)
    for problem in left:
        click.echo(_printable(problem.as_text()), err=True)
    for file, line, what in written.elsewhere:
        click.echo(_printable(f"{file}:{line}: {what}"), err=True)
    click.echo("Then run `mapapp validate`, and `mapapp serve --debug` to see it on the map.",
               err=True)


@new.command(name="route")
@click.argument("route_id", metavar="ID")
@data_option("to add the route to")
def new_route(route_id: str, data: Path | None) -> None:
    """Add route ID after the last route, and its story's skeleton in narratives/ID.md.

    Every line to write holds a "TODO: …" placeholder, which `mapapp validate` reports until it
    is filled in; draw the line as a LineString in travel order. Exit code 0 written, 1 the id
    is taken or not an id (nothing written), 2 the data cannot be read or written.
    """
    _new("route", route_id, data)


@new.command(name="crossing")
@click.argument("crossing_id", metavar="ID")
@data_option("to add the crossing to")
def new_crossing(crossing_id: str, data: Path | None) -> None:
    """Add crossing ID after the last crossing, with placeholders to fill in.

    Exit code 0 written, 1 the id is taken or not an id (nothing written), 2 the data cannot be
    read or written.
    """
    _new("crossing", crossing_id, data)


def main() -> None:
    """Console-script entry point: never a traceback, whatever the input."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(UNUSABLE)
    except MemoryError:
        click.echo("mapapp: out of memory: the input is too large to check", err=True)
        sys.exit(UNUSABLE)
    except SystemExit:
        raise
    except Exception as error:  # a bug of ours: one line and a way to report it, not a traceback
        click.echo(f"mapapp: internal error ({type(error).__name__}: {error}); please report it "
                   "with the command you ran", err=True)
        sys.exit(UNUSABLE)
