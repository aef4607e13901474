"""Wellbeing indicators of the practitioner survey: WHO-5 (0–100) and Copenhagen Burnout
Inventory, work-related scale (0–100).

Conventions are those of :mod:`indicators.practice` (tidy frames with ``n`` and
``suppressed``; NaN when undefined; panel comparisons filter on the wave-b metadata). Cut-offs
come from ``warehouse.settings``: ``who5_poor`` (≤ 50 poor wellbeing), ``who5_depression``
(≤ 28 likely depression, screening only), ``cbi_high`` (≥ 50 high burnout) and
``who5_clinical_change`` (10 points). Scores are compared with the cut-offs with a 1e-9
tolerance so that floating-point rounding in the scoring (e.g. 7/5 · 5 · 4) never moves a
respondent across a cut-off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.filters import Filters
from indicators.instruments import wellbeing_scales
from indicators.practice import (
    PANEL_COLUMNS,
    PANEL_VALUES,
    ci_level,
    extra_group_columns,
    finish,
    panel_frame,
    query_frame,
    scale_metadata,
    score_aggregates,
    score_rows,
    sort_rows,
    with_hidden_groups,
)
from indicators.stats import proportion_ci, t_interval
from warehouse.settings import setting

WHO5 = "who5"
CBI = "cbi_work"
# The Copenhagen Burnout Inventory's scales (standards): the cbi_high cut-off applies to each.
CBI_SCALES: tuple[str, ...] = ("cbi_work", "cbi_personal", "cbi_client")
EPS = 1e-9
# Box plots: each quartile the mean of the min_group_size sorted scores around its position
# (indicators.disclosure.smoothed_quantiles_sql), never one person's score.
QUARTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}

_CUTOFF_STATS = [
    "who5_poor_share", "who5_poor_ci_low", "who5_poor_ci_high",
    "who5_depression_share", "who5_depression_ci_low", "who5_depression_ci_high",
    "cbi_high_share", "cbi_high_ci_low", "cbi_high_ci_high",
]
_SUMMARY_VALUES = ["mean", "sd", "ci_low", "ci_high", "q1", "median", "q3", *_CUTOFF_STATS]
SUMMARY_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en", "n", *_SUMMARY_VALUES, "suppressed",
]
DISTRIBUTION_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en", "bin", "bin_low", "bin_mid",
    "bin_high", "count", "share", "n", "suppressed",
]
_CLINICAL_STATS = [
    "share_improved_clinical", "improved_ci_low", "improved_ci_high",
    "share_worsened_clinical", "worsened_ci_low", "worsened_ci_high",
]
PANEL_CHANGE_COLUMNS = [*PANEL_COLUMNS[:-1], "clinical_change", *_CLINICAL_STATS, "suppressed"]


@dataclass(frozen=True)
class Bins:
    """Histogram bins of a scale: [origin + i·width, origin + (i+1)·width), i = 0 … n_bins − 1;
    scores beyond the last edge fall in the last bin."""

    width: float
    origin: float
    n_bins: int


# WHO-5 scores are multiples of 4: bins of 4 points centred on each possible score (0, 4, …, 100).
# CBI: 8 bins of 12.5 points, [0, 12.5) … [87.5, 100].
BINS: dict[str, Bins] = {WHO5: Bins(4.0, -2.0, 26), **{s: Bins(12.5, 0.0, 8) for s in CBI_SCALES}}
GENERIC_BINS = 8  # any other wellbeing or burnout scale: 8 equal bins over its score range


def scale_bins(meta: pd.DataFrame) -> dict[str, Bins]:
    """The histogram bins of each scale of ``meta`` (scale_id, score_min, score_max): the
    published scales' own, else GENERIC_BINS equal bins over the scale's range."""
    out: dict[str, Bins] = {}
    for sid, low, high in zip(meta["scale_id"], meta["score_min"], meta["score_max"], strict=True):
        if sid in BINS:
            out[str(sid)] = BINS[str(sid)]
        elif np.isfinite(low) and np.isfinite(high) and high > low:
            out[str(sid)] = Bins((float(high) - float(low)) / GENERIC_BINS, float(low), GENERIC_BINS)
    return out


def cutoffs() -> dict[str, float]:
    """The wellbeing cut-offs of the settings."""
    return {
        name: float(setting(name))
        for name in ("who5_poor", "who5_depression", "cbi_high", "who5_clinical_change")
    }


def wellbeing_summary(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    by: Sequence[str] = ("wave_id",),
    compare: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """WHO-5 and CBI work burnout per wave (and per ``by`` group): mean with t CI, quartiles,
    and the shares beyond the clinical cut-offs with Wilson 95 % CIs.

    Method: n = respondents with a score; mean ± t(n−1) · sd/√n; q1, median, q3 for box plots,
    each the mean of the min_group_size sorted scores around the quartile's position, so that no
    quartile is one person's score (min and max are not given: they are single people's answers).
    WHO-5 rows: ``who5_poor_share`` = share with score ≤ who5_poor (50),
    ``who5_depression_share`` = share ≤ who5_depression (28). CBI rows: ``cbi_high_share`` =
    share ≥ cbi_high (50). Each share has a Wilson score interval; columns of the other scale
    are NaN. ``by``: wave_id plus optionally role, sector_id, territory or level.
    Missing data: no WHO-5 score unless all 5 items were answered, no CBI score with fewer than
    4 of 7 (loader rule); those respondents are left out (available cases).
    Suppression: n < min_group_size blanks the row; with a breakdown, complementary
    suppression within each wave × scale.

    Columns: wave_id, wave_order, [by columns], scale_id, label_fr, label_en, n, mean, sd,
    ci_low, ci_high, q1, median, q3, who5_poor_share, who5_poor_ci_low, who5_poor_ci_high,
    who5_depression_share, who5_depression_ci_low, who5_depression_ci_high, cbi_high_share,
    cbi_high_ci_low, cbi_high_ci_high, suppressed. ``compare``: two waves whose change this
    serves (a scale whose items differ between them is scored on the items both asked).
    """
    extra = extra_group_columns(by)
    cut = cutoffs()
    scales = wellbeing_scales(conn)
    meta = scale_metadata(conn, scales)
    extra_select = """,
        count(*) FILTER (WHERE s.score <= ?) AS k_who5_poor,
        count(*) FILTER (WHERE s.score <= ?) AS k_who5_depression,
        count(*) FILTER (WHERE s.score >= ?) AS k_cbi_high"""
    params = [cut["who5_poor"] + EPS, cut["who5_depression"] + EPS, cut["cbi_high"] - EPS]
    df = score_aggregates(conn, filters, extra, scales, extra_select, params, compare=compare, quantiles=QUARTILES)
    df = df.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    level = ci_level()
    df["ci_low"], df["ci_high"] = t_interval(df["mean"], df["sd"], df["n"], level)
    for name, cut_scales in (("who5_poor", (WHO5,)), ("who5_depression", (WHO5,)), ("cbi_high", CBI_SCALES)):
        k = df[f"k_{name}"].where(df["scale_id"].isin(cut_scales))
        df[f"{name}_share"] = k / df["n"].where(df["n"] > 0)
        df[f"{name}_ci_low"], df[f"{name}_ci_high"] = proportion_ci(k, df["n"], level)
    df = sort_rows(df, ["wave_order", "wave_id", *extra, "scale_order"])
    within = ["wave_id", *extra[:-1], "scale_id"] if extra else None
    columns = [*SUMMARY_COLUMNS[:2], *extra, *SUMMARY_COLUMNS[2:]]
    out = finish(df, filters, columns, _SUMMARY_VALUES, within)
    order = ["wave_order", "wave_id", *extra, "scale_order"]
    return with_hidden_groups(conn, out, filters, extra, scales, order)


def _bin_counts(conn: duckdb.DuckDBPyConnection, filters: Filters, bins: dict[str, Bins]) -> pd.DataFrame:
    """wave_id, wave_order, scale_id, bin, count of the filtered respondents' scores."""
    if not bins:
        return pd.DataFrame(columns=["wave_id", "wave_order", "scale_id", "bin", "count"])
    rel, params = score_rows(conn, filters, list(bins))
    spec = list(bins.items())
    values = ", ".join("(?, ?, ?, ?)" for _ in spec)
    bin_params: list[object] = [x for sid, b in spec for x in (sid, b.width, b.origin, b.n_bins)]
    sql = f"""
        WITH b(scale_id, width, origin, n_bins) AS (VALUES {values})
        SELECT s.wave_id, min(w.wave_order) AS wave_order, s.scale_id,
               least(greatest(CAST(floor((s.score - b.origin) / b.width + ?) AS INTEGER), 0),
                     b.n_bins - 1) AS bin,
               count(*) AS count
        FROM ({rel}) s
        JOIN b ON b.scale_id = s.scale_id
        LEFT JOIN waves w ON w.wave_id = s.wave_id
        GROUP BY ALL
    """
    return query_frame(conn, sql, [*bin_params, EPS, *params])


