"""Coroutines started at once, with a task only once they wait (`server.eager`)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from server import eager


async def test_a_coroutine_that_never_waits_runs_to_its_end_in_the_call_with_no_task() -> None:
    done: list[str] = []

    async def quick() -> None:
        done.append("sent")

    tasks = asyncio.all_tasks()
    assert eager.start(quick(), name="quick") is None
    assert done == ["sent"]
    assert asyncio.all_tasks() == tasks


async def test_a_coroutine_that_waits_goes_on_in_a_task_with_what_it_awaited() -> None:
    steps: list[object] = []
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def waits() -> None:
        steps.append("before")
        steps.append(await ready)
        await asyncio.sleep(0)
        steps.append("after")

    task = eager.start(waits(), name="waits")
    assert steps == ["before"]
    assert isinstance(task, asyncio.Task)
    assert task.get_name() == "waits"
    ready.set_result("ready")
    await task
    assert steps == ["before", "ready", "after"]


@pytest.mark.parametrize("turns_first", [0, 1])
async def test_cancelling_the_task_cancels_the_coroutine_where_it_waits(turns_first: int) -> None:
    """Whether the task has taken its first step or not: the coroutine gets the cancellation."""
    cleaned: list[bool] = []
    never: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def stuck() -> None:
        try:
            await never
        finally:
            cleaned.append(True)

    task = eager.start(stuck(), name="stuck")
    assert task is not None
    for _ in range(turns_first):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned == [True]


async def test_an_exception_ends_in_the_future_whether_raised_before_or_after_a_wait() -> None:
    async def fails_at_once() -> None:
        raise OSError("gone")

    async def fails_later() -> None:
        await asyncio.sleep(0)
        raise OSError("gone later")

    failed = eager.start(fails_at_once(), name="at once")
    assert failed is not None and failed.done()
    with pytest.raises(OSError, match="gone"):
        failed.result()
    later = eager.start(fails_later(), name="later")
    assert later is not None
    with pytest.raises(OSError, match="gone later"):
        await later


async def test_an_exception_thrown_in_while_it_waits_can_be_handled_by_the_coroutine() -> None:
    outcome: list[str] = []
    failing: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def recovers() -> None:
        try:
            await failing
        except ConnectionError:
            outcome.append("handled")
        await asyncio.sleep(0)
        outcome.append("went on")

    task = eager.start(recovers(), name="recovers")
    assert task is not None
    failing.set_exception(ConnectionError())
    await task
    assert outcome == ["handled", "went on"]


def test_the_back_port_is_only_for_python_3_11() -> None:
    """From 3.12 on, asyncio's own eager tasks do this: replace `eager.start` with them."""
    assert sys.version_info[:2] == (3, 11), "use asyncio.Task(..., eager_start=True) instead"
