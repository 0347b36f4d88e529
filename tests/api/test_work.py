"""The work pool's `after`: what a piece of work leaves behind is cleared once the work has ended,
whether its result went to the caller, came too late, or the work never began."""

import asyncio
import threading
import time

import pytest

from hegui.api.work import Overtime, Pool
from serving import run_async


async def _settle(calls: list, count: int = 1, seconds: float = 30.0):
    """Give the loop time to run the settling callbacks the pool's threads posted to it."""
    deadline = time.monotonic() + seconds
    while len(calls) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def _afters_of_stopped(fn):
    """What `after` was called with for fn on a pool that stops it at 50 ms (its caller answered Overtime)."""
    calls = []
    pool = Pool(1, 0.05)
    with pytest.raises(Overtime):
        await pool.run(fn, after=calls.append)
    await _settle(calls)
    return calls


def test_a_result_handed_to_the_caller_is_after_true():
    async def main():
        calls = []
        pool = Pool(1, 10.0)
        assert await pool.run(lambda: 42, after=calls.append) == 42
        await _settle(calls)
        return calls
    assert run_async(main()) == [True]


def test_a_failure_handed_to_the_caller_is_after_false():
    async def main():
        calls = []
        pool = Pool(1, 10.0)
        with pytest.raises(ZeroDivisionError):
            await pool.run(lambda: 1 / 0, after=calls.append)
        await _settle(calls)
        return calls
    assert run_async(main()) == [False]


def test_work_stopped_at_its_bound_is_after_false_once_it_has_ended():
    ended = threading.Event()

    def spin():
        try:
            while True:
                pass
        finally:
            ended.set()

    assert run_async(_afters_of_stopped(spin)) == [False]
    assert ended.is_set()


def test_a_result_finished_after_the_caller_was_answered_is_after_false():
    """The stop arrives in code that swallows it (as it might arrive in a clean-up): the work
    ends with a result no one will read, so its `after` must clear it."""
    def stubborn():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                while time.monotonic() < deadline:
                    pass
            except Overtime:
                return "too late"
        return "never stopped"

    assert run_async(_afters_of_stopped(stubborn)) == [False]


def test_work_whose_request_was_cancelled_before_it_began_is_after_false():
    release = threading.Event()
    ran = []

    async def main():
        calls = []
        pool = Pool(1, 30.0)
        busy = asyncio.ensure_future(pool.run(release.wait, 30))   # the one thread is taken
        queued = asyncio.ensure_future(pool.run(ran.append, "ran", after=calls.append))
        await asyncio.sleep(0.05)
        queued.cancel()   # its client went away while it waited
        release.set()
        assert await busy is True
        await _settle(calls)
        return calls
    assert run_async(main()) == [False]
    assert ran == []
