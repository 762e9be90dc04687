"""The Node peers (peer.mjs) against the app served on a loopback port: every mode and outcome
that tests rely on."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.live import InProcessServer, node_peers

TYPED = "Contact : anne@example.org 🙂"


async def test_typing_reaches_the_server(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    status, result = await node_peers(socket_server, pad, "--type", TYPED, "--delay", "5")
    assert status == 0, result
    assert result == {"texts": [TYPED], "server": TYPED, "synced": True, "lifecycle": []}
    assert await socket_server.read_text(pad) == TYPED


async def test_clients_of_one_process_converge_through_the_server(
    socket_server: InProcessServer,
) -> None:
    pad = await socket_server.create_pad()
    args = ("--clients", "4", "--ops", "30", "--seed", "7")
    status, result = await node_peers(socket_server, pad, *args)
    assert status == 0, result
    server_text = await socket_server.read_text(pad)
    assert server_text
    assert result["texts"] == [server_text] * 4
    assert result["server"] == server_text


async def test_read_reports_the_text_without_editing(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    await node_peers(socket_server, pad, "--type", "demat")
    status, result = await node_peers(socket_server, pad, "--read", role="view")
    assert status == 0, result
    assert result["texts"] == ["demat"]


async def test_refused_socket_ends_the_run(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    wrong_key = {"id": pad["id"], "edit_key": "x" * 43}
    status, result = await node_peers(socket_server, wrong_key, "--read")
    assert (status, result["error"], result["code"]) == (2, "closed", 4401)
    unknown_pad = {"id": "nopad", "edit_key": pad["edit_key"]}
    status, result = await node_peers(socket_server, unknown_pad, "--read")
    assert (status, result["code"]) == (2, 4404)


async def test_view_key_edits_stay_local(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    status, result = await node_peers(socket_server, pad, "--type", "abc", "--local", role="view")
    assert status == 0, result
    assert (result["texts"], result["server"]) == (["abc"], "")
    assert await socket_server.read_text(pad) == ""


async def test_without_local_a_refused_edit_times_out(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    args = ("--type", "abc", "--timeout", "2")
    status, result = await node_peers(socket_server, pad, *args, role="view")
    assert (status, result["error"], result["synced"]) == (1, "timeout", False)
    assert (result["texts"], result["server"]) == (["abc"], "")


async def test_offline_client_comes_back_with_its_old_state(
    socket_server: InProcessServer, tmp_path: Path
) -> None:
    pad = await socket_server.create_pad()
    state = tmp_path / "state.bin"
    await node_peers(socket_server, pad, "--type", "notes ", "--save-state", str(state))
    async with socket_server.peer(pad) as other:
        await other.edit(lambda text: text.__delitem__(slice(0, len(str(text)))))
        await other.insert(0, "nouveau")
        await other.wait_text("nouveau")
    status, result = await node_peers(socket_server, pad, "--read", "--load-state", str(state))
    assert status == 0, result
    assert result["texts"] == ["nouveau"]
    assert await socket_server.read_text(pad) == "nouveau"


async def test_lifecycle_news_is_reported(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    typing = asyncio.create_task(
        node_peers(socket_server, pad, "--type", "abcdefghij", "--delay", "300", "--local")
    )
    while not await socket_server.read_text(pad):
        await asyncio.sleep(0.02)
    response = await socket_server.client.post(
        f"/api/pads/{pad['id']}/close",
        headers={"Authorization": f"Bearer {pad['host_key']}"},
    )
    assert response.status_code == 200, response.text
    status, result = await typing
    assert status == 0, result
    assert result["lifecycle"][-1] == {"state": "closed", "writable": False}
    assert result["texts"] == ["abcdefghij"]
    assert len(result["server"]) < len("abcdefghij")


async def test_bad_usage_is_a_json_error(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    status, result = await node_peers(socket_server, pad, "--read", "--type", "x")
    assert (status, result["error"]) == (64, "usage")
