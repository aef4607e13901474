"""Every setting of Maillage in one table: name, default, help (docs/settings.md is checked
against it). A setting is overridden by the environment variable MAILLAGE_<NAME upper-cased>."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: float | int | str
    help: str

    @property
    def env_var(self) -> str:
        return f"MAILLAGE_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("min_group_size", 5, "Groups with fewer respondents are never shown or exported (small-cell suppression)."),
    Setting(
        "disclosure_order",
        "role,level,sector_id,territory",
        "Disclosure control: the order in which a respondent's attributes are grouped when their combination is "
        "shared by fewer than min_group_size respondents; the last is kept the most (docs/privacy.md).",
    ),
    Setting(
        "tie_min_level",
        2,
        "Partner survey: a rated relationship is a tie from this level of collaboration (0–5; 2 = cooperation).",
    ),
    Setting("tie_min_frequency", 1.0, "Reported exchanges: a tie from this many exchanges per month."),
    Setting(
        "network_coverage_gap",
        0.1,
        "Network trends: when the share of institutions that answered differs by more than this between two "
        "waves, their change is computed among the institutions that answered both waves.",
    ),
    Setting("alpha_min", 0.7, "Cronbach's alpha below this: a scale's figures carry a low-reliability warning."),
    Setting("ci_level", 0.95, "Confidence level of every interval."),
    Setting("who5_poor", 50, "WHO-5 (0–100): a score at or below this is poor wellbeing."),
    Setting(
        "who5_depression", 28, "WHO-5 (0–100): a score at or below this suggests likely depression (screening only)."
    ),
    Setting("who5_clinical_change", 10, "WHO-5: a change of at least this many points is clinically relevant."),
    Setting("cbi_high", 50, "Copenhagen Burnout Inventory (0–100): a score at or above this is high burnout."),
    Setting("rci_threshold", 1.96, "Reliable change index: |RCI| above this is a reliable change."),
    Setting(
        "network_scope",
        "partnership",
        "partnership: the warehouse holds one partnership, its territories are neighbourhoods and the network "
        "pools them; territory: each territory is a separate partnership with its own network.",
    ),
    Setting("language", "fr", "Dashboard and export language: fr or en."),
    Setting(
        "storage_version",
        "v1.4.0",
        "DuckDB storage version the warehouse file is written in (a DuckDB release, or latest): v1.4.0 lets "
        "DuckDB 1.4 and later open it (R's duckdb package, the DuckDB command line, DBeaver). A file in a "
        "newer version is rewritten in this one at the next load or `maillage init`.",
    ),
    Setting(
        "results_cache",
        "on",
        "on or off: the dashboard keeps indicator results that take time beside the warehouse "
        "(NAME.duckdb.results/, see `maillage warm`), for every server process and after restarts; off for a "
        "read-only folder.",
    ),
    Setting(
        "surveys",
        "",
        "Codebook folders of your own, searched before the shipped surveys/ (several separated by the system's "
        "path separator, ':' on Linux and macOS, ';' on Windows); each holds <instrument>/<version>.toml.",
    ),
)


def setting(name: str) -> float | int | str:
    """The value of a setting: its environment variable if set, else its default."""
    spec = next((s for s in SETTINGS if s.name == name), None)
    if spec is None:
        raise KeyError(f"unknown setting {name!r}")
    raw = os.environ.get(spec.env_var)
    if raw is None:
        return spec.default
    if isinstance(spec.default, bool | str):
        return raw
    try:
        return type(spec.default)(raw.replace(",", "."))
    except ValueError:
        raise ValueError(f"{spec.env_var}={raw!r} is not a number") from None


def min_group_size() -> int:
    return int(setting("min_group_size"))
