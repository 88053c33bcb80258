"""Files from outside the kit: read only ordinary files, never more than a limit; names shown safely."""

from __future__ import annotations

import os
import stat
import tempfile
import unicodedata
from pathlib import Path

from plkit.errors import PlkitError

MAX_SHOWN_NAME = 120  # characters of a file name shown; longer ones are cut with "…"
# Characters that reorder or hide the text around them (bidirectional controls).
_HIDDEN = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class FileProblem(PlkitError):
    """A file that was not read; ``message`` is a clause without the file's name, e.g. "it is a folder"."""


def read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of an ordinary file of at most ``limit`` bytes; never more than that is read.

    Named pipes, devices and sockets are refused without being read (opening does not wait for
    a pipe's writer), and the size is checked before reading, so nothing waits or reads without end.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FileProblem("file-missing", "the file was not found") from None
    except IsADirectoryError:
        raise FileProblem("file-folder", "it is a folder, not a file") from None
    except OSError as exc:
        raise FileProblem(
            "file-unreadable", f"it could not be read ({exc.strerror or exc})"
        ) from None
    except ValueError:  # a path holding a NUL character
        raise FileProblem("file-missing", "the file was not found") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("file-folder", "it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(
                "file-not-regular",
                "it is not an ordinary file (it is a named pipe or a device)",
            )
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks, size = [], 0
        while size <= limit:  # an ordinary file gives all it has in one read; a growing one, more
            # Ask for what the file holds (and a byte more, to see it end), not for the whole
            # limit: a buffer of the limit's size would be made for every small file.
            wanted = min(limit + 1 - size, max(info.st_size + 1 - size, 64 * 1024))
            chunk = os.read(fd, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise FileProblem(
            "file-unreadable", f"it could not be read ({exc.strerror or exc})"
        ) from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew while being read
        raise _too_large(len(raw), limit)
    return raw


def _too_large(size: int, limit: int) -> FileProblem:
    return FileProblem(
        "file-too-large", f"it is too large ({_megabytes(size)}; at most {_megabytes(limit)})"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def display_name(name: str | bytes | os.PathLike) -> str:
    """A file name (or path) as text safe to print or show anywhere.

    Bytes that are not UTF-8 (kept by Python as lone surrogates) become U+FFFD; control
    characters, line separators and bidirectional controls are left out; very long names are cut.
    """
    text = os.fsdecode(name)
    if text.isascii() and text.isprintable() and 0 < len(text) <= MAX_SHOWN_NAME:
        return text  # the usual name: nothing to replace
    shown = []
    for char in text:
        kind = unicodedata.category(char)
        if kind == "Cs":
            shown.append("\ufffd")
        elif kind not in ("Cc", "Zl", "Zp") and char not in _HIDDEN:
            shown.append(char)
    result = "".join(shown)
    if len(result) > MAX_SHOWN_NAME:
        result = result[: MAX_SHOWN_NAME - 1] + "…"
    return result or "(a file with no printable name)"


def shown_file_name(path: str | os.PathLike) -> str:
    """The last part of a path, safe to show."""
    return display_name(Path(os.fsdecode(path)).name or os.fsdecode(path))


def write_atomic(path: str | os.PathLike, data: bytes, *, prefix: str = ".plkit-", suffix: str = ".tmp",
                 sync: bool = True) -> Path:
    """Write ``data`` to ``path`` whole or not at all: a temporary file beside it (flushed and
    synced to disk unless ``sync`` is False), then a rename. ``OSError`` leaves no temporary file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
