"""The `skrid` command: serve, redact, and the network's tools."""

from __future__ import annotations

import sys

import click
import uvicorn

from .logs import log_config
from .settings import Settings, SettingsError


@click.group(help="Skrid: a collaborative pad for webinar notes that forgets e-mail addresses.")
def main() -> None:
    pass


@main.command(help="Serve pads over HTTP and WebSocket (settings also from SKRID_* variables).")
@click.option("--host", default=None, help="Address to listen on [127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on [8000].")
@click.option("--db", default=None, help="SQLite database file [skrid.sqlite3].")
def serve(host: str | None, port: int | None, db: str | None) -> None:
    from .app import create_app

    settings = _settings(host=host, port=port, db=db)
    shown_host = "localhost" if settings.host in {"127.0.0.1", "0.0.0.0"} else settings.host
    click.echo(f"Skrid: http://{shown_host}:{settings.port}/  (database: {settings.db})")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ws="websockets-sansio",
        ws_max_size=settings.max_frame_bytes,
        ws_ping_interval=settings.ws_ping_seconds,
        ws_ping_timeout=settings.ws_ping_timeout_seconds,
        log_config=log_config(settings.log_level),
        timeout_graceful_shutdown=5,
    )


@main.command(help="Copy stdin to stdout with every e-mail address and phone number replaced.")
@click.option("--report", is_flag=True, help="Print how many of each were replaced on stderr.")
def redact(report: bool) -> None:
    from anonymizer import Markers, count, find, redact_findings

    settings = _settings()
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"the input is not UTF-8 text (byte {error.start}); nothing was written"
        ) from None
    findings = find(text)
    markers = Markers(email=settings.email_marker, phone=settings.phone_marker)
    sys.stdout.write(redact_findings(text, findings, markers))
    if report:
        counts = count(findings)
        click.echo(f"emails: {counts['email']}, phones: {counts['phone']}", err=True)


def _settings(**overrides: object) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    sys.exit(main())
