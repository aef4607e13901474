"""Filters shared by every indicator (what the user selected). Disclosure control — which
respondents a filtered figure may use, small-cell suppression — is in indicators.disclosure."""

from __future__ import annotations

from dataclasses import dataclass, field

from warehouse.settings import min_group_size


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
