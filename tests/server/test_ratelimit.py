"""Per-address limits, the app served in process on a loopback port (uvicorn with the options of
`skrid serve`): the address is the socket's peer unless the peer is a proxy named in
`trusted_proxies`, and a correct key is never refused for wrong ones."""

from __future__ import annotations

import httpx
import pytest

from server.settings import Settings, SettingsError
from tests.live import AppFactory, InProcessServer


async def create(server: InProcessServer, forwarded_for: str, source: str = "127.0.0.1") -> int:
    transport = httpx.AsyncHTTPTransport(local_address=source)
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.post(
            f"{server.url}/api/pads",
            json={"title": "Webinaire"},
            headers={"X-Forwarded-For": forwarded_for},
        )
    return response.status_code


async def test_forwarded_for_is_not_believed_by_default(
    socket_server_factory: AppFactory,
) -> None:
    """The burst of new pads is the socket's, however many addresses a header claims."""
    server = await socket_server_factory(pad_burst=3, pads_per_minute=1)
    statuses = [await create(server, f"203.0.113.{n}") for n in range(4)]
    assert statuses == [201, 201, 201, 429]


async def test_forwarded_for_from_a_trusted_proxy(socket_server_factory: AppFactory) -> None:
    """From a named proxy each forwarded client has its own budget; from any other peer the
    header is ignored."""
    server = await socket_server_factory(
        pad_burst=1, pads_per_minute=1, trusted_proxies="127.0.0.1"
    )
    assert await create(server, "203.0.113.1") == 201
    assert await create(server, "203.0.113.2") == 201
    assert await create(server, "203.0.113.1") == 429
    assert await create(server, "198.51.100.1", source="127.0.0.2") == 201
    assert await create(server, "198.51.100.2", source="127.0.0.2") == 429


async def test_a_correct_key_passes_an_address_locked_out(
    socket_server_factory: AppFactory,
) -> None:
    """At the burst of wrong keys: 401 up to it, 429 past it; the right key, over HTTP and over
    the pad's socket, still opens the pad, and does not reopen the door to wrong keys."""
    server = await socket_server_factory(failed_key_burst=3, failed_keys_per_minute=1)
    pad = await server.create_pad()
    url = f"/api/pads/{pad['id']}"
    wrong = [(await server.client.get(url, params={"k": "w" * 32})).status_code for _ in range(4)]
    assert wrong == [401, 401, 401, 429]
    host = await server.client.get(url, headers={"Authorization": f"Bearer {pad['host_key']}"})
    assert host.status_code == 200
    assert host.json()["role"] == "host"
    async with server.peer(pad, "edit") as peer:
        await peer.insert(0, "encore là")
    assert (await server.client.get(url, params={"k": "w" * 32})).status_code == 429
    assert "used its budget of wrong keys" in server.log()


@pytest.mark.parametrize("value", ["127.0.0.1", "10.0.0.0/8, ::1", "*", ""])
def test_trusted_proxies_values(value: str) -> None:
    assert Settings.from_env({"SKRID_TRUSTED_PROXIES": value}).trusted_proxies == value


def test_a_bad_trusted_proxy_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="SKRID_TRUSTED_PROXIES"):
        Settings.from_env({"SKRID_TRUSTED_PROXIES": "proxy.example.org"})
