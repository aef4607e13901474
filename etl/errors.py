"""Errors the user can act on. The CLI prints their message (no traceback) and exits non-zero.

The message (``str(exc)``) is English, for the command line; ``exc.message_fr`` holds the same
paragraph in French for the dashboard (where it names the page's field as well as the CLI option).
"""

from __future__ import annotations

from typing import Any


class MaillageError(Exception):
    """A user mistake or an environment problem, with a message that says what to do."""

    exit_code = 1

    def __init__(self, message: str = "", *, message_fr: str | None = None) -> None:
        super().__init__(message)
        self.message_fr = message if message_fr is None else message_fr

    def text(self, lang: str) -> str:
        """The message in `lang` ("fr": French, else English)."""
        return self.message_fr if lang == "fr" else str(self)


class CodebookError(MaillageError):
    """A codebook (surveys/*.toml) is malformed."""

    exit_code = 3


class FileRefused(MaillageError):
    """A problem at the level of the whole file: nothing is loaded."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Any] | None = None, *, message_fr: str | None = None) -> None:
        super().__init__(message, message_fr=message_fr)
        self.problems = problems or []


class WarehouseError(MaillageError):
    """The warehouse cannot be opened, is busy or was built with another pseudonymisation key."""

    exit_code = 4
