"""The Python example of docs/warehouse.md runs as written and gives the dashboard's numbers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from etl.cli import cli
from indicators.filters import Filters
from indicators.wellbeing import wellbeing_summary
from warehouse.db import attach_read_only

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"


def doc_block(language: str) -> str:
    """The code block in `language` of the docs' example section (exactly one)."""
    section = DOC.read_text(encoding="utf-8").split("## Example: mean WHO-5 by wave and sector", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, f"expected one {language} block, found {len(blocks)}"
    return str(blocks[0])


def test_the_python_example_gives_the_means_the_dashboard_shows(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the layout the example assumes: the warehouse in data/, a Parquet export in export/
    (tmp_path / "data").mkdir()
    shutil.copyfile(demo_db, tmp_path / "data" / "maillage.duckdb")
    exported = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "data" / "maillage.duckdb"),
                                        "--out", str(tmp_path / "export"), "--format", "parquet",
                                        "--no-indicators", "--microdata"])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(doc_block("python"), "docs/warehouse.md", "exec"), namespace)

    conn = attach_read_only(demo_db)
    try:
        # The researcher reads every respondent's own sector; the dashboard's breakdowns count
        # respondents by their published sector (disclosure control, docs/privacy.md): compare
        # with the indicator's own computation, disclosure control off.
        shown = wellbeing_summary(conn, Filters(min_group_size=1), by=("wave_id", "sector_id"))
    finally:
        conn.close()
    shown = shown[(shown["scale_id"] == "who5") & shown["mean"].notna() & (shown["n"] >= 5)]
    assert len(shown) >= 20  # most wave × sector groups of the demo are shown
    keys = ["wave_id", "sector_id"]
    expected = shown[[*keys, "n", "mean"]].set_index(keys).sort_index()
    result = namespace["who5"].to_pandas()  # type: ignore[attr-defined]
    assert list(result.columns) == ["wave_id", "wave_order", "sector_id", "n", "mean_who5"]
    assert (result["n"] >= 5).all()
    got = result.set_index(keys).sort_index()
    # every group the indicator gives, with its n and mean
    assert set(expected.index) <= set(got.index)
    pd.testing.assert_series_equal(
        got.loc[expected.index, "n"].astype("int64"), expected["n"].astype("int64"), check_names=False
    )
    pd.testing.assert_series_equal(got.loc[expected.index, "mean_who5"], expected["mean"], check_names=False)
    # The anonymised export publishes a rare sector as "*": its groups are those of the warehouse
    # or smaller, and each wave's mean over everyone is the dashboard's own.
    export = namespace["who5_from_export"].to_pandas().set_index(keys)  # type: ignore[attr-defined]
    assert list(export.columns) == ["wave_order", "n", "mean_who5"] and (export["n"] >= 5).all()
    real = export.loc[[s != "*" for _, s in export.index]]
    assert (real["n"] <= got.loc[real.index, "n"]).all() and len(real) >= 15
    panel = pd.read_parquet(tmp_path / "export" / "panel_wide.parquet")
    conn = attach_read_only(demo_db)
    try:
        overall = wellbeing_summary(conn, Filters())
    finally:
        conn.close()
    overall = overall[overall["scale_id"] == "who5"].set_index("wave_id")["mean"]
    from_panel = panel.dropna(subset=["score_who5"]).groupby("wave_id")["score_who5"].mean()
    pd.testing.assert_series_equal(from_panel.sort_index(), overall.sort_index(), check_names=False)


def test_the_r_example_names_columns_that_exist(demo_db: Path) -> None:
    """R is not run here (no R in the test environment): the columns its dplyr verbs name must be
    columns of the view and of the panel it reads, and its brackets and quotes balanced."""
    code = doc_block("r")
    assert 'tbl(con, "scores_long")' in code and "read_parquet('export/panel_wide.parquet')" in code
    named = set()
    for verb in ("filter", "group_by", "arrange"):
        for args in re.findall(rf"\b{verb}\(([^|]*)\)", code):
            named |= set(re.findall(r"\b([a-z_][a-z0-9_]*)\b", re.sub(r'"[^"]*"', "", args)))
    named -= {"is", "na", "n", "mean", "score_who5"}  # functions, and the panel's own column
    conn = attach_read_only(demo_db)
    try:
        view = {r[0] for r in conn.execute("DESCRIBE scores_long").fetchall()}
    finally:
        conn.close()
    assert {"instrument", "scale_id", "score", "wave_id", "wave_order", "sector_id"} <= named <= view
    assert code.count("(") == code.count(")") and code.count('"') % 2 == 0 and code.count("'") % 2 == 0
