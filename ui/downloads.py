"""Files a user downloads are served once, then forgotten.

Streamlit keeps each generated download (a CSV, an XLSX, a chart image, the committee pack) in
memory under `/media/<id>` until no session refers to it; anyone holding that address could fetch
it meanwhile, signed in or not. Here the in-memory media store forgets a *download* as soon as the
browser that clicked has fetched it: Streamlit's page fetches the address twice (a check, then the
download itself), so a download is handed out at most twice and for at most a minute after it was
made; any later request for the same address gets "404 not found". Images shown in the page (not
downloads) are untouched.

What remains (docs/access.md): the address of a download is a 128-bit hash of its content, so it
cannot be guessed, and it is valid only for the clicking browser's two requests.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

_LOG = logging.getLogger(__name__)
_MARK = "_maillage_serves_downloads_once"
DELIVERIES = 2  # Streamlit's page checks the address, then downloads it
MAX_AGE_SECONDS = 60.0


def serve_each_download_once() -> bool:
    """Patch Streamlit's in-memory media store (once per process). Returns whether it is active."""
    try:
        from streamlit.runtime.media_file_storage import MediaFileKind
        from streamlit.runtime.memory_media_file_storage import (
            MemoryMediaFileStorage,
            get_extension_for_mimetype,
        )
    except ImportError:  # a Streamlit without this store: downloads keep Streamlit's own lifetime
        _LOG.warning("one-time downloads unavailable in this Streamlit version")
        return False
    if getattr(MemoryMediaFileStorage, _MARK, False):
        return True
    keep_file = MemoryMediaFileStorage.get_file
    keep_load = MemoryMediaFileStorage.load_and_get_id
    lock = threading.Lock()
    made: dict[str, float] = {}  # file id → when the download was made
    served: dict[str, int] = {}  # file id → times handed out

    def load_and_get_id(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        file_id = str(keep_load(self, path_or_data, mimetype, kind, filename))
        if kind == MediaFileKind.DOWNLOADABLE:
            with lock:
                made[file_id], served[file_id] = time.monotonic(), 0
        return file_id

    def get_file(self: Any, filename: str) -> Any:
        file_id = os.path.splitext(filename)[0]
        found = keep_file(self, filename)
        if found.kind != MediaFileKind.DOWNLOADABLE:
            return found
        with lock:
            served[file_id] = served.get(file_id, 0) + 1
            expired = time.monotonic() - made.get(file_id, 0.0) > MAX_AGE_SECONDS
            last = served[file_id] >= DELIVERIES or expired
            if last:
                made.pop(file_id, None)
                served.pop(file_id, None)
                self.delete_file(file_id)
        if expired:
            return keep_file(self, filename)  # deleted above: raises "no media file"
        return found

    def get_url(self: Any, file_id: str) -> str:
        found = keep_file(self, file_id)  # building the address is not a download
        return f"{self._media_endpoint}/{file_id}{get_extension_for_mimetype(found.mimetype)}"

    MemoryMediaFileStorage.load_and_get_id = load_and_get_id  # type: ignore[method-assign]
    MemoryMediaFileStorage.get_file = get_file  # type: ignore[method-assign]
    MemoryMediaFileStorage.get_url = get_url  # type: ignore[method-assign]
    setattr(MemoryMediaFileStorage, _MARK, True)
    return True
