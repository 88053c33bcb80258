"""Helpers for tests of reading folders: a smallest valid work file, and a guard against hanging
on a pipe or reading a device without end."""

import contextlib
import resource
import signal

MINIMAL = b'{"format": "plkit-work", "version": 4}'  # a valid, empty work file
SPARE_MEMORY = 1_000_000_000  # bytes the guarded code may take beyond what the process has


class Hung(Exception):
    """Not an OSError, so code under test that catches OSError cannot hide it."""


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


@contextlib.contextmanager
def no_hang(seconds: int = 10):
    """Fail, instead of waiting for ever or filling the memory, if the code inside blocks (on a
    pipe, say) for more than ``seconds`` or reads without end (from /dev/zero, say)."""

    def give_up(*_):
        raise Hung("blocked: something waited on a pipe or read without end")

    previous = signal.signal(signal.SIGALRM, give_up)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + SPARE_MEMORY
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def ascii_failures():
    """Report any exception inside as an AssertionError in ASCII: a message holding a file name
    that is not UTF-8 (lone surrogates) would otherwise break pytest-xdist's report of it."""
    try:
        yield
    except Exception as exc:
        raise AssertionError(ascii(f"{type(exc).__name__}: {exc}")) from None
