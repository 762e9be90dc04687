"""Token buckets: per connection for frames, per client address for pad creation and failed
key checks (generous bursts: a whole webinar audience may sit behind one NAT).

The client address is the socket's peer, unless the peer is a proxy named in `trusted_proxies`
(then uvicorn reads it from `X-Forwarded-For`): believing that header from anyone let one client
create pads as 3,000 addresses, or lock another address out."""

from __future__ import annotations

import logging
import time

from .access import KeyHashes, Role, role_for
from .errors import TooMany, Unauthorized
from .settings import Settings

log = logging.getLogger("skrid.limits")


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> bool:
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def empty(self) -> bool:
        self._refill()
        return self.tokens < 1

    def wait_seconds(self) -> float:
        return max(0.0, (1 - self.tokens) / self.rate)


class KeyedLimiter:
    """One bucket per key (a client address). Full buckets are dropped, so memory follows the
    addresses that are currently over their pace, not every address ever seen."""

    def __init__(self, per_minute: float, burst: int, what: str) -> None:
        self.rate = per_minute / 60
        self.burst = burst
        self.what = what
        self.buckets: dict[str, TokenBucket] = {}

    def _bucket(self, key: str) -> TokenBucket:
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = TokenBucket(self.rate, self.burst)
        return bucket

    def check(self, key: str) -> None:
        """Raise TooMany, with the wait, when `key` has used its budget."""
        bucket = self.buckets.get(key)
        if bucket is not None and bucket.empty():
            raise TooMany(f"too many {self.what}; try again later", bucket.wait_seconds())

    def spend(self, key: str) -> None:
        bucket = self._bucket(key)
        bucket.take()
        if bucket.empty():
            log.info("a client address has used its budget of %s", self.what)
        self._prune()

    def take(self, key: str) -> None:
        """check() then spend(): for actions that always count."""
        self.check(key)
        self.spend(key)

    def _prune(self) -> None:
        if len(self.buckets) > 10_000:
            for key in [k for k, b in self.buckets.items() if b.tokens >= b.capacity - 1]:
                del self.buckets[key]


class Limits:
    """The per-address limits of the HTTP API and the sockets, from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.pads = KeyedLimiter(settings.pads_per_minute, settings.pad_burst, "new pads")
        self.failed_keys = KeyedLimiter(
            settings.failed_keys_per_minute, settings.failed_key_burst, "wrong keys"
        )

    def check_key(self, address: str, key: str | None, hashes: KeyHashes) -> Role:
        """The key's role. A correct key always passes, even from an address over its budget of
        wrong keys: that budget slows guessing, and refusing the right key too let anyone who
        shares the host's address (a NAT, a proxy) lock the host out of its own pad by sending
        wrong keys. Letting it through gives a guesser nothing: a wrong key is still refused,
        with 429 instead of 401 once the address is over its budget."""
        try:
            return role_for(key, hashes)
        except Unauthorized:
            self.failed_keys.take(address)
            raise
