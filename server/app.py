"""create_app(settings): the Starlette app from explicit lists of routes, middleware, error
handlers and one lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles

from . import api
from .connection import pad_socket
from .errors import SkridError
from .registry import Registry
from .settings import Settings
from .store import SQLiteStore

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    store = SQLiteStore(settings.db, settings.sqlite_synchronous)
    registry = Registry(store, settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        registry.start()
        try:
            yield
        finally:
            await registry.stop()
            await store.close()

    routes = [
        *api.routes,
        WebSocketRoute("/ws/{pad_id}", pad_socket),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            SkridError: api.skrid_error_handler,
            HTTPException: api.http_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.registry = registry
    return app
