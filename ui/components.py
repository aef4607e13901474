"""Streamlit pieces shared by the pages: charts with their downloads, KPI cards, tables, empty
states, the page header."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import exports
from ui import figures_overview as overview
from ui.i18n import t
from ui.style import figure_summary, figure_table
from warehouse.safe_text import escape_markdown


def slug(text: str) -> str:
    """A download's file name from a chart or table title: its words, accents kept
    (« Évolution des scores » → évolution-des-scores), nothing a file system refuses."""
    words = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", text).lower()).replace("_", "-")
    return re.sub(r"-{2,}", "-", words).strip("-")[:60].strip("-") or "maillage"


# The frame's one script (st.html runs it in the page itself): the page's language on <html>, the
# sidebar navigation's list markup (Streamlit 1.67 puts its sections, <div>s, inside one <ul>), a
# visible focus outline on everything the keyboard reaches (Streamlit shows none on its navigation
# links and text fields), and
# `lang="en"` on the few words Streamlit draws in English whatever the page's language (the file
# uploader's "Drag and drop file here", "Browse files", "Limit 200MB per file"). It runs again on every
# change of the page (a MutationObserver), since Streamlit redraws these parts.
_ENGLISH_ONLY = ", ".join([
    '[data-testid="stFileUploaderDropzoneInstructions"]',
    '[data-testid="stFileUploaderDropzone"] button',
    '[data-testid="stBaseButton-minimal"][aria-label="Show password text"]',
])
_PAGE_SCRIPT = """<div id="maillage-page" data-lang="%(lang)s" hidden></div>
<style>.stElementContainer:has(#maillage-page){display:none}
:focus-visible{outline:2px solid #0b6e99 !important;outline-offset:2px !important}</style>
<script>
(function () {
  window.__maillageLang = "%(lang)s";
  if (window.__maillageFix) { window.__maillageFix(); return; }
  const english = %(english)s;
  const fix = function () {
    const lang = window.__maillageLang;
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    document.querySelectorAll('ul[data-testid="stSidebarNavItems"]').forEach(function (ul) {
      const sections = Array.from(ul.children).filter(function (c) { return c.tagName !== "LI"; });
      if (!sections.length) return;
      if (ul.getAttribute("role") !== "none") ul.setAttribute("role", "none");
      sections.forEach(function (s) { if (s.getAttribute("role") !== "list") s.setAttribute("role", "list"); });
    });
    document.querySelectorAll(english).forEach(function (e) {
      if (lang === "en") { if (e.hasAttribute("lang")) e.removeAttribute("lang"); }
      else if (e.getAttribute("lang") !== "en") e.setAttribute("lang", "en");
    });
  };
  let queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () { queued = false; fix(); });
  }).observe(document.body, {childList: true, subtree: true});
  window.__maillageFix = fix;
  fix();
})();
</script>"""


_SCROLL_SCRIPT = """<div id="maillage-scroll" hidden></div>
<style>.stElementContainer:has(#maillage-scroll){display:none}</style>
<script>
(function () {
  const anchor = %(anchor)s;
  let tries = 0, seen = 0;
  const timer = window.setInterval(function () {
    const target = document.getElementById(anchor);
    tries += 1;
    if (target) {
      target.scrollIntoView({block: "start"});
      seen += 1;
    }
    if (seen >= 6 || tries > 120) window.clearInterval(timer);
  }, 250);
})();
</script>"""


def scroll_to_section() -> None:
    """Open the page at the section `?s=` names (a headline card's "see the detail" link): the
    heading with that anchor is scrolled to once the page has drawn (again a few times while the
    charts above it take their height). The parameter then leaves the address."""
    anchor = st.query_params.get("s")
    if not anchor or not re.fullmatch(r"[a-z0-9-]{1,40}", str(anchor)):
        return
    del st.query_params["s"]
    st.html(_SCROLL_SCRIPT % {"anchor": json.dumps(str(anchor))}, unsafe_allow_javascript=True)


def page_language(lang: str) -> None:
    """Tell the browser the page's language (`<html lang>`, RGAA 8.3) and mend Streamlit's markup
    where it is cheap and safe (docs/accessibility.md)."""
    st.html(_PAGE_SCRIPT % {"lang": "en" if lang == "en" else "fr", "english": json.dumps(_ENGLISH_ONLY)},
            unsafe_allow_javascript=True)


def header(title: str, question: str) -> None:
    """Page title and the question the page answers."""
    st.title(title)
    st.caption(question)


def _safe_image(fig: go.Figure, fmt: str) -> bytes:
    try:
        return exports.image_bytes(fig, fmt)
    except exports.StaticExportUnavailable as exc:
        return str(exc).encode("utf-8")


def chart(fig: go.Figure, key: str, lang: str, summary: str | None = None,
          on_select: Callable[[], None] | None = None) -> None:
    """A chart, its text alternative, then its downloads: PNG (16:9, for slides), SVG and HTML.

    The text alternative (RGAA 1.3, WCAG 1.1.1) is the chart's summary — `summary`, else the one
    read from the figure (`ui.style.figure_summary`) — as its accessible name, and, in an expander
    under it, the same sentence and the chart's data as a table with its own downloads. Files are
    made only when a button is clicked (callables), so drawing a page stays fast. With `on_select`, a
    click on a point calls it (before the page runs again): see :func:`selected_ids`."""
    fig = exports.safe_figure(fig)
    text = summary or figure_summary(fig, lang)
    if on_select is None:
        st.plotly_chart(fig, key=f"chart-{key}", config={"displaylogo": False}, theme=None, alt=text)
    else:  # clicking a point runs on_select before the page (it reads selected_ids(key))
        st.plotly_chart(fig, key=f"chart-{key}", config={"displaylogo": False}, theme=None, alt=text,
                        on_select=on_select, selection_mode="points")
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    name = slug(str(meta.get("title", key)))
    with st.expander(t("chart.alt.expander", lang), icon=":material/table_view:"):
        st.markdown(escape_markdown(text))
        frame = figure_table(fig, lang)
        if len(frame):
            table(frame, f"alt-{key}", lang, name=f"{name}-donnees" if lang == "fr" else f"{name}-data")
    static_ok = exports.chrome_path() is not None
    help_text = None if static_ok else exports.static_export_help(lang)
    row = st.container(horizontal=True, gap="small")
    for fmt, mime, icon in (("png", "image/png", ":material/image:"), ("svg", "image/svg+xml", ":material/draw:")):
        row.download_button(
            t(f"export.{fmt}", lang),
            functools.partial(_safe_image, fig, fmt),
            file_name=f"{name}.{fmt}",
            mime=mime,
            key=f"dl-{fmt}-{key}",
            icon=icon,
            disabled=not static_ok,
            help=help_text,
            on_click="ignore",
        )
    row.download_button(
        t("export.html", lang),
        lambda: exports.html_bytes(fig),
        file_name=f"{name}.html",
        mime="text/html",
        key=f"dl-html-{key}",
        icon=":material/code:",
        on_click="ignore",
    )


def selected_ids(key: str) -> list[str]:
    """The customdata (ids) of the points selected in the chart drawn by :func:`chart` under `key`."""
    state = st.session_state.get(f"chart-{key}")
    points = state.get("selection", {}).get("points", []) if isinstance(state, Mapping) else []
    out: list[str] = []
    for point in points:
        value = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if value is not None:
            out.append(str(value))
    return out


def table(df: pd.DataFrame, key: str, lang: str, name: str | None = None,
          column_config: dict[str, Any] | None = None) -> None:
    """A table, then its downloads: CSV for French Excel (`;`, decimal comma, BOM) and XLSX.

    Columns are wide enough for their header (Streamlit sizes them by their values and cuts a
    longer header: "Hau…")."""
    config = {**header_widths(df), **(column_config or {})}
    st.dataframe(df, hide_index=True, key=f"table-{key}", column_config=config)
    file_name = slug(name or key)
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        t("export.csv", lang),
        lambda: exports.csv_bytes(df, lang),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=f"dl-csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        t("export.xlsx", lang),
        lambda: exports.xlsx_bytes({name or key: df}),
        file_name=f"{file_name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl-xlsx-{key}",
        icon=":material/table:",
        on_click="ignore",
    )


HEADER_CHAR_PX = 8.2  # a 14 px header character, with the sort icon's room
HEADER_PADDING_PX = 34


def header_widths(df: pd.DataFrame) -> dict[str, Any]:
    """A width for every column whose header is longer than its values would make it."""
    out: dict[str, Any] = {}
    for column in df.columns:
        header = str(column)
        values = df[column].astype(str).str.len()
        longest_value = int(values.max()) if len(values) else 0
        if len(header) > longest_value:
            out[header] = st.column_config.Column(width=int(len(header) * HEADER_CHAR_PX + HEADER_PADDING_PX))
    return out


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def kpi(
    column: st.delta_generator.DeltaGenerator,
    label: str,
    value: str,
    delta: str | None = None,
    help_text: str | None = None,
    good_if_up: bool = True,
    *,
    beyond_noise: bool = True,
    arrow: Literal["auto", "up", "down", "off"] = "auto",
    chart_data: list[float] | None = None,
    delta_description: str | None = None,
) -> None:
    """A KPI card. A change within noise is grey; `arrow` ("up", "down", "off", "auto") is given
    explicitly because Streamlit reads a typographic minus (−) as positive."""
    colour: Literal["normal", "inverse", "off"] = ("normal" if good_if_up else "inverse") if beyond_noise else "off"
    column.metric(
        label, value, delta=delta, help=help_text, delta_color=colour, border=True, chart_data=chart_data,
        delta_description=delta_description, delta_arrow=arrow,
    )


def metric_card(column: Any, card: overview.Card, lang: str = "fr", waves: Sequence[str] = (),
                link: dict[str, Any] | None = None) -> None:
    """Draw a card: st.metric (delta coloured only when the change is beyond noise, and its words
    say whether it is favourable), a sparkline of the selected waves with its values as text, and a
    link to the page and section behind the indicator."""
    with column.container(border=True):
        st.metric(
            card.label,
            card.value,
            delta=card.delta,
            delta_color=cast(Any, card.delta_color),
            delta_arrow=cast(Any, card.delta_arrow),
            delta_description=card.delta_description,
            help=card.help,
        )
        if len(card.chart_data) > 1:
            spec = overview.sparkline_spec(card, waves, lang)
            st.vega_lite_chart({k: v for k, v in spec.items() if k != "description"}, theme=None, height=40,
                               alt=spec["description"])
        # a practice scale without its own entry: the practice page
        target = overview.DETAIL.get(card.indicator, overview.DETAIL["network_practice"])
        if target is not None and link is not None:
            path, page_key, anchor = target
            st.page_link(path, label=t("ov.detail", lang), icon=":material/arrow_forward:",
                         query_params={**link, "s": anchor},
                         help=t("ov.detail_help", lang, page=t(f"page.{page_key}", lang)))


def model_section(
    table_frame: pd.DataFrame,
    sentences: list[str],
    notes: list[str],
    key: str,
    lang: str,
    name: str,
    help_text: str = "",
) -> None:
    """The repeated-measures model's block of a page: one sentence per scale (the change with its
    interval), the fallback sentences (which estimate is shown and why), the table and what the
    ICCs mean."""
    if sentences:
        st.markdown("\n".join(f"- {escape_markdown(s)}" for s in sentences))
    for note in notes:
        st.caption(escape_markdown(note))
    if len(table_frame):
        table(table_frame, key, lang, name=name)
    if help_text:
        st.caption(help_text)
