"""Errors the user can act on. The CLI prints their message (no traceback) and exits non-zero."""

from __future__ import annotations

from typing import Any


class MaillageError(Exception):
    """A user mistake or an environment problem, with a message that says what to do."""

    exit_code = 1


class CodebookError(MaillageError):
    """A codebook (surveys/*.toml) is malformed."""

    exit_code = 3


class FileRefused(MaillageError):
    """A problem at the level of the whole file: nothing is loaded."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Any] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class WarehouseError(MaillageError):
    """The warehouse cannot be opened, is busy or was built with another pseudonymisation key."""

    exit_code = 4
