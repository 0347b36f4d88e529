"""CPU-bound work off the event loop, within a time bound.

An assessment is pure Python: run on the event loop it would stop the worker answering anything
else (/healthz included) until it ends. Here it runs on one of a few threads of the worker
process, and the loop only waits for it, at most `seconds`. Past the bound the client is told
(`Overtime`, a 503) and the work is stopped: the thread gets `Overtime` raised in it at its next
Python instruction (CPython's PyThreadState_SetAsyncExc), so a runaway request does not keep a
core busy after its client has been answered. Work inside C code (DuckDB) stops when control
returns to Python; its own bounds must cover it.

A thread that was interrupted is never reused: the interruption could otherwise land after its
task had ended, in the next one. It retires and a fresh thread takes its place.

Work that leaves something behind (a screen's folder) says how to clear it up with `after`: called
on the loop once the work has certainly ended, with whether its result went to the caller. The
work itself cannot: the interruption may land in its own clean-up, and a result finished after
the caller was answered 503 goes to no one.
"""

from __future__ import annotations

import asyncio
import ctypes
import queue
import threading


class Overtime(Exception):
    """Raised in a worker thread, and to the caller, when work runs past its time bound."""

    def __init__(self, seconds: float = 0.0):
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


class _Task:
    def __init__(self, fn, args, loop: asyncio.AbstractEventLoop, after=None):
        self.fn, self.args, self.loop, self.after = fn, args, loop, after
        self.future = loop.create_future()
        self.lock = threading.Lock()
        self.thread: _Worker | None = None
        self.finished = False
        self.settled = False   # on the loop

    def settle(self, outcome, failed: bool) -> None:
        def set_it():
            if self.settled:
                return
            self.settled = True
            delivered = not self.future.done()
            if delivered:
                if failed:
                    self.future.set_exception(outcome)
                else:
                    self.future.set_result(outcome)
            if self.after is not None:
                self.after(delivered and not failed)
        try:
            if not self.loop.is_running():   # stopped: a callback would never run
                raise RuntimeError("the loop has stopped")
            self.loop.call_soon_threadsafe(set_it)
        except RuntimeError:   # the server has stopped (a stopped work ending after it): no one waits
            if self.after is not None:
                self.after(False)


class _Worker(threading.Thread):
    def __init__(self, pool: "Pool"):
        super().__init__(name="hegui-work", daemon=True)
        self.pool = pool
        self.retired = False

    def run(self) -> None:
        try:
            while not self.retired:
                self._do(self.pool.tasks.get())
        except Overtime:   # the interruption of a retired thread, arriving as its task ended
            pass

    def _do(self, task: _Task) -> None:
        # The stop lands at most once in a thread (it retires), anywhere from the moment it
        # names the thread as the task's: wherever it lands, one handler below takes it and the
        # task is still settled, so its `after` runs.
        outcome, failed = None, True
        try:
            try:
                with task.lock:
                    begun = not task.future.done()   # not past its bound, nor its request cancelled
                    if begun:
                        task.thread = self
                if begun:
                    outcome, failed = task.fn(*task.args), False
            except BaseException as e:   # Overtime included: the caller has been answered already
                outcome, failed = e, True
        except Overtime as e:   # the stop, landing in the handler above
            outcome, failed = e, True
        while True:
            try:
                with task.lock:   # once finished, the stop is not sent
                    task.finished = True
                break
            except Overtime:   # the stop, landing after the work had ended
                continue
        task.settle(outcome, failed)


class Pool:
    """`threads` worker threads; `run` gives each call at most `seconds`."""

    def __init__(self, threads: int, seconds: float):
        if threads < 1 or seconds <= 0:
            raise ValueError("a work pool needs at least one thread and a positive time bound")
        self.seconds = seconds
        self.tasks: queue.SimpleQueue[_Task] = queue.SimpleQueue()
        for _ in range(threads):
            _Worker(self).start()

    async def run(self, fn, *args, after=None):
        """fn(*args) on a worker thread; Overtime when it (with its wait in the queue) passes the bound.
        after(delivered), if given, is called on the loop once fn has ended or will never start.
        (A timer on the loop, not asyncio.wait_for: that wraps the wait in two more futures and a
        task's worth of callbacks, which cost more than the hop itself on a short request.)"""
        loop = asyncio.get_running_loop()
        task = _Task(fn, args, loop, after)
        timer = loop.call_later(self.seconds, self._stop, task)
        self.tasks.put(task)
        try:
            return await task.future
        finally:
            timer.cancel()

    def _stop(self, task: _Task) -> None:
        """On the loop, at the bound: answer Overtime, and stop the work if a thread has begun it."""
        with task.lock:
            if task.future.done():
                return
            task.future.set_exception(Overtime(self.seconds))   # still queued: no thread will start it
            if task.thread is None or task.finished:
                return
            task.thread.retired = True
            _Worker(self).start()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(task.thread.ident), ctypes.py_object(Overtime))
