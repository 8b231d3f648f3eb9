"""Reading an uploaded file within a hard time and memory budget (issue #20, item 2).

``run(parse, *args)`` calls ``parse(*args)`` in a child process whose address space and CPU
time are capped (``resource.setrlimit``), and waits for it at most ``IMPORT_PARSE_SECONDS``
of wall-clock time. The child returns the parsed rows (anything picklable) or the exception
it raised; a file that takes longer or needs more memory gives ``OverBudget``, whose message
names the limit. Only reading and checking run there: the caller writes to the database, in
its own request, from what comes back.

Why a forked child (the ``fork`` start method) rather than ``forkserver`` or ``spawn``: the
child is a copy of the request's process, so it already has the app, its configuration, the
request's language (messages come back translated) and every module imported; it starts in
milliseconds, and the parse function and its arguments need not be picklable. Forking is
safe here because gunicorn's workers are sync workers (one thread per process,
``gunicorn.conf.py``), and the child never touches the database connections it inherits: it
leaves through ``os._exit`` (multiprocessing's fork path), which closes their sockets without
a word to the server. ``forkserver`` would start from a bare interpreter that must rebuild
the app for every import, and the test client's threads would not change that choice.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from flask_babel import gettext as _

T = TypeVar("T")
MB = 1024 * 1024
DEFAULT_SECONDS = 10.0
DEFAULT_MEGABYTES = 512
_CONTEXT = multiprocessing.get_context("fork")


class OverBudget(ValueError):
    """Reading the file passed the time or memory budget; the message names the limit."""


def limits() -> tuple[float, int]:
    """The configured budget: wall-clock seconds and megabytes of memory."""
    config = current_app.config
    return (float(config.get("IMPORT_PARSE_SECONDS") or DEFAULT_SECONDS),
            int(config.get("IMPORT_PARSE_MEMORY_MB") or DEFAULT_MEGABYTES))


def _address_space() -> int | None:
    """This process's address space in bytes now (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return None


def _cap(seconds: float, megabytes: int) -> None:
    """In the child: cap its CPU time and the memory it may add to what it was forked with.

    A forked child starts with its parent's whole address space (the app, the request), so
    the cap is that size plus the budget: the budget is what reading the file may add."""
    # Behind every request: a file being read must not take the CPU from public pages.
    os.nice(10)
    cpu = math.ceil(seconds) + 1  # the wall clock (in the parent) normally stops it first
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a child killed for CPU dumps no core
    now = _address_space()
    if now is not None:
        cap = now + megabytes * MB
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _child(writer: Any, seconds: float, megabytes: int, parse: Callable[..., Any],
           args: tuple) -> None:
    try:
        _cap(seconds, megabytes)
        outcome: tuple[str, Any] = ("ok", parse(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:  # the parse function's own refusal goes back to the caller
        outcome = ("raised", exc)
    try:
        writer.send(outcome)
    except MemoryError:
        writer.send(("memory", None))
    except Exception as exc:  # e.g. an exception that cannot be pickled
        writer.send(("raised", RuntimeError(f"{type(exc).__name__}: {str(exc)[:200]}")))


def _too_slow(seconds: float) -> OverBudget:
    return OverBudget(_("the file took longer than %(n)s s to read", n=f"{seconds:g}"))


def _too_big(megabytes: int) -> OverBudget:
    return OverBudget(_("reading the file needed more than %(n)s MB of memory", n=megabytes))


def run(parse: Callable[..., T], *args: Any, seconds: float | None = None,
        megabytes: int | None = None) -> T:
    """``parse(*args)`` within the budget (default: the configured one).

    Returns what it returned; raises what it raised (``OverBudget`` when a limit was passed).
    ``parse`` must not use the database: the child's connections are the request's."""
    configured = limits()
    seconds = configured[0] if seconds is None else seconds
    megabytes = configured[1] if megabytes is None else megabytes
    reader, writer = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(writer, seconds, megabytes, parse, args),
                             daemon=True)
    child.start()
    writer.close()  # ours: so that a child that dies without answering reads as EOF
    answered = False
    try:
        if not reader.poll(seconds):
            raise _too_slow(seconds)
        try:
            kind, value = reader.recv()
            answered = True
        except (EOFError, OSError):  # died without an answer: killed by a limit
            child.join(1)
            if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                raise _too_slow(seconds) from None
            raise _too_big(megabytes) from None
    finally:
        reader.close()
        if not answered and child.is_alive():
            child.kill()
            child.join(1)
        # An answered child is only exiting: not waited for (the next start reaps it).
        child.join(0)
    if kind == "memory":
        raise _too_big(megabytes)
    if kind == "raised":
        raise value
    return value

