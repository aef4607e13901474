"""What the pages say about the waves they show (indicators.availability): the sentence when a
family shows another wave than the selected one, or another pair of waves, and the per-wave table
of what is loaded. Pure Python (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from indicators.availability import ActivitySpan, Pair, Shown
from ui.i18n import fmt_date, fmt_int, t


def shown_sentence(shown: Shown, lang: str) -> str:
    """'' when the family shows the selected wave; else which wave it shows and why."""
    what, data = t(f"avail.what.{shown.family}", lang), t(f"avail.data.{shown.family}", lang)
    if shown.shown is None:
        return t("avail.none", lang, what=what, data=data)
    if not shown.differs:
        return ""
    return t("avail.shown", lang, what=what, data=data, shown=shown.shown, wave=shown.selected)


def pair_sentence(pair: Pair, lang: str) -> str:
    """'' when the chosen pair is compared; else the pair compared, or why none can be."""
    what, data = t(f"avail.what.{pair.family}", lang), t(f"avail.data.{pair.family}", lang)
    if pair.wave_b is None:
        return t("avail.none", lang, what=what, data=data)
    if not pair.possible:
        if pair.selected[0] is None:
            return ""
        return t("avail.no_pair", lang, what=what, data=data, waves=", ".join(pair.available))
    if not pair.differs:
        return ""
    return t("avail.pair", lang, what=what, data=data, a=pair.wave_a, b=pair.wave_b, sa=pair.selected[0],
             sb=pair.selected[1])


def _loaded(rows: int, when: object, lang: str) -> str:
    if not rows or when is None or pd.isna(when):
        return t("avail.not_loaded", lang)
    return t("avail.loaded", lang, n=fmt_int(rows, lang), date=fmt_date(pd.Timestamp(when).date(), lang))


def inventory_display(inv: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-wave table as the quality page shows it."""
    def dates(r: object) -> str:
        first, last = getattr(r, "first_date"), getattr(r, "last_date")  # noqa: B009
        if pd.isna(first) or pd.isna(last):
            return "–"
        return f"{fmt_date(pd.Timestamp(first).date(), lang)} – {fmt_date(pd.Timestamp(last).date(), lang)}"

    rows = []
    for r in inv.itertuples():
        rows.append({
            t("avail.col.wave", lang): r.wave_id,
            t("avail.col.fieldwork", lang): dates(r),
            t("avail.col.practitioner", lang): _loaded(r.practitioner_rows, r.practitioner_loaded_at, lang),
            t("avail.col.partner", lang): _loaded(r.partner_rows, r.partner_loaded_at, lang),
            t("avail.col.targets", lang): _loaded(r.targets_rows, r.targets_loaded_at, lang),
            t("avail.col.log", lang): fmt_int(r.activity_months, lang),
        })
    return pd.DataFrame(rows)


def log_sentence(span: ActivitySpan | None, lang: str) -> str:
    if span is None:
        return t("avail.no_log", lang)
    from ui.figures_exchanges import month_label

    when = fmt_date(span.loaded_at.date(), lang) if span.loaded_at else "–"
    return t("avail.log_line", lang, start=month_label(span.first_month, lang), end=month_label(span.last_month, lang),
             months=fmt_int(span.months, lang), n=fmt_int(span.actions, lang), date=when)
