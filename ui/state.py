"""The sidebar filters shared by every page: kept across pages and in the page address (so a
view can be shared as a link), returned as an `indicators.filters.Filters`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators.filters import Filters
from ui import data
from ui.i18n import t

LEVELS = ("strategic", "operational")


@dataclass(frozen=True)
class Selection:
    """What the user chose: the filters, and the pair of waves to compare."""

    filters: Filters
    waves: tuple[str, ...]  # every wave in the chosen range, in order
    wave_a: str | None
    wave_b: str | None
    lang: str


def lang() -> str:
    """The interface language: the sidebar choice, else the `lang` URL parameter, else French."""
    value = st.session_state.get("lang") or st.query_params.get("lang") or "fr"
    return "en" if value == "en" else "fr"


def wave_list() -> list[str]:
    return list(data.sql("SELECT wave_id FROM waves ORDER BY wave_order")["wave_id"])


def _territories() -> list[str]:
    frame = data.sql(
        "SELECT DISTINCT territory FROM (SELECT territory FROM institutions UNION ALL "
        "SELECT territory FROM respondents) WHERE territory IS NOT NULL ORDER BY 1"
    )
    return list(frame["territory"])


def _sectors() -> pd.DataFrame:
    return data.sql("SELECT sector_id, label_fr, label_en FROM sectors ORDER BY sort_order")


def _roles() -> pd.DataFrame:
    return data.sql(
        "SELECT DISTINCT r.role, coalesce(any_value(l.label_fr), r.role) AS label_fr, "
        "coalesce(any_value(l.label_en), r.role) AS label_en FROM respondents r "
        "LEFT JOIN response_labels l ON l.code = r.role AND l.instrument = r.instrument "
        "WHERE r.role IS NOT NULL GROUP BY r.role ORDER BY 2"
    )


def group_labels(dimension: str, language: str) -> dict[str, str]:
    """Display labels of the values of a grouping column (sector_id, role, level; territories
    are their own labels)."""
    if dimension == "sector_id":
        return _label_func(_sectors(), "sector_id", language)
    if dimension == "role":
        return _label_func(_roles(), "role", language)
    if dimension == "level":
        return {v: t(f"level.{v}", language) for v in LEVELS}
    return {}


def _label_func(frame: pd.DataFrame, key: str, language: str) -> dict[str, str]:
    column = "label_en" if language == "en" else "label_fr"
    return dict(zip(frame[key], frame[column], strict=True))


def sidebar(language: str) -> Selection:
    """Draw the filters in the sidebar and return the selection."""
    sb = st.sidebar
    sb.segmented_control(
        t("filters.language", language),
        ["fr", "en"],
        default="fr",
        key="lang",
        format_func=lambda x: {"fr": "Français", "en": "English"}[x],
        bind="query-params",
    )
    waves = wave_list()
    if not waves:
        return Selection(Filters(), (), None, None, language)
    sb.subheader(t("filters.title", language))
    chosen: tuple[str, ...] = tuple(waves)
    if len(waves) > 1:
        first, last = sb.select_slider(
            t("filters.waves", language),
            options=waves,
            value=(waves[0], waves[-1]),
            key="waves",
            bind="query-params",
        )
        chosen = tuple(waves[waves.index(first) : waves.index(last) + 1])
    wave_a = wave_b = None
    if len(chosen) > 1:
        cols = sb.columns(2)
        wave_a = cols[0].selectbox(
            t("filters.wave_a", language), chosen, index=len(chosen) - 2, key="a", bind="query-params"
        )
        wave_b = cols[1].selectbox(
            t("filters.wave_b", language), chosen, index=len(chosen) - 1, key="b", bind="query-params"
        )
    territories = sb.multiselect(
        t("filters.territory", language),
        _territories(),
        key="terr",
        placeholder=t("filters.all", language),
        bind="query-params",
    )
    sectors = _sectors()
    sector_labels = _label_func(sectors, "sector_id", language)
    chosen_sectors = sb.multiselect(
        t("filters.sector", language),
        list(sectors["sector_id"]),
        key="sect",
        format_func=lambda s: sector_labels.get(s, s),
        placeholder=t("filters.all", language),
        bind="query-params",
    )
    roles = _roles()
    role_labels = _label_func(roles, "role", language)
    chosen_roles = sb.multiselect(
        t("filters.role", language),
        list(roles["role"]),
        key="role",
        format_func=lambda r: role_labels.get(r, r),
        placeholder=t("filters.all", language),
        bind="query-params",
    )
    level = sb.segmented_control(
        t("filters.level", language),
        list(LEVELS),
        key="level",
        format_func=lambda v: t(f"level.{v}", language),
        bind="query-params",
    )
    filters = Filters(
        waves=chosen,
        territories=_chosen(territories, _territories()),
        sectors=_chosen(chosen_sectors, list(sectors["sector_id"])),
        roles=_chosen(chosen_roles, list(roles["role"])),
        levels=(level,) if level else None,
    )
    if any(v is not None for v in (filters.territories, filters.sectors, filters.roles, filters.levels)):
        sb.caption(t("filters.privacy", language, n=filters.min_group_size))
    sb.caption(t("filters.share", language))
    selection = Selection(filters, chosen, wave_a, wave_b, language)
    st.session_state["_selection"] = selection
    return selection


def _chosen(values: list[str], options: list[str]) -> tuple[str, ...] | None:
    """A multi-select's choice as a filter: none or every option chosen means no filter (so that
    choosing every territory by hand gives the figures of "all territories")."""
    if not values or set(values) >= set(options):
        return None
    return tuple(values)


def selection() -> Selection:
    """The selection made by the sidebar in this run (pages call this)."""
    value = st.session_state.get("_selection")
    if isinstance(value, Selection):
        return value
    return Selection(Filters(), (), None, None, lang())


def filters_text(sel: Selection) -> str:
    """A short description of the active filters (with their labels), for figure footers and exports."""
    parts = []
    if sel.waves:
        parts.append(f"{t('filters.waves', sel.lang)} {sel.waves[0]}–{sel.waves[-1]}")
    f = sel.filters
    sep = " : " if sel.lang == "fr" else ": "
    for key, values, dimension in (("filters.territory", f.territories, "territory"),
                                   ("filters.sector", f.sectors, "sector_id"),
                                   ("filters.role", f.roles, "role"), ("filters.level", f.levels, "level")):
        if values:
            labels = group_labels(dimension, sel.lang)
            parts.append(f"{t(key, sel.lang)}{sep}{', '.join(labels.get(v, v) for v in values)}")
    return " · ".join(parts)
