"""The `skrid` command: serve, redact, and the network's tools."""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import click
import uvicorn

from .access import Keys
from .errors import SkridError
from .logs import log_config
from .memory import tune_garbage_collector
from .settings import Settings, SettingsError


@click.group(help="Skrid: a collaborative pad for webinar notes that forgets e-mail addresses.")
def main() -> None:
    pass


@main.command(help="Serve pads over HTTP and WebSocket (settings also from SKRID_* variables).")
@click.option("--host", default=None, help="Address to listen on [127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on [8000].")
@click.option("--db", default=None, help="SQLite database file [skrid.sqlite3].")
@click.option(
    "--init", is_flag=True, default=None, help="Create the database file if it does not exist."
)
def serve(host: str | None, port: int | None, db: str | None, init: bool | None) -> None:
    from .app import create_app
    from .door import raise_open_file_limit
    from .fanout import check_redis
    from .store import database_name

    settings = _settings(host=host, port=port, db=db, create_db=init)
    with one_line_errors():
        asyncio.run(_migrate(settings))
        asyncio.run(check_redis(settings))
    shown_host = "localhost" if settings.host in {"127.0.0.1", "0.0.0.0"} else settings.host
    database = database_name(settings)
    click.echo(f"Skrid: http://{shown_host}:{settings.port}/  (database: {database})")
    before, after = raise_open_file_limit()
    click.echo(f"Open files: {after}" + (f" (raised from {before})" if after != before else ""))
    tune_garbage_collector()
    faulthandler.enable()
    uvicorn.run(
        create_app(settings), log_config=log_config(settings.log_level), **uvicorn_options(settings)
    )


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `skrid serve` runs uvicorn (logging aside); the tests' in-process servers too."""
    from .door import Door
    from .socket_protocol import ws_protocol

    return {
        "host": settings.host,
        "port": settings.port,
        "http": Door(settings).protocol(),
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        "proxy_headers": bool(settings.trusted_proxies.strip()),
        "forwarded_allow_ips": settings.trusted_proxies.strip() or None,
        "ws": ws_protocol(),
        "ws_max_size": settings.max_frame_bytes,
        "ws_ping_interval": settings.ws_ping_seconds,
        "ws_ping_timeout": settings.ws_ping_timeout_seconds,
        "ws_per_message_deflate": settings.ws_compression,
        "timeout_graceful_shutdown": 5,
    }


@main.command(help="Copy stdin to stdout with every e-mail address and phone number replaced.")
@click.argument("source", required=False, type=click.File("rb"))
@click.option("--report", is_flag=True, help="Print how many of each were replaced on stderr.")
@click.option(
    "--names", is_flag=True, help="Also remove personal lists and people's names (pseudonyms)."
)
@click.option("--known", multiple=True, help="A name to remove in all its forms (repeatable).")
@click.option("--keep", multiple=True, help="A name never to remove (repeatable).")
@click.option("--speaker", multiple=True, help="A speaker's name, never removed (repeatable).")
def redact(
    source: BinaryIO | None,
    report: bool,
    names: bool,
    known: tuple[str, ...],
    keep: tuple[str, ...],
    speaker: tuple[str, ...],
) -> None:
    from anonymizer import count, find, redact_findings

    settings = _settings()
    data = (source or sys.stdin.buffer).read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"the input is not UTF-8 text (byte {error.start}); nothing was written"
        ) from None
    if names:
        from anonymizer.names import apply, names_plan

        plan = names_plan(text, known=known, keep=keep, speakers=speaker, markers=settings.markers)
        sys.stdout.write(apply(plan, text))
        counts = plan.counts()
    else:
        findings = find(text)
        sys.stdout.write(redact_findings(text, findings, settings.markers))
        counts = count(findings)
    if report:
        shown = f"emails: {counts['email']}, phones: {counts['phone']}"
        if names:
            shown += f", names: {counts['name']}, lists: {counts['list']}"
        click.echo(shown, err=True)


