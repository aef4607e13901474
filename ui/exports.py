"""Files users download or put in a committee pack: tables for French Excel (CSV, XLSX), charts as
PNG / SVG (through kaleido, which drives a local Chrome or Chromium) and self-contained HTML.

Pure Python (no Streamlit): the dashboard's buttons and `maillage pack` build the same files.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from warehouse.safe_text import neutralise_chart_markup, neutralise_frame

# A projected slide: 16:9, drawn at 1600 × 900 and rendered at twice that resolution.
SLIDE_WIDTH = 1600
SLIDE_HEIGHT = 900
PNG_SCALE = 2
CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class StaticExportUnavailable(RuntimeError):
    """No Chrome/Chromium to render static images: HTML export still works."""


def csv_bytes(df: pd.DataFrame, lang: str = "fr") -> bytes:
    """CSV that Excel opens correctly: in French `;`-separated with decimal commas; UTF-8 with BOM.
    Text that a spreadsheet would run as a formula is neutralised (warehouse.safe_text)."""
    safe = neutralise_frame(df)
    text = safe.to_csv(sep=";", decimal=",", index=False) if lang == "fr" else safe.to_csv(sep=",", index=False)
    return ("\ufeff" + text).encode("utf-8")


def safe_figure(fig: go.Figure) -> go.Figure:
    """``fig`` (changed in place) with every text plotly draws — names, hovers, ticks, categories,
    legends, annotations — neutralised (warehouse.safe_text.neutralise_chart_markup): a name from
    a user's file never becomes a link or a style in the chart, its images or its HTML. Every figure
    the dashboard shows or exports passes here. The layout's ``meta`` is not drawn: kept as it is."""
    for trace in fig.data:
        for key, value in trace.to_plotly_json().items():
            changed, clean = _neutralised(value)
            if changed:
                trace[key] = clean
    for key, value in fig.layout.to_plotly_json().items():
        if key != "meta":
            changed, clean = _neutralised(value)
            if changed:
                fig.layout[key] = clean
    return fig


def _neutralised(value: Any) -> tuple[bool, Any]:
    """(whether anything changed, ``value`` with its strings neutralised) for a plotly property."""
    if isinstance(value, str):
        clean = neutralise_chart_markup(value)
        return clean != value, clean
    if isinstance(value, dict):
        items = {k: _neutralised(v) for k, v in value.items()}
        if any(changed for changed, _v in items.values()):
            return True, {k: v for k, (_c, v) in items.items()}
        return False, value
    if isinstance(value, list | tuple):
        parts = [_neutralised(v) for v in value]
        if any(changed for changed, _v in parts):
            return True, [v for _c, v in parts]
        return False, value
    if isinstance(value, np.ndarray) and value.dtype == object:
        return _neutralised(value.tolist())
    return False, value


def html_bytes(fig: go.Figure) -> bytes:
    """The interactive chart as one HTML file that works offline (plotly.js embedded)."""
    fig = safe_figure(fig)
    return fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}).encode("utf-8")


# --- static images -----------------------------------------------------------------------------


def chrome_path() -> str | None:
    """The browser kaleido will use: $BROWSER_PATH, else a Chrome/Chromium on the PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.exists(env) else None
    for name in CHROME_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def static_export_help(lang: str = "fr") -> str:
    if lang == "en":
        return (
            "PNG and SVG export needs Chrome or Chromium on this computer (Debian/Ubuntu: "
            "`sudo apt install chromium`; elsewhere install Google Chrome, or point the BROWSER_PATH "
            "environment variable to it). HTML export works without it."
        )
    return (
        "L'export PNG et SVG a besoin de Chrome ou Chromium sur cet ordinateur (Debian/Ubuntu : "
        "`sudo apt install chromium` ; ailleurs, installez Google Chrome ou indiquez son chemin dans la "
        "variable d'environnement BROWSER_PATH). L'export HTML fonctionne sans."
    )


_SERVER_LOCK = threading.Lock()
_server_started = False


def _ensure_server() -> None:
    """Start kaleido's sync server once per process (≈ 0.3 s per image instead of ≈ 3 s)."""
    global _server_started
    with _SERVER_LOCK:
        if _server_started:
            return
        if chrome_path() is None:
            raise StaticExportUnavailable(static_export_help("en"))
        import kaleido

        if os.environ.get("BROWSER_PATH") is None:
            os.environ["BROWSER_PATH"] = chrome_path() or ""
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _server_started = True


def stop_image_server() -> None:
    global _server_started
    with _SERVER_LOCK:
        if _server_started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False


@contextlib.contextmanager
def image_server() -> Iterator[None]:
    """Keep one browser for a batch of images (the pack), and close it afterwards."""
    _ensure_server()
    try:
        yield
    finally:
        stop_image_server()


def figure_metadata(fig: go.Figure) -> dict[str, str]:
    """The title and description an exported image carries: the chart's title, and its caption
    (n, source, filters, date) as plain text."""
    import re

    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    caption = str(meta.get("caption", "")).replace("<br>", " ")
    return {"title": str(meta.get("title", "")), "description": re.sub(r"<[^>]+>", "", caption).strip()}


