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
    exported = CliRunner().invoke(cli, ["export", "--db", str(demo_db), "--out", str(tmp_path / "export"),
                                        "--format", "parquet", "--no-indicators"])  # fmt: skip
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
    for name in ("who5", "who5_from_export"):
        result = namespace[name].to_pandas()  # type: ignore[attr-defined]
        assert list(result.columns) == ["wave_id", "wave_order", "sector_id", "n", "mean_who5"]
        assert (result["n"] >= 5).all()
        got = result.set_index(keys).sort_index()
        # every group the dashboard shows, with its n and mean
        assert set(expected.index) <= set(got.index), name
        pd.testing.assert_series_equal(
            got.loc[expected.index, "n"].astype("int64"), expected["n"].astype("int64"), check_names=False
        )
        pd.testing.assert_series_equal(got.loc[expected.index, "mean_who5"], expected["mean"], check_names=False)
    assert namespace["who5"].equals(namespace["who5_from_export"])  # type: ignore[attr-defined]


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
