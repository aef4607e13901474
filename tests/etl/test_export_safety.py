"""`maillage export` lets no respondent's free text out and no spreadsheet formula into a CSV."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest
from click.testing import CliRunner

from etl.cli import cli
from etl.load import LoadResult
from warehouse.db import attach_read_only, publish
from warehouse.safe_text import neutralise_frame as _neutralised

DATA = Path(__file__).resolve().parent.parent / "data"
PLANTED = "Autre : Marie Dupont, infirmière"
FORMULA = '=HYPERLINK("http://x","y")'
STARTS = ("=", "+", "-", "@", "\t", "\r")


def export(db: Path, out: Path, *extra: str) -> Path:
    """The export with the anonymised microdata (the most that leaves without --include-free-text)."""
    # groups of one allowed: these small test warehouses then export every row (the worst case here)
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(out), "--microdata", *extra],
                                env={"MAILLAGE_MIN_GROUP_SIZE": "1"})
    assert result.exit_code == 0, result.output
    return out


def files_holding(folder: Path, text: str) -> list[str]:
    """Every file under `folder` holding `text`: its bytes (UTF-8, UTF-16, Windows-1252), and for
    Parquet (compressed) every value read back."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hit = any(text.encode(encoding) in data for encoding in ("utf-8", "utf-16-le", "cp1252"))
        if not hit and path.suffix == ".parquet":
            table = pq.read_table(path)
            hit = any(text in str(value) for column in table.columns for value in column.to_pylist())
        if hit:
            found.append(path.relative_to(folder).as_posix())
    return found


@pytest.fixture()
def free_text_db(
    tmp_path: Path,
    db: Path,
    load: Callable[..., LoadResult],
    with_institutions: None,
    query: Callable[..., list[tuple[Any, ...]]],
) -> Path:
    """A warehouse where a practitioner wrote a name in the role question (quarantined cell)."""
    original = (DATA / "framaforms.csv").read_text("utf-8")
    assert "Professionnel·le de santé" in original
    source = tmp_path / "framaforms.csv"
    source.write_text(original.replace("Professionnel·le de santé", f'"{PLANTED}"'), "utf-8")
    load(source, "practitioner", "2025-2")
    quarantined = query("SELECT value, message, message_fr FROM quarantine")
    # the warehouse has it in `value` only: the explanations never quote a rejected value
    assert quarantined and all(PLANTED in value for value, _, _ in quarantined)
    assert not any(PLANTED in text for _, message, message_fr in quarantined for text in (message, message_fr))
    return db


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_quarantined_free_text_reaches_no_exported_file(free_text_db: Path, tmp_path: Path, fmt: str) -> None:
    out = export(free_text_db, tmp_path / "out", "--format", fmt)
    suffixes = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert {".csv", ".dta", ".sav"} <= suffixes and (fmt == "csv" or ".parquet" in suffixes)
    assert files_holding(out, "Marie Dupont") == []
    assert files_holding(out, "infirmière") == []


def test_the_exported_quarantine_says_what_was_kept_out_without_the_value(free_text_db: Path, tmp_path: Path) -> None:
    out = export(free_text_db, tmp_path / "out")
    quarantine = pd.read_csv(out / "tidy" / "quarantine.csv")
    assert "value" not in quarantine.columns
    row = quarantine.iloc[0]
    assert (row["problem"], row["scope"], row["source_row"]) == ("unknown_label", "cell", 5)
    assert row["message"] == (
        "unknown_label: answer kept out (row 5, column “Quelle est votre fonction ?”). "
        "The value is not exported: see the load's validation report."
    )
    assert row["message_fr"] == (
        "unknown_label : réponse mise en quarantaine (ligne 5, colonne « Quelle est votre fonction ? »). "
        "La valeur n'est pas exportée : voir le rapport de validation du chargement."
    )


def test_asking_for_free_text_exports_it(free_text_db: Path, tmp_path: Path) -> None:
    out = export(free_text_db, tmp_path / "out", "--include-free-text")
    assert files_holding(out, PLANTED) == ["tidy/quarantine.csv"]


def test_neutralised_prefixes_formula_text_and_leaves_numbers() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.Series(["=1+1", "+33 1 23", "-x", "@SUM(A1)", "\tt", "\rr", "ok", None, "a=b"], dtype="str"),
            "change": [-0.25, -3.0, 0.5, np.nan, 1.0, 2.0, 3.0, 4.0, 5.0],
            "n": pd.array([-1, 2, 3, 4, 5, 6, 7, None, 9], dtype="Int64"),
            "mixed": ["=x", 1, -2.5, None, "y", True, "-", "+", "z"],
        }
    )
    out = _neutralised(frame)
    assert out["text"].tolist()[:7] == ["'=1+1", "'+33 1 23", "'-x", "'@SUM(A1)", "'\tt", "'\rr", "ok"]
    assert pd.isna(out["text"][7]) and out["text"][8] == "a=b"
    assert out["mixed"].tolist()[:3] == ["'=x", 1, -2.5] and out["mixed"].tolist()[6:8] == ["'-", "'+"]
    pd.testing.assert_series_equal(out["change"], frame["change"])
    pd.testing.assert_series_equal(out["n"], frame["n"])
    assert frame["text"][0] == "=1+1"  # the input is left as it was


@pytest.fixture(scope="module")
def formula_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo where an institution is named like a spreadsheet formula."""
    db = tmp_path_factory.mktemp("formula") / "maillage.duckdb"
    shutil.copyfile(demo_db, db)

    def rename(conn: Any) -> None:
        conn.execute("UPDATE institutions SET name = ? WHERE institution_id = 'SA_CMP'", [FORMULA])
        conn.executemany("INSERT INTO institution_aliases VALUES (?, 'SA_CMP')", [["+CMP"], ["@CMP"], ["-CMP"]])

    publish(db, rename)
    return db


def test_no_exported_csv_cell_is_a_live_formula(formula_db: Path, tmp_path: Path) -> None:
    out = export(formula_db, tmp_path / "out")
    formulas, negatives, holding = [], 0, set()
    for path in sorted(out.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell == "'" + FORMULA:
                        holding.add(path.relative_to(out).as_posix())
                    if not cell.startswith(STARTS):
                        continue
                    try:
                        negatives += float(cell) < 0
                    except ValueError:
                        formulas.append((path.name, cell))
    assert formulas == []
    assert {"tidy/institutions.csv", "indicators/network_institutions.csv"} <= holding
    assert negatives > 0  # negative numbers (changes between waves) are still plain numbers
    aliases = pd.read_csv(out / "tidy" / "institution_aliases.csv")
    assert {"'+CMP", "'@CMP", "'-CMP"} <= set(aliases["alias"])


def test_parquet_and_stata_keep_the_raw_name(formula_db: Path, tmp_path: Path) -> None:
    out = export(formula_db, tmp_path / "out", "--format", "parquet", "--no-indicators")
    names = pq.read_table(out / "tidy" / "institutions.parquet").to_pandas().set_index("institution_id")["name"]
    assert names["SA_CMP"] == FORMULA
    conn = attach_read_only(formula_db)
    ids = [r[0] for r in conn.execute("SELECT institution_id FROM institutions ORDER BY 1").fetchall()]
    conn.close()
    _, meta = pyreadstat.read_dta(out / "panel_wide.dta", metadataonly=True)
    assert meta.variable_value_labels["institution_id"][ids.index("SA_CMP") + 1] == FORMULA