def _png_text_chunk(keyword: str, text: str, lang: str) -> bytes:
    """A PNG iTXt chunk (UTF-8 text, uncompressed): `Title` and `Description` are the keywords
    image viewers and screen readers know (PNG specification, 11.3.4.2)."""
    import struct
    import zlib

    body = keyword.encode("latin-1") + b"\0\0\0" + lang.encode("ascii") + b"\0\0" + text.encode("utf-8")
    return struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))


def with_metadata(data: bytes, fmt: str, metadata: Mapping[str, str] | None, lang: str = "fr") -> bytes:
    """The image with its title and description: PNG iTXt chunks after the header, SVG <title> and
    <desc> as the first children of <svg> (role="img", named by them)."""
    if not metadata or not any(metadata.values()):
        return data
    title, description = metadata.get("title", ""), metadata.get("description", "")
    if fmt == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        end = 8 + 8 + 13 + 4  # signature, IHDR length/type, IHDR data, CRC
        chunks = b"".join(_png_text_chunk(k, v, lang) for k, v in (("Title", title), ("Description", description))
                          if v)
        return data[:end] + chunks + data[end:]
    if fmt == "svg":
        from xml.sax.saxutils import escape

        text = data.decode("utf-8")
        start = text.find("<svg")
        close = text.find(">", start)
        if start < 0 or close < 0:
            return data
        head = text[start:close]
        extra = ' role="img" aria-labelledby="maillage-title maillage-desc"' if "role=" not in head else ""
        inner = (f'<title id="maillage-title">{escape(title)}</title>'
                 f'<desc id="maillage-desc">{escape(description)}</desc>')
        return (text[:close] + extra + ">" + inner + text[close + 1:]).encode("utf-8")
    return data


def image_bytes(
    fig: go.Figure, fmt: str = "png", width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT, scale: float | None = None
) -> bytes:
    """The chart as PNG (16:9, 3200 × 1800 by default) or SVG, drawn at slide size, with its title
    and description (:func:`with_metadata`)."""
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unknown image format {fmt!r}")
    _ensure_server()
    import kaleido

    slide = go.Figure(safe_figure(fig))
    slide.update_layout(width=width, height=height, autosize=False)
    opts = {
        "format": fmt,
        "width": width,
        "height": height,
        "scale": scale if scale is not None else (PNG_SCALE if fmt == "png" else 1),
    }
    try:
        data: bytes = kaleido.calc_fig_sync(slide, opts=opts)
    except Exception as exc:  # choreographer raises its own types when the browser fails
        raise StaticExportUnavailable(f"{static_export_help('en')} ({type(exc).__name__}: {exc})") from exc
    return with_metadata(data, fmt, figure_metadata(fig))


def _figure_dict(fig: go.Figure, width: int, height: int) -> dict[str, object]:
    """The figure as a plain dict at slide size (copying a go.Figure re-validates every trace)."""
    spec = safe_figure(fig).to_dict()
    layout = dict(spec.get("layout", {}))
    layout.update(width=width, height=height, autosize=False)
    spec["layout"] = layout
    return spec


class ImageSession:
    """One browser (kaleido, `tabs` tabs) started in its own thread as soon as it is created — its
    start is most of the cost of a few pictures — that draws batches of figures until closed."""

    def __init__(self, tabs: int = 2) -> None:
        import asyncio

        if chrome_path() is None:
            raise StaticExportUnavailable(static_export_help("en"))
        if os.environ.get("BROWSER_PATH") is None:
            os.environ["BROWSER_PATH"] = chrome_path() or ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._kaleido: Any = None
        self._ready = asyncio.run_coroutine_threadsafe(self._open(tabs), self._loop)

    async def _open(self, tabs: int) -> None:
        import kaleido

        self._kaleido = kaleido.Kaleido(n=tabs, mathjax=False)
        await self._kaleido.__aenter__()

    def draw(self, jobs: list[tuple[go.Figure, str]], width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT,
             progress: Callable[[int, int], None] | None = None,
             metadata: list[Mapping[str, str]] | None = None) -> list[bytes]:
        import asyncio

        specs = [(_figure_dict(fig, width, height),
                  {"format": fmt, "width": width, "height": height, "scale": PNG_SCALE if fmt == "png" else 1})
                 for fig, fmt in jobs]
        done = [0]

        async def one(spec: dict[str, object], opts: dict[str, object]) -> bytes:
            data: bytes = await self._kaleido.calc_fig(spec, opts=opts)
            done[0] += 1
            return data

        async def render() -> list[bytes]:
            return list(await asyncio.gather(*(one(spec, opts) for spec, opts in specs)))

        try:
            self._ready.result()
            future = asyncio.run_coroutine_threadsafe(render(), self._loop)
            while True:
                try:
                    drawn = future.result(timeout=0.25)
                    break
                except TimeoutError:
                    if progress is not None:
                        progress(done[0], len(specs))
        except StaticExportUnavailable:
            raise
        except Exception as exc:  # choreographer raises its own types when the browser fails
            raise StaticExportUnavailable(f"{static_export_help('en')} ({type(exc).__name__}: {exc})") from exc
        metas = metadata or [figure_metadata(fig) for fig, _ in jobs]
        return [with_metadata(d, fmt, m) for d, (_, fmt), m in zip(drawn, jobs, metas, strict=True)]

    def close(self) -> None:
        import asyncio

        try:
            if self._kaleido is not None:
                asyncio.run_coroutine_threadsafe(self._kaleido.__aexit__(None, None, None), self._loop).result(30)
        except Exception:
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)


