"""The SkridError family: each error carries its wire meaning.

An error knows its HTTP status (for api.py) and its WebSocket close code (for connection.py), so
that each is translated in exactly one place. Messages are safe to show: they never hold pad
content, keys or addresses.
"""

from __future__ import annotations


class SkridError(Exception):
    code = "error"
    status = 500
    close_code = 1011

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(SkridError):
    code = "bad_request"
    status = 400
    close_code = 1008


class InvalidFields(SkridError):
    code = "invalid_fields"
    status = 422
    close_code = 1008


class Unauthorized(SkridError):
    code = "unauthorized"
    status = 401
    close_code = 4401


class Forbidden(SkridError):
    code = "forbidden"
    status = 403
    close_code = 4403


class NotFound(SkridError):
    code = "not_found"
    status = 404
    close_code = 4404


class Conflict(SkridError):
    code = "conflict"
    status = 409
    close_code = 4409


class TooMany(SkridError):
    """A limit of load was reached; the client may try again later."""

    code = "too_many"
    status = 429
    close_code = 1013

    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnsupportedFrame(SkridError):
    """A frame of the wrong kind (text) or of an unknown message type."""

    code = "unsupported_frame"
    status = 400
    close_code = 1003


class InvalidFrame(SkridError):
    """A frame whose bytes cannot be read, or whose Yjs update cannot be applied."""

    code = "invalid_frame"
    status = 400
    close_code = 1007


class NestedTooDeep(InvalidFrame):
    """An update nests values or shared types deeper than `max_nesting_depth`."""

    code = "nested_too_deep"
    close_code = 1008


class FrameTooLarge(SkridError):
    code = "frame_too_large"
    status = 413
    close_code = 1009


class WorkerFailed(SkridError):
    """The worker process died during a job (killed, out of memory); the next job starts a new
    one, and a purge is retried by the scheduler."""

    code = "worker_failed"
    status = 503
    close_code = 1011


class PadFull(SkridError):
    """An update would take the pad past `max_document_bytes`: refused whole, nothing stored."""

    code = "pad_full"
    status = 413
    close_code = 4413


class RateLimited(SkridError):
    code = "rate_limited"
    status = 429
    close_code = 1008


class AwarenessTooLarge(SkridError):
    """An awareness frame with more entries than `max_awareness_entries`, or a state longer
    than `max_awareness_state_bytes`: refused before the states are decoded."""

    code = "awareness_too_large"
    status = 413
    close_code = 1009


class TooManyAwarenessIds(SkridError):
    """A socket announcing more awareness client ids than `max_awareness_ids_per_socket` (a
    browser tab announces one)."""

    code = "too_many_awareness_ids"
    status = 429
    close_code = 1008


class StoredStateUnreadable(SkridError):
    """A pad's stored state does not load: it is refused, never served or saved as empty."""

    code = "stored_state_unreadable"
    status = 500
    close_code = 1011


class StoreFailed(SkridError):
    code = "store_failed"
    status = 503
    close_code = 1011


class StoreFull(StoreFailed):
    """The disk is full: the write was rolled back whole; it succeeds again once space returns."""

    code = "disk_full"


class DatabaseGone(StoreFailed):
    """The database file was removed or replaced under the server, or is missing at start."""

    code = "database_gone"


class PadFrozen(StoreFailed):
    """An update to a pad whose purge has begun: refused (the purge's copy is the pad's last)."""

    code = "pad_frozen"
    status = 409
    close_code = 4409


class StoreUnavailable(StoreFailed):
    """The database server cannot be reached (at start, or gone during a session): nothing
    was written; the store reconnects when it answers again."""

    code = "store_unavailable"


class DatabaseReadOnly(StoreFailed):
    """A database file was made read-only or immutable under the server: nothing is written,
    and nothing is read either (a read writes to the shared-memory file too)."""

    code = "database_read_only"


class InvalidText(InvalidFields):
    """A text field holds characters that are refused as typed: a lone surrogate (not text at
    all: it cannot be stored or sent as UTF-8), a control character (NUL, a line break), or a
    bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069), which makes a title
    display in another order than it reads."""

    code = "invalid_text"


class TimeOutOfRange(InvalidFields):
    """A time that parses but lies outside the years the server schedules in."""

    code = "time_out_of_range"


class UnsupportedMediaType(SkridError):
    """A body that is not declared `application/json` where JSON is required: a form or a text
    body is what another site's page can send without asking (no CORS preflight)."""

    code = "unsupported_media_type"
    status = 415
    close_code = 1003


class FanoutUnavailable(SkridError):
    """Redis, through which several processes relay each other's updates, cannot be reached."""

    code = "fanout_unavailable"
    status = 503
