"""Logging set-up. Keys travel in query strings (`?k=`), so no log line may carry one: a filter
cuts the query string from every path that uvicorn's access and WebSocket lines print."""

from __future__ import annotations

import logging
from typing import Any


def strip_query(value: Any) -> Any:
    if isinstance(value, str) and "?" in value and value.startswith("/"):
        return value.split("?", 1)[0]
    return value


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(arg) for arg in record.args)
        return True


def log_config(level: str) -> dict[str, Any]:
    """A uvicorn `log_config`: its formatters, our filter, one level for everything."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_query": {"()": NoQueryStrings}},
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
