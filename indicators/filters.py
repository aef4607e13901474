"""Filters shared by every indicator, and small-cell suppression in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from warehouse.settings import min_group_size

SUPPRESSED_NOTE_FR = "moins de {n} répondants"
SUPPRESSED_NOTE_EN = "fewer than {n} respondents"


@dataclass(frozen=True)
class Filters:
    """What the user selected. None means "all"; an empty tuple matches nothing.

    `waves` filters wave ids; `territories`, `sectors`, `roles`, `levels` filter the
    respondents' metadata (respondents table) or, for institution-level indicators, the
    institutions' territory and sector.
    """

    waves: tuple[str, ...] | None = None
    territories: tuple[str, ...] | None = None
    sectors: tuple[str, ...] | None = None
    roles: tuple[str, ...] | None = None
    levels: tuple[str, ...] | None = None
    min_group_size: int = field(default_factory=min_group_size)

    def respondent_where(self, alias: str = "r") -> tuple[str, list[object]]:
        """SQL condition (with `?` parameters) on a respondents-like relation `alias`."""
        clauses: list[str] = []
        params: list[object] = []
        for column, values in (
            ("wave_id", self.waves),
            ("territory", self.territories),
            ("sector_id", self.sectors),
            ("role", self.roles),
            ("level", self.levels),
        ):
            if values is not None:
                clauses.append(f"list_contains(?, {alias}.{column})")
                params.append(list(values))
        return (" AND ".join(clauses) or "true"), params

    def institution_where(self, alias: str = "i") -> tuple[str, list[object]]:
        """SQL condition on an institutions-like relation (territory, sector_id)."""
        clauses: list[str] = []
        params: list[object] = []
        if self.territories is not None:
            clauses.append(f"list_contains(?, {alias}.territory)")
            params.append(list(self.territories))
        if self.sectors is not None:
            clauses.append(f"list_contains(?, {alias}.sector_id)")
            params.append(list(self.sectors))
        return (" AND ".join(clauses) or "true"), params

    def wave_where(self, column: str = "wave_id") -> tuple[str, list[object]]:
        if self.waves is None:
            return "true", []
        return f"list_contains(?, {column})", [list(self.waves)]


def suppress(
    df: pd.DataFrame,
    min_size: int,
    n_col: str = "n",
    value_cols: Sequence[str] | None = None,
    within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hide every group with fewer than `min_size` respondents.

    Sets `suppressed` = True and blanks the value columns (every column but the keys and `n`
    when `value_cols` is None; `n` itself is blanked too). With `within` (the columns that
    identify one breakdown, e.g. ["wave_id"] for a by-sector table per wave), when exactly one
    group of a breakdown is hidden, the next smallest is hidden too, so that it cannot be
    recovered as the total minus the others (complementary suppression).
    """
    out = df.copy()
    if out.empty:
        out["suppressed"] = pd.Series(dtype=bool)
        return out
    n = pd.to_numeric(out[n_col], errors="coerce").fillna(0)
    hidden = n < min_size
    if within is not None:
        hidden = _complementary(out.assign(_n=n, _hidden=hidden), list(within))
    out["suppressed"] = hidden.to_numpy()
    keys_kept = {*(within or []), "suppressed", "wave_order", "sort_order"}
    cols = list(value_cols) if value_cols is not None else [
        c for c in out.columns if c not in keys_kept and out[c].dtype.kind in "fiub"
    ]
    for c in [*cols, n_col]:
        if c in out.columns:
            if out[c].dtype.kind in "iub":
                out[c] = out[c].astype("float64")
            out.loc[out["suppressed"], c] = np.nan
    return out


def _complementary(df: pd.DataFrame, within: list[str]) -> pd.Series:
    hidden = df["_hidden"].copy()
    keys: str | list[str] = within[0] if len(within) == 1 else within
    groups = df.groupby(keys, dropna=False, sort=False).groups if within else {None: df.index}
    for idx in groups.values():
        part = df.loc[idx]
        if int(part["_hidden"].sum()) == 1 and len(part) > 1:
            candidates = part[~part["_hidden"]].sort_values("_n")
            if len(candidates):
                hidden.loc[candidates.index[0]] = True
    return hidden
