"""The worker process: jobs run in another process, and a dead worker fails its job clearly
and is replaced."""

from __future__ import annotations

import os
import signal

import pytest

from server.errors import WorkerFailed
from server.worker import Worker


def pid_of_worker() -> int:
    return os.getpid()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def test_jobs_run_in_one_other_process_that_stays() -> None:
    worker = Worker()
    try:
        first = await worker.run(pid_of_worker)
        assert first != os.getpid()
        assert await worker.run(pid_of_worker) == first
    finally:
        worker.close()


async def test_a_worker_that_dies_fails_its_job_and_the_next_job_gets_a_new_one() -> None:
    worker = Worker()
    try:
        before = await worker.run(pid_of_worker)
        with pytest.raises(WorkerFailed, match="died"):
            await worker.run(die)
        after = await worker.run(pid_of_worker)
        assert after not in (before, os.getpid())
    finally:
        worker.close()
