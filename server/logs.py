"""Logging set-up. Keys travel in URLs, so no log line may carry one. uvicorn's access and
WebSocket lines print the request target as the client sent it, and keys reached the log in
more shapes than `?k=` (issue 17): a link whose `?` was percent-encoded (`/p/ID%3Fk%3DKEY`), a
key pasted as a path segment (`/api/pads/ID/KEY`, `/ws/KEY`), a target that is not a path
(`OPTIONS *?k=KEY`). So every request target is logged as `loggable_target` makes it: query
cut, percent-escapes read (up to three layers), query cut again, and every key-shaped run
(`KEY_SHAPED_CHARS` or more characters of the keys' URL-safe alphabet) replaced by `{key}`.
Pad ids (12 characters) and the paths of the static files stay readable."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote, unquote

from .access import KEY_BYTES, PAD_ID_BYTES

KEY_SHAPED_CHARS = 20
"""Keys are `KEY_BYTES` random bytes in URL-safe base64 (32 characters), pad ids 12, the
longest static file name's run 16; a run of 20 holds most of a key, and is cut."""
assert PAD_ID_BYTES * 4 // 3 < KEY_SHAPED_CHARS <= KEY_BYTES * 4 // 3
KEY_SHAPED = re.compile(rf"[A-Za-z0-9_-]{{{KEY_SHAPED_CHARS},}}")
UNQUOTE_LAYERS = 3
SAFE_CHARS = "/*{}.-_~!$&'()+,;=:@"
"""Printed as they are; anything else (a line break, a quote, non-ASCII) is percent-encoded
again, so that a request target cannot write a log line of its own."""


def loggable_target(target: str) -> str:
    """A request target (path and query, as sent) with no query and no key in it."""
    path = target.split("?", 1)[0]
    for _ in range(UNQUOTE_LAYERS):
        if "%" not in path:
            break
        path = unquote(path, errors="replace").split("?", 1)[0]
    path = KEY_SHAPED.sub("{key}", path)
    return quote(path, safe=SAFE_CHARS)


def is_target(value: object) -> bool:
    return isinstance(value, str) and value[:1] in {"/", "*", "%"}


class NoKeys(logging.Filter):
    """Rewrites the request target of uvicorn's access lines (their third argument) and of its
    other lines (any argument that starts like a target: `/`, `*`, `%`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.args, tuple) or not record.name.startswith("uvicorn"):
            return True
        args = list(record.args)
        for index, arg in enumerate(args):
            access_target = record.name == "uvicorn.access" and index == 2
            if isinstance(arg, str) and (access_target or is_target(arg)):
                args[index] = loggable_target(arg)
        record.args = tuple(args)
        return True


def log_config(level: str) -> dict[str, Any]:
    """A uvicorn `log_config`: its formatters, our filter, one level for everything."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_query": {"()": NoKeys}},
        "formatters": {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(name)s: %(message)s",
                "use_colors": None,
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            },
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["no_query"],
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "filters": ["no_query"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "skrid": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }
