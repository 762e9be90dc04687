"""Settings: defaults, SKRID_* variables, overrides, refusals with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.max_frame_bytes == 4 * 1024 * 1024
    assert settings.max_clients_per_pad == 500
    assert settings.port == 8000


def test_environment_then_overrides() -> None:
    env = {"SKRID_PORT": "9000", "SKRID_MAX_CLIENTS_PER_PAD": "50", "SKRID_DB": "/tmp/x.db"}
    settings = Settings.from_env(env, port=9100, db=None)
    assert (settings.port, settings.max_clients_per_pad, settings.db) == (9100, 50, "/tmp/x.db")
    assert Settings.from_env({"SKRID_MAX_FRAMES_PER_SECOND": "2.5"}).max_frames_per_second == 2.5
    assert Settings.from_env({"SKRID_WS_COMPRESSION": "yes"}).ws_compression is True
    assert Settings.from_env({"SKRID_WS_COMPRESSION": "off"}).ws_compression is False


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"SKRID_PORT": "huit"}, "SKRID_PORT"),
        ({"SKRID_MAX_FRAME_BYTES": "0"}, "SKRID_MAX_FRAME_BYTES"),
        ({"SKRID_ROOM_IDLE_SECONDS": "-0.5"}, "SKRID_ROOM_IDLE_SECONDS must be zero or more"),
        ({"SKRID_SQLITE_SYNCHRONOUS": "sometimes"}, "SKRID_SQLITE_SYNCHRONOUS"),
        ({"SKRID_WS_COMPRESSION": "peut-être"}, "SKRID_WS_COMPRESSION"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env)


def test_rooms_unload_at_once_unless_a_delay_is_set() -> None:
    assert Settings.from_env({}).room_idle_seconds == 0
    assert Settings.from_env({"SKRID_ROOM_IDLE_SECONDS": "0"}).room_idle_seconds == 0
    assert Settings.from_env({"SKRID_ROOM_IDLE_SECONDS": "30"}).room_idle_seconds == 30


def test_every_setting_is_documented() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for name, _default, help_text in Settings.describe():
        assert help_text, name
        assert f"`SKRID_{name.upper()}`" in readme, f"README lacks SKRID_{name.upper()}"