def wellbeing_distribution(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Histogram of the WHO-5 and CBI scores per wave (every bin, empty ones included).

    Method: WHO-5 in 26 bins of 4 points centred on its possible scores (bin_mid = 0, 4, …,
    100; bin_low/bin_high = bin_mid ∓ 2); CBI in 8 bins of 12.5 points, [0, 12.5) … [87.5,
    100] (100 falls in the last bin). count = respondents in the bin, share = count / n,
    n = respondents of the wave with a score. Quartiles for box plots: see
    :func:`wellbeing_summary`.
    Missing data: respondents without a score (too few items answered) are not counted.
    Suppression: a wave × scale with n < min_group_size has every bin blanked.

    Columns: wave_id, wave_order, scale_id, label_fr, label_en, bin, bin_low, bin_mid,
    bin_high, count, share, n, suppressed.
    """
    meta = scale_metadata(conn, wellbeing_scales(conn))
    bins = scale_bins(meta)
    counts = _bin_counts(conn, filters, bins)
    groups = counts[["wave_id", "wave_order", "scale_id"]].drop_duplicates()
    grid = pd.concat(
        [
            groups.loc[groups["scale_id"] == sid].merge(pd.DataFrame({"bin": np.arange(b.n_bins)}), how="cross")
            for sid, b in bins.items()
        ]
        or [pd.DataFrame(columns=["wave_id", "wave_order", "scale_id", "bin"])]
    )
    df = grid.merge(counts.drop(columns=["wave_order"]), on=["wave_id", "scale_id", "bin"], how="left")
    df["count"] = df["count"].fillna(0).astype("int64")
    df["n"] = df.groupby(["wave_id", "scale_id"])["count"].transform("sum").astype("int64")
    df["share"] = df["count"] / df["n"].where(df["n"] > 0)
    width = df["scale_id"].map({s: b.width for s, b in bins.items()}).astype(float)
    origin = df["scale_id"].map({s: b.origin for s, b in bins.items()}).astype(float)
    df["bin_low"] = origin + df["bin"].astype(float) * width
    df["bin_high"] = df["bin_low"] + width
    df["bin_mid"] = df["bin_low"] + width / 2.0
    df = df.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    df = sort_rows(df, ["wave_order", "wave_id", "scale_order", "bin"])
    return finish(df, filters, DISTRIBUTION_COLUMNS, ["count", "share"])


def wellbeing_panel_change(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str
) -> pd.DataFrame:
    """Within-respondent change of WHO-5 and CBI between two waves, and for WHO-5 the share
    of panel respondents whose wellbeing changed by a clinically relevant amount.

    Method: as :func:`indicators.practice.panel_change` (paired t, Wilcoxon, d_z, Holm over
    the two scales), plus for WHO-5: ``share_improved_clinical`` = share of pairs with
    score_b − score_a ≥ who5_clinical_change (10 points), ``share_worsened_clinical`` = share
    with a fall of at least 10 points, each with a Wilson CI (NaN for CBI, which has no
    agreed threshold). Filters on the wave-b answers; ``filters.waves`` is ignored.
    Missing data: pairwise (respondents with a score in both waves).
    Suppression: n_pairs < min_group_size blanks the row.

    Columns: those of panel_change (scale_id … design), clinical_change,
    share_improved_clinical, improved_ci_low, improved_ci_high, share_worsened_clinical,
    worsened_ci_low, worsened_ci_high, suppressed.
    """
    df, pairs = panel_frame(conn, filters, wave_a, wave_b, wellbeing_scales(conn))
    threshold = cutoffs()["who5_clinical_change"]
    level = ci_level()
    df["clinical_change"] = np.where(df["scale_id"] == WHO5, threshold, np.nan)
    a, b = pairs.get(WHO5, (np.empty(0), np.empty(0)))
    diff = b - a
    n = diff.size
    is_who5 = df["scale_id"] == WHO5
    counts = {"improved": np.sum(diff >= threshold - EPS), "worsened": np.sum(diff <= -threshold + EPS)}
    for name, k in counts.items():
        low, high = proportion_ci(k, n, level)
        df[f"share_{name}_clinical"] = np.where(is_who5, k / n if n else np.nan, np.nan)
        df[f"{name}_ci_low"] = np.where(is_who5, float(low), np.nan)
        df[f"{name}_ci_high"] = np.where(is_who5, float(high), np.nan)
    return finish(df, filters, PANEL_CHANGE_COLUMNS, [*PANEL_VALUES, *_CLINICAL_STATS])


# --------------------------------------------------------------------------- catalogue

_MISSING = (
    "WHO-5: no score unless all 5 items are answered; CBI: no score when fewer than 4 of the 7 "
    "items are answered (loader rule). Respondents without a score are left out."
)
_WHO5 = "WHO-5 Well-Being Index (WHO 1998; Topp et al. 2015): raw 0–25 × 4 = 0–100."
_CBI = "Copenhagen Burnout Inventory, work-related scale (Kristensen et al. 2005): 0–100."

_MISSING_FR = (
    "WHO-5 : pas de score si les 5 items ne sont pas tous renseignés ; CBI : pas de score quand "
    "moins de 4 des 7 items sont renseignés (règle du chargement). Les répondants sans score sont "
    "écartés."
)
_WHO5_FR = "Indice de bien-être WHO-5 (OMS 1998 ; Topp et al. 2015) : score brut 0–25 × 4 = 0–100."
_CBI_FR = (
    "Copenhagen Burnout Inventory, échelle d'épuisement lié au travail (Kristensen et al. 2005) : "
    "0–100."
)

INDICATORS: list[Indicator] = [
    Indicator(
        id="wellbeing.who5_mean",
        family="wellbeing",
        title_fr="Bien-être moyen (WHO-5)",
        title_en="Mean wellbeing (WHO-5)",
        definition_fr=(
            "Score moyen de bien-être WHO-5 (de 0 à 100 : plus il est élevé, meilleur est le "
            "bien-être) des professionnels à chaque vague, avec son intervalle de confiance à 95 %, "
            "par fonction ou par secteur si on le souhaite."
        ),
        definition_en=(
            "Mean WHO-5 wellbeing score (0–100, higher is better) of the professionals in each "
            "wave, with its 95 % confidence interval, optionally by role or sector."
        ),
        formula="mean ± t(n−1; 0.975) · sd/√n; score = (sum of the 5 items, 0–5 each) × 4",
        formula_fr="moyenne ± t(n − 1 ; 0,975) · s / √n ; score = (somme des 5 items, notés de 0 à 5) × 4",
        unit="score 0–100",
        sources=("survey_scores", "survey_respondents", "survey_scales"),
        missing_data=_MISSING,
        missing_data_fr=_MISSING_FR,
        caveats=_WHO5,
        caveats_fr=_WHO5_FR,
        function="indicators.wellbeing.wellbeing_summary",
    ),
    Indicator(
        id="wellbeing.who5_poor_share",
        family="wellbeing",
        title_fr="Part des professionnels en bien-être faible (WHO-5 ≤ 50)",
        title_en="Share with poor wellbeing (WHO-5 ≤ 50)",
        definition_fr=(
            "Part des répondants dont le score WHO-5 est inférieur ou égal à 50 (seuil du bien-être "
            "faible, réglable), avec son intervalle de confiance de Wilson."
        ),
        definition_en=(
            "Share of respondents whose WHO-5 score is at or below 50 (poor wellbeing cut-off, "
            "configurable), with its Wilson confidence interval."
        ),
        formula="count(score ≤ who5_poor) / n; Wilson score interval",
        formula_fr="effectif(score ≤ who5_poor) / n ; intervalle de Wilson",
        unit="share (0–1)",
        sources=("survey_scores", "survey_respondents"),
        missing_data=_MISSING,
        missing_data_fr=_MISSING_FR,
        caveats="A screening cut-off, not a diagnosis. " + _WHO5,
        caveats_fr="Un seuil de repérage, pas un diagnostic. " + _WHO5_FR,
        function="indicators.wellbeing.wellbeing_summary",
    ),
    Indicator(
        id="wellbeing.who5_depression_share",
        family="wellbeing",
        title_fr="Part des professionnels avec un risque de dépression (WHO-5 ≤ 28)",
        title_en="Share screening positive for likely depression (WHO-5 ≤ 28)",
        definition_fr=(
            "Part des répondants dont le score WHO-5 est inférieur ou égal à 28, seuil qui invite "
            "à un dépistage de la dépression, avec son intervalle de confiance de Wilson."
        ),
        definition_en=(
            "Share of respondents whose WHO-5 score is at or below 28, the cut-off that calls for "
            "depression screening, with its Wilson confidence interval."
        ),
        formula="count(score ≤ who5_depression) / n; Wilson score interval",
        formula_fr="effectif(score ≤ who5_depression) / n ; intervalle de Wilson",
        unit="share (0–1)",
        sources=("survey_scores", "survey_respondents"),
        missing_data=_MISSING,
        missing_data_fr=_MISSING_FR,
        caveats="Screening only: never a diagnosis, never shown for an individual. " + _WHO5,
        caveats_fr="Repérage uniquement : jamais un diagnostic, jamais affiché pour une personne. " + _WHO5_FR,
        function="indicators.wellbeing.wellbeing_summary",
    ),
    Indicator(
        id="wellbeing.cbi_mean",
        family="wellbeing",
        title_fr="Épuisement professionnel moyen (CBI travail)",
        title_en="Mean work-related burnout (CBI)",
        definition_fr=(
            "Score moyen d'épuisement lié au travail (Copenhagen Burnout Inventory, de 0 à 100 : "
            "plus il est élevé, plus l'épuisement est fort) à chaque vague, avec son intervalle de "
            "confiance à 95 %."
        ),
        definition_en=(
            "Mean work-related burnout score (Copenhagen Burnout Inventory, 0–100, higher is "
            "worse) in each wave, with its 95 % confidence interval."
        ),
        formula="mean ± t(n−1; 0.975) · sd/√n; score = mean of the answered items (100/75/50/25/0)",
        formula_fr=(
            "moyenne ± t(n − 1 ; 0,975) · s / √n ; score = moyenne des items renseignés "
            "(100/75/50/25/0)"
        ),
        unit="score 0–100",
        sources=("survey_scores", "survey_respondents", "survey_scales"),
        missing_data=_MISSING,
        missing_data_fr=_MISSING_FR,
        caveats="French wording is a working translation, not a validated one. " + _CBI,
        caveats_fr="La version française est une traduction de travail, non validée. " + _CBI_FR,
        function="indicators.wellbeing.wellbeing_summary",
    ),
    Indicator(
        id="wellbeing.cbi_high_share",
        family="wellbeing",
        title_fr="Part des professionnels en épuisement élevé (CBI ≥ 50)",
        title_en="Share with high burnout (CBI ≥ 50)",
        definition_fr=(
            "Part des répondants dont le score d'épuisement lié au travail est supérieur ou égal "
            "à 50, avec son intervalle de confiance de Wilson."
        ),
        definition_en=(
            "Share of respondents whose work-related burnout score is at or above 50, with its "
            "Wilson confidence interval."
        ),
        formula="count(score ≥ cbi_high) / n; Wilson score interval",
        formula_fr="effectif(score ≥ cbi_high) / n ; intervalle de Wilson",
        unit="share (0–1)",
        sources=("survey_scores", "survey_respondents"),
        missing_data=_MISSING,
        missing_data_fr=_MISSING_FR,
        caveats=_CBI,
        caveats_fr=_CBI_FR,
        function="indicators.wellbeing.wellbeing_summary",
    ),
    Indicator(
        id="wellbeing.distribution",
        family="wellbeing",
        title_fr="Répartition des scores de bien-être et d'épuisement",
        title_en="Distribution of wellbeing and burnout scores",
        definition_fr=(
            "Nombre et part des répondants par tranche de score à chaque vague : tranches de "
            "4 points pour le WHO-5, de 12,5 points pour l'épuisement (CBI)."
        ),
        definition_en=(
            "Number and share of respondents per score band in each wave: bands of 4 points for "
            "WHO-5, of 12.5 points for burnout (CBI)."
        ),
        formula="count per bin / n",
        formula_fr="effectif par tranche / n",
        unit="share (0–1)",
        sources=("survey_scores", "survey_respondents"),
        missing_data=_MISSING,
        missing_data_fr=_MISSING_FR,
        function="indicators.wellbeing.wellbeing_distribution",
    ),
    Indicator(
        id="wellbeing.panel_change",
        family="wellbeing",
        title_fr="Évolution individuelle du bien-être et de l'épuisement (panel)",
        title_en="Within-person change in wellbeing and burnout (panel)",
        definition_fr=(
            "Pour les professionnels ayant répondu aux deux vagues, écart moyen de leur score "
            "WHO-5 et de leur score d'épuisement entre les deux vagues, avec intervalle de "
            "confiance, test t apparié, test de Wilcoxon et taille d'effet d_z (p-valeurs "
            "corrigées par Holm). Les filtres portent sur les réponses à la seconde vague."
        ),
        definition_en=(
            "For the professionals who answered both waves, mean change of their WHO-5 and burnout "
            "scores, with confidence interval, paired t test, Wilcoxon test and effect size d_z "
            "(Holm-adjusted p-values). Filters apply to the second-wave answers."
        ),
        formula="diff = score_b − score_a; paired t; d_z = mean_diff / sd_diff",
        formula_fr="écart = score_b − score_a ; t apparié ; d_z = écart_moyen / s_écart",
        unit="score points (0–100)",
        sources=("survey_scores", "survey_respondents"),
        missing_data="Pairwise: respondents with a score in both waves. " + _MISSING,
        missing_data_fr="Données appariées : répondants ayant un score aux deux vagues. " + _MISSING_FR,
        caveats="For CBI a fall is an improvement (higher_is_better = false).",
        caveats_fr="Pour le CBI, une baisse est une amélioration (higher_is_better = false).",
        function="indicators.wellbeing.wellbeing_panel_change",
    ),
    Indicator(
        id="wellbeing.who5_clinical_change",
        family="wellbeing",
        title_fr="Part des professionnels dont le bien-être a changé de 10 points ou plus",
        title_en="Share whose wellbeing changed by 10 points or more",
        definition_fr=(
            "Parmi les répondants aux deux vagues, part de ceux dont le score WHO-5 a augmenté d'au "
            "moins 10 points (amélioration cliniquement significative) et part de ceux dont il a "
            "baissé d'au moins 10 points, avec leurs intervalles de confiance de Wilson."
        ),
        definition_en=(
            "Among respondents to both waves, share whose WHO-5 score rose by at least 10 points "
            "(clinically relevant improvement) and share whose score fell by at least 10 points, "
            "with Wilson confidence intervals."
        ),
        formula="count(diff ≥ 10) / n_pairs; count(diff ≤ −10) / n_pairs",
        formula_fr="effectif(écart ≥ 10) / n_paires ; effectif(écart ≤ −10) / n_paires",
        unit="share (0–1)",
        sources=("survey_scores", "survey_respondents"),
        missing_data="Pairwise: respondents with a WHO-5 score in both waves. " + _MISSING,
        missing_data_fr="Données appariées : répondants ayant un score WHO-5 aux deux vagues. " + _MISSING_FR,
        function="indicators.wellbeing.wellbeing_panel_change",
    ),
]