@main.command(help="Write one pad in a format (md, html, txt, json, yjs, zip) to a file or stdout.")
@click.argument("pad_id")
@click.option(
    "--format",
    "extension",
    default="md",
    show_default=True,
    type=click.Choice(["md", "html", "txt", "json", "yjs", "zip"]),
)
@click.option("--db", default=None, help="SQLite database file [skrid.sqlite3].")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    help="File to write [stdout].",
)
def export(pad_id: str, extension: str, db: str | None, out: str) -> None:
    from exports import EXPORT_FORMATS

    from .offline import find_pad, opened_store, read_document, require_database

    settings = _settings(db=db)

    async def render() -> bytes:
        async with opened_store(settings) as store:
            document = await read_document(store, await find_pad(store, pad_id), settings)
        return EXPORT_FORMATS[extension].render_bytes(document)

    with one_line_errors():
        require_database(settings)
        body = asyncio.run(render())
    with click.open_file(out, "wb") as file:
        file.write(body)


@main.command(
    name="import",
    help="Make a closed pad from each note file: Markdown or text, an Etherpad .txt, .html or"
    " .etherpad export. Every file is checked first: if one is refused, nothing is imported.",
)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--db", default=None, help="SQLite database file [skrid.sqlite3].")
def import_files(files: tuple[Path, ...], db: str | None) -> None:
    from exports.importers import MAX_IMPORT_BYTES, ImportRefused, import_note

    from .offline import import_note_as_pad, opened_store

    settings = _settings(db=db)
    notes, refused = [], []
    for path in files:
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                raise ImportRefused(path.name, "too_large", f"plus de {MAX_IMPORT_BYTES} octets")
            notes.append(import_note(path.name, path.read_bytes()))
        except ImportRefused as error:
            refused.append(str(error))
    if refused:
        for message in refused:
            click.echo(message, err=True)
        raise click.ClickException(
            f"{len(refused)} of {len(files)} files refused; nothing imported"
        )

    async def run() -> list[tuple[str, str, Keys]]:
        created = []
        now = datetime.now(UTC)
        async with opened_store(settings) as store:
            with click.progressbar(notes, label="Import", file=sys.stderr) as bar:
                for note in bar:
                    pad_id, keys = await import_note_as_pad(store, note, now)
                    created.append((note.title, pad_id, keys))
        return created

    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    for title, pad_id, keys in asyncio.run(run()):
        click.echo(f"{pad_id}\t{title}\t{base}/host/{pad_id}?k={keys.host}")


@main.command(help="Write the public archive as a static site: relative links, no server needed.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--db", default=None, help="SQLite database file [skrid.sqlite3].")
@click.option("--site-url", default="", help="The site's public URL, for the Atom feed.")
def publish(out: Path, db: str | None, site_url: str) -> None:
    from exports.archive.site import static_site_file_count, static_site_files

    from .app import house_hooks
    from .archive import published_entries
    from .offline import opened_store, require_database

    settings = _settings(db=db)

    async def collect() -> list:
        async with opened_store(settings) as store:
            return await published_entries(store, house_hooks(settings), settings.timezone)

    with one_line_errors():
        require_database(settings)
        entries = asyncio.run(collect())
    total = static_site_file_count(entries)
    files = static_site_files(entries, site_url)
    with click.progressbar(files, length=total, label="Site", file=sys.stderr) as bar:
        for name, body in bar:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
    click.echo(f"{len(entries)} published pads, {total} files in {out}")


@main.command(
    help="Create the database's tables, or bring them up to date (`skrid serve` does it too,"
    " safely when several processes start at once)."
)
@click.option("--db", default=None, help="SQLite database file [skrid.sqlite3].")
def migrate(db: str | None) -> None:
    from .store import database_name

    settings = _settings(db=db, create_db=True)
    with one_line_errors():
        asyncio.run(_migrate(settings))
    click.echo(f"Database up to date: {database_name(settings)}")


async def _migrate(settings: Settings) -> None:
    """Open the settings' store once and close it: it migrates on opening, and a database that
    cannot be reached (or a SQLite file that is missing without `--init`) is a one-line error
    here rather than a traceback from inside uvicorn."""
    from .store import store_for

    store = store_for(settings)
    await store.open()
    await store.close()


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """A SkridError becomes a one-line message and exit status 1."""
    try:
        yield
    except SkridError as error:
        raise click.ClickException(error.message) from None


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    sys.exit(main())