def images_batch(jobs: list[tuple[go.Figure, str]], width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT,
                 tabs: int = 2, progress: Callable[[int, int], None] | None = None,
                 metadata: list[Mapping[str, str]] | None = None) -> list[bytes]:
    """Render many (figure, "png" | "svg") at once in one browser with `tabs` tabs working in
    parallel: same files as :func:`image_bytes`. `progress(done, total)` is called from the
    calling thread while the images are drawn; `metadata` gives each image's title and
    description (default: from the figure)."""
    if not jobs:
        return []
    session = ImageSession(tabs)
    try:
        return session.draw(jobs, width, height, progress, metadata)
    finally:
        session.close()


# --- XLSX --------------------------------------------------------------------------------------

HEADER_FILL = "1F4E79"
PERCENT_HINTS = ("share", "rate", "retention", "coverage", "density", "reciprocity", "jaccard", "part", "taux")
INTEGER_HINTS = ("n", "count", "ties", "nodes", "actions", "respondents", "target_n", "degree", "rows")


def _number_format(column: str, series: pd.Series) -> str | None:
    name = column.lower()
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series) or name in INTEGER_HINTS or name.startswith("n_"):
        return "#,##0"
    if pd.api.types.is_float_dtype(series):
        if any(h in name for h in PERCENT_HINTS) and series.dropna().between(0, 1).all():
            return "0.0%"
        if name.startswith("p_") or name in ("p", "p_holm"):
            return "0.0000"
        return "0.00"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "dd/mm/yyyy"
    return None


def _clean(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:  # NaN → empty cell
        return None
    if isinstance(value, list | tuple | set | dict):
        return ", ".join(map(str, value)) if not isinstance(value, dict) else str(value)
    if value is pd.NaT:
        return None
    return value


def _as_text(cells: Any) -> None:
    """Text cells stay text: openpyxl stores a string starting with "=" as a formula."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame], notes: Mapping[str, str] | None = None,
               formats: Mapping[str, Mapping[str, str]] | None = None, lang: str = "fr") -> bytes:
    """A workbook with one sheet per table: typed cells, the header row an Excel table's header
    (so that screen readers announce each cell's column; also bold, frozen and repeated on every
    printed page), column widths from the content, number formats (integers, decimals,
    percentages, dates; `formats[sheet][column]` chooses one). `notes` adds a line under a sheet's
    table (source, suppression...)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for index, (raw_name, df) in enumerate(sheets.items(), start=1):
        name = _sheet_name(raw_name, used)
        ws = wb.create_sheet(name)
        columns = _unique_headers([str(c) for c in df.columns])
        ws.append(columns)
        _as_text(ws[1])
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in df.itertuples(index=False, name=None):
            ws.append([_clean(v) for v in row])
            _as_text(ws[ws.max_row])
        chosen = (formats or {}).get(raw_name, {})
        for j, column in enumerate(df.columns, start=1):
            fmt = chosen.get(str(column)) or _number_format(str(column), df[column])
            letter = get_column_letter(j)
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
            width = max([len(str(column))] + [len(str(v)) for v in df[column].head(200).tolist()])
            ws.column_dimensions[letter].width = min(max(10, width + 2), 60)
        if columns:
            last = get_column_letter(len(columns))
            table = Table(displayName=f"Tableau{index}", ref=f"A1:{last}{max(ws.max_row, 2)}")
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
            ws.add_table(table)
            ws.print_title_rows = "1:1"
        ws.freeze_panes = "B2" if len(columns) > 1 else "A2"
        if notes and raw_name in notes:
            ws.append([])
            ws.append([])
            ws.append([notes[raw_name]])
            ws.cell(ws.max_row, 1).font = Font(italic=True, color="5F6B7A")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _unique_headers(names: list[str]) -> list[str]:
    """Excel table headers: non-empty and unique."""
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        candidate = name.strip() or f"Colonne {i}"
        k = 2
        while candidate.lower() in {o.lower() for o in out}:
            candidate = f"{name} ({k})"
            k += 1
        out.append(candidate)
    return out


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: ≤ 31 characters, none of []:*?/\\, unique."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Feuille"
    candidate, i = clean, 2
    while candidate.lower() in used:
        suffix = f" ({i})"
        candidate = clean[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate.lower())
    return candidate
