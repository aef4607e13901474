"""The sidebar filters shared by every page: kept across pages and in the page address (so a
view can be shared as a link), returned as an `indicators.filters.Filters`.

The address holds ids, never display labels, so a link opens the same view in either language:
`?lang=en&waves=2024-2..2026-1&a=2025-1&b=2026-1&terr=Plateau+des+Sources&sect=education&role=teacher
&level=strategic`. It is read once, when a browser tab opens the dashboard (a shared link, a
reload), and written back after every run from the widgets' state. A value the warehouse does not
know (`terr=nonexistent`, `a=1999-1`, `lang=de`) is dropped and the page says, in its language,
what was ignored and what is shown instead (`url_notes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from indicators.filters import Filters
from ui import data
from ui.i18n import LANGS, t

LEVELS = ("strategic", "operational")
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
# The address's keys: language, then the filters (ids only).
URL_KEYS = ("lang", "waves", "a", "b", "terr", "sect", "role", "level")
_SEEDED = "_url_seeded"  # the address has been read for this browser tab
_NOTES = "_url_notes"  # what the address asked and was ignored: [(text key, values)]
_PENDING = "_url_pending"  # filter values from the address, waiting for the sidebar's options
_WAVES_DEFAULT = "_waves_default"  # the wave range the slider starts from


@dataclass(frozen=True)
class Selection:
    """What the user chose: the filters, and the pair of waves to compare."""

    filters: Filters
    waves: tuple[str, ...]  # every wave in the chosen range, in order
    wave_a: str | None
    wave_b: str | None
    lang: str


# --------------------------------------------------------------------------- the address


def _url_values(key: str) -> list[str]:
    """Every value of `key` in the address (repeated keys give several)."""
    try:
        return [str(v) for v in st.query_params.get_all(key)]
    except Exception:  # outside a script run (tests of pure functions)
        return []


def _seed_from_address() -> None:
    """Once per browser tab: the language from the address (right away: the frame needs it) and
    the filters (kept until the sidebar knows the warehouse's waves, territories, sectors…)."""
    if st.session_state.get(_SEEDED):
        return
    st.session_state[_SEEDED] = True
    asked = _url_values("lang")
    value = asked[-1].strip().lower() if asked else ""
    if value in LANGS:
        st.session_state["lang"] = value
    else:
        st.session_state["lang"] = "fr"
        if asked:
            add_url_note("url.ignored.lang", value=asked[-1])
    st.session_state[_PENDING] = {key: _url_values(key) for key in URL_KEYS[1:] if _url_values(key)}


def add_url_note(key: str, **values: Any) -> None:
    """Remember that the address asked something that is not shown (said on the page opened)."""
    notes = st.session_state.setdefault(_NOTES, [])
    if (key, values) not in notes:
        notes.append((key, values))


def url_notes(language: str) -> list[str]:
    """What the address asked and was ignored, in `language` (read once: the next run is quiet)."""
    notes = st.session_state.pop(_NOTES, [])
    return [t(key, language, **values) for key, values in notes]


def lang() -> str:
    """The interface language: the sidebar choice, else the `lang` URL parameter, else French."""
    _seed_from_address()
    value = st.session_state.get("lang")
    return "en" if value == "en" else "fr"


def _write_address(params: dict[str, list[str]]) -> None:
    """The address as the widgets are now: ids only, defaults left out (a short link)."""
    current = {k: _url_values(k) for k in URL_KEYS}
    wanted = {k: v for k, v in params.items() if v}
    if {k: v for k, v in current.items() if v} == wanted:
        return
    for key in URL_KEYS:
        if key in wanted:
            st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


# --------------------------------------------------------------------------- the warehouse's values


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


# --------------------------------------------------------------------------- address → widgets


def _apply_pending(waves: list[str], territories: list[str], sectors: list[str], roles: list[str]) -> None:
    """The filters the address asked for, checked against the warehouse: what it knows goes into
    the widgets, the rest is noted (and so leaves the address)."""
    pending: dict[str, list[str]] = st.session_state.pop(_PENDING, {})
    if not pending:
        return
    if "waves" in pending:
        _seed_waves(pending["waves"], waves)
    for key in ("a", "b"):
        if key in pending:
            value = pending[key][-1]
            if value in waves:
                st.session_state[key] = value
            else:
                add_url_note(f"url.ignored.{key}", value=value)
    for key, options, dimension in (("terr", territories, "territory"), ("sect", sectors, "sector"),
                                    ("role", roles, "role")):
        if key not in pending:
            continue
        known = [v for v in dict.fromkeys(pending[key]) if v in options]
        unknown = [v for v in pending[key] if v not in options]
        st.session_state[key] = known
        if unknown:
            add_url_note(f"url.ignored.{dimension}.{'known' if known else 'all'}", value=", ".join(unknown))
    if "level" in pending:
        value = pending["level"][-1]
        if value in LEVELS:
            st.session_state["level"] = value
        else:
            add_url_note("url.ignored.level", value=value)


def _seed_waves(asked: list[str], waves: list[str]) -> None:
    """`waves=2024-2..2026-1` (or `waves=2024-2&waves=2026-1`, or one wave)."""
    parts = asked[0].split("..") if len(asked) == 1 else asked[:2]
    first, last = (parts[0], parts[-1]) if parts else ("", "")
    if first in waves and last in waves and len(waves) > 1:
        i, j = sorted((waves.index(first), waves.index(last)))
        st.session_state[_WAVES_DEFAULT] = (waves[i], waves[j])
    else:
        add_url_note("url.ignored.waves", value="..".join(asked))


def _keep_known(key: str, options: Sequence[str], multi: bool = False) -> None:
    """A widget's value that is no longer an option (another warehouse opened) is forgotten."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if multi:
        st.session_state[key] = [v for v in (value or []) if v in options]
    elif value is not None and value not in options:
        del st.session_state[key]


# --------------------------------------------------------------------------- the sidebar


def language_switch(language: str) -> None:
    """Français / English: the value is an id (fr, en), kept in the address."""
    st.sidebar.segmented_control(
        t("filters.language", language),
        list(LANGS),
        key="lang",
        required=True,
        format_func=lambda x: LANGUAGE_NAMES[x],
    )


def sidebar(language: str) -> Selection:
    """Draw the filters in the sidebar and return the selection."""
    sb = st.sidebar
    language_switch(language)
    waves = wave_list()
    territories = _territories()
    sectors = _sectors()
    roles = _roles()
    sector_ids = list(sectors["sector_id"])
    role_codes = list(roles["role"])
    _apply_pending(waves, territories, sector_ids, role_codes)
    if not waves:
        _write_address({"lang": [language] if language != "fr" else []})
        return Selection(Filters(), (), None, None, language)
    sb.subheader(t("filters.title", language))
    chosen: tuple[str, ...] = tuple(waves)
    wave_range: tuple[str, str] = (waves[0], waves[-1])
    if len(waves) > 1:
        # A range slider is one only through its default (`value`): the default stays the same from
        # run to run (the address's range, else every wave), the widget keeps what the user picks.
        default = st.session_state.get(_WAVES_DEFAULT)
        if not (isinstance(default, tuple) and len(default) == 2 and all(w in waves for w in default)):
            default = st.session_state[_WAVES_DEFAULT] = (waves[0], waves[-1])
        current = st.session_state.get("waves")
        if current is not None and not (isinstance(current, tuple | list) and all(w in waves for w in current)):
            del st.session_state["waves"]
        picked = sb.select_slider(t("filters.waves", language), options=waves, value=default, key="waves")
        first, last = (str(picked[0]), str(picked[-1])) if isinstance(picked, tuple | list) else (waves[0], waves[-1])
        wave_range = (first, last)
        chosen = tuple(waves[waves.index(first) : waves.index(last) + 1])
    wave_a = wave_b = None
    if len(chosen) > 1:
        for key, default in (("a", chosen[-2]), ("b", chosen[-1])):
            if st.session_state.get(key) not in chosen:
                st.session_state[key] = default
        cols = sb.columns(2)
        wave_a = cols[0].selectbox(t("filters.wave_a", language), chosen, key="a")
        wave_b = cols[1].selectbox(t("filters.wave_b", language), chosen, key="b")
    for key, options in (("terr", territories), ("sect", sector_ids), ("role", role_codes)):
        _keep_known(key, options, multi=True)
    _keep_known("level", LEVELS)
    chosen_territories = sb.multiselect(
        t("filters.territory", language), territories, key="terr",
        placeholder=t("filters.all", language), select_all=False,
    )
    sector_labels = _label_func(sectors, "sector_id", language)
    chosen_sectors = sb.multiselect(
        t("filters.sector", language), sector_ids, key="sect", format_func=lambda s: sector_labels.get(s, s),
        placeholder=t("filters.all", language), select_all=False,
    )
    role_labels = _label_func(roles, "role", language)
    chosen_roles = sb.multiselect(
        t("filters.role", language), role_codes, key="role", format_func=lambda r: role_labels.get(r, r),
        placeholder=t("filters.all", language), select_all=False,
    )
    level = sb.segmented_control(
        t("filters.level", language), list(LEVELS), key="level",
        format_func=lambda v: t(f"level.{v}", language),
    )
    filters = Filters(
        waves=chosen,
        territories=_chosen(chosen_territories, territories),
        sectors=_chosen(chosen_sectors, sector_ids),
        roles=_chosen(chosen_roles, role_codes),
        levels=(level,) if level else None,
    )
    if any(v is not None for v in (filters.territories, filters.sectors, filters.roles, filters.levels)):
        sb.caption(t("filters.privacy", language, n=filters.min_group_size))
    sb.caption(t("filters.share", language))
    _write_address(address_of(language, waves, wave_range, wave_a, wave_b, chosen_territories, chosen_sectors,
                              chosen_roles, level))
    selection = Selection(filters, chosen, wave_a, wave_b, language)
    st.session_state["_selection"] = selection
    return selection


def address_of(language: str, waves: Sequence[str], wave_range: tuple[str, str], wave_a: str | None,
               wave_b: str | None, territories: Sequence[str], sectors: Sequence[str], roles: Sequence[str],
               level: str | None) -> dict[str, list[str]]:
    """The address parameters of a view (ids; a default is left out)."""
    chosen = list(waves[waves.index(wave_range[0]) : waves.index(wave_range[1]) + 1]) if waves else []
    params: dict[str, list[str]] = {
        "lang": [language] if language != "fr" else [],
        "waves": [f"{wave_range[0]}..{wave_range[1]}"] if tuple(wave_range) != (waves[0], waves[-1]) else [],
        "a": [wave_a] if wave_a and len(chosen) > 1 and wave_a != chosen[-2] else [],
        "b": [wave_b] if wave_b and len(chosen) > 1 and wave_b != chosen[-1] else [],
        "terr": list(territories),
        "sect": list(sectors),
        "role": list(roles),
        "level": [level] if level else [],
    }
    return params


def current_address() -> dict[str, list[str]]:
    """The filter parameters of the address now (for links that keep the view)."""
    return {k: _url_values(k) for k in URL_KEYS if _url_values(k)}


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


def relabel_on_language_change(language: str) -> None:
    """When the language changed since the last run, give every choice widget its value again, so
    that the browser draws it in the new language: Streamlit 1.67 keeps drawing a select box's
    option with the label it had (« Détailler par : Secteur » became "Break down by: Secteur").

    Only values a choice can hold (text, numbers, lists and pairs of them) are given again: buttons,
    toggles (True/False), uploads and chart or table selections have no option label to redraw, and
    Streamlit refuses a value for some of them."""
    previous = st.session_state.get("_lang_drawn")
    st.session_state["_lang_drawn"] = language
    if previous is None or previous == language:
        return
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        if str(key).startswith("_") or key == "lang" or not _is_choice_value(value):
            continue
        st.session_state[key] = value


def _is_choice_value(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str | int | float):
        return True
    if isinstance(value, tuple | list):
        return all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value)
    return False
