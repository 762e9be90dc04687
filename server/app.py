"""create_app(settings): the Starlette app from explicit lists of routes, middleware, error
handlers and one lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from . import api, archive, openapi, pages
from .activity import ActivityRecorder
from .connection import pad_socket, pad_socket_id
from .errors import SkridError
from .export_gate import export_gate
from .fanout import Fanout
from .headers import SecurityHeadersMiddleware
from .hooks import Hooks
from .known_names import KnownNames
from .purge import guard_awareness, warm_for_purge
from .ratelimit import Limits
from .registry import Registry
from .scheduler import Scheduler
from .settings import Settings
from .store import store_for
from .transitions import Clock, Transitions, utc_now
from .worker import Worker

STATIC_DIR = Path(__file__).parent / "static"


class SkridApp(Starlette):
    """Starlette, except that pad sockets are served before the middleware stack: each layer
    they crossed (Starlette's own call, the error middleware, the pad-socket middleware) kept a
    coroutine and its objects in memory for as long as the socket stayed open (11 coroutines a
    socket before, 7 with this and the direct `receive` of `pad_socket`). Other WebSocket paths
    go on to the router, which refuses them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pad_id = pad_socket_id(scope)
        if pad_id is None:
            await super().__call__(scope, receive, send)
        else:
            await pad_socket(pad_id, scope, receive, send, self.state)


def house_hooks(settings: Settings, known_names: KnownNames | None = None) -> Hooks:
    """The server's own hooks: the display names kept for the purge (`known_names`; none
    where no socket is served, as in the CLI's offline work), the purge's awareness guard, and
    its export gate."""
    markers = settings.markers
    gather = [known_names.see] if known_names is not None else []
    return Hooks(
        before_awareness=[*gather, partial(guard_awareness, markers=markers)],
        before_export=[partial(export_gate, markers=markers)],
    )


def create_app(settings: Settings | None = None, clock: Clock = utc_now) -> SkridApp:
    settings = settings or Settings.from_env()
    store = store_for(settings)
    activity = ActivityRecorder(store, settings.activity_flush_seconds)
    known_names = KnownNames(store, settings)
    hooks = house_hooks(settings, known_names)
    hooks.on_update.extend([activity.record, known_names.wrote])
    registry = Registry(store, settings, hooks)
    fanout = Fanout(settings, registry) if settings.redis_url else None
    if fanout is not None:
        fanout.install(hooks)
    worker = Worker()
    if settings.names_model:
        hooks.on_state_change.append(partial(warm_for_purge, worker))
    transitions = Transitions(store, registry, settings, clock, known_names, worker)
    scheduler = Scheduler(transitions, store, settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        if fanout is not None:
            await fanout.start()
        registry.start()
        scheduler.start()
        activity.start()
        known_names.start()
        try:
            yield
        finally:
            await scheduler.stop()
            await registry.stop()
            if fanout is not None:
                await fanout.stop()
            await activity.stop()
            await known_names.stop()
            await store.close()
            worker.close()

    routes = [
        *api.routes,
        *openapi.routes,
        *pages.routes,
        *archive.routes,
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
    app = SkridApp(
        routes=routes,
        middleware=[Middleware(SecurityHeadersMiddleware)],
        exception_handlers={
            SkridError: api.skrid_error_handler,
            HTTPException: api.http_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.registry = registry
    app.state.fanout = fanout
    app.state.hooks = hooks
    app.state.worker = worker
    app.state.transitions = transitions
    app.state.known_names = known_names
    app.state.scheduler = scheduler
    app.state.limits = Limits(settings)
    return app
