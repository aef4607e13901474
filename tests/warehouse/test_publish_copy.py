"""The copy a load builds its new state in is the live file's content and never writes into it."""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.db import copy_file


def test_the_copy_holds_the_same_bytes_and_changing_it_leaves_the_live_file_alone(tmp_path: Path) -> None:
    live, copy = tmp_path / "live.duckdb", tmp_path / "copy.duckdb"
    content = os.urandom(3 * 1024 * 1024 + 17)  # a few blocks and a partial one
    live.write_bytes(content)
    copy_file(live, copy)
    assert copy.read_bytes() == content
    with copy.open("r+b") as fh:
        fh.seek(4096)
        fh.write(b"changed by the load")
    assert live.read_bytes() == content
