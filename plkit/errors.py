"""Errors whose message is safe to show a teacher."""

from __future__ import annotations


class PlkitError(ValueError):
    """A problem the user can act on: a short ``code`` and a plain-language ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


class ContentError(PlkitError):
    """A content file (such as the framework) is missing or malformed."""


class WorkFileError(PlkitError):
    """A work file cannot be read, or does not fit the framework in use."""
