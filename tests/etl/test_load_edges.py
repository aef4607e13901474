"""The edges of a load: SPSS files, a file that is a wave already loaded, scales whose items
change between waves, names that would become paths, stale build copies, codebook folders."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from etl.cli import cli
from etl.load import LoadResult
from etl.report import summary_lines
from tests.etl.awkward_corpus import CORPUS, KEYS, TRUTH, WHO5_LABEL
from warehouse.db import publish, remove_stale_builds, writer_lock

DATA = Path(__file__).resolve().parent.parent / "data"
Query = Callable[..., list[tuple[Any, ...]]]


# --- SPSS ------------------------------------------------------------------------------------------


def _write_sav(path: Path) -> None:
    """An SPSS export as LimeSurvey writes it: variables G05Q01_SQ001… (no brackets), question texts
    as variable labels, answers as numeric codes 1…6 with value labels (code 1 = "Tout le temps" = 5
    in the codebook: the codes are not the values)."""
    import pyreadstat

    who5_code = {5: 1, 4: 2, 3: 3, 2: 4, 1: 5, 0: 6}  # LimeSurvey's A1…A6 numbered 1…6
    frame = pd.DataFrame(
        {
            "token": KEYS,
            "submitdate": [TRUTH[k]["submitted"] for k in KEYS],
            "G01Q02": ["Collège Jean Jaurès", "Service jeunesse", "CMP", "Espoir et Réussite"],
            **{f"G05Q01_SQ00{i + 1}": [float(who5_code[TRUTH[k]["WHO5"][i]]) for k in KEYS] for i in range(5)},
            "NET1": [float(TRUTH[k]["NET"][0]) for k in KEYS],  # no value labels: read as values
        }
    )
    frame.loc[3, "G05Q01_SQ005"] = 99.0  # user-missing "Sans réponse"
    labels = {i: WHO5_LABEL[v] for v, i in who5_code.items()} | {99: "Sans réponse"}
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Jeton", "Date", "Dans quelle structure travaillez-vous ?"]
        + [f"Au cours des deux dernières semaines : [{i}]" for i in range(1, 6)]
        + ["Je coordonne mes interventions"],
        variable_value_labels={f"G05Q01_SQ00{i}": labels for i in range(1, 6)},
        missing_ranges={"G05Q01_SQ005": [99]},
    )


@pytest.mark.usefixtures("with_institutions")
def test_an_spss_file_is_read_by_its_value_labels(
    load: Callable[..., LoadResult], query: Query, tmp_path: Path
) -> None:
    path = tmp_path / "export.sav"
    _write_sav(path)
    result = load(path, "practitioner", "2026-1")
    assert result.rows_loaded == 4 and result.notes[0] == "SPSS file, 9 variables, 4 cases"
    assert result.notes_fr[0] == "fichier SPSS, 9 variables, 4 observations"
    got = {
        (inst, item): v
        for inst, item, v in query(
            "SELECT r.institution_id, x.item_id, x.value FROM responses x JOIN respondents r "
            "USING (wave_id, instrument, respondent_id)"
        )
    }
    for k in KEYS:
        t = TRUTH[k]
        for i in range(5):
            if k == "MN78OP" and i == 4:
                assert (t["institution"], "WHO5_5") not in got  # user-missing: not answered
            else:
                assert got[(t["institution"], f"WHO5_{i + 1}")] == t["WHO5"][i]
        assert got[(t["institution"], "NET1")] == t["NET"][0]
    stamps = dict(query("SELECT institution_id, submitted_at FROM respondents"))
    assert stamps["SANTE_CMP"] == TRUTH["IJ56KL"]["submitted"]


def test_a_broken_spss_file_is_refused(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    from etl.errors import FileRefused

    path = tmp_path / "broken.sav"
    path.write_bytes(b"$FL2 not really")
    with pytest.raises(FileRefused, match=r"broken.sav: cannot be read as an SPSS file \("):
        load(path, "practitioner", "2026-1")


# --- A wave already loaded ---------------------------------------------------------------------------


@pytest.mark.usefixtures("with_institutions")
def test_last_years_file_loaded_as_a_new_wave_is_flagged(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    first = load(CORPUS / "ls_fulltext.csv", "practitioner", "2025-1")
    assert first.similar_waves == []
    again = load(CORPUS / "ls_fulltext.csv", "practitioner", "2026-1", dry_run=True)
    (same,) = again.similar_waves
    assert (same.wave_id, same.same_file, same.load_id) == ("2025-1", True, first.load_id)
    # the same answers in another export style (Kobo): not the same bytes, the same people and answers
    other = load(CORPUS / "kobo_comma_utf8.csv", "practitioner", "2026-1")
    (similar,) = other.similar_waves
    assert (similar.wave_id, similar.same_file, similar.matching, similar.respondents) == ("2025-1", False, 4, 4)
    warning = other.problems[other.problems["problem"] == "same_as_loaded_wave"]
    assert list(warning["message"]) == [
        "4 of this file's 4 respondents are in wave 2025-1 (file ls_fulltext.csv, load #2) with exactly the same "
        "answers: this looks like that wave's export again. Check the file before loading it as a new wave."
    ]
    lines = summary_lines(other, None, "fr")
    assert ("  ATTENTION : 4 des 4 répondants ont exactement les mêmes réponses qu'à la vague 2025-1 (n° 2) : "
            "est-ce bien une nouvelle vague ?") in lines


@pytest.mark.usefixtures("with_institutions")
def test_a_real_new_wave_is_not_flagged(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    load(CORPUS / "ls_fulltext.csv", "practitioner", "2025-1")
    changed = tmp_path / "next.csv"
    text = (CORPUS / "ls_fulltext.csv").read_text("utf-8")
    for label in ("Tout le temps", "La plupart du temps", "Plus de la moitié du temps"):
        text = text.replace(f";{label};", ";Jamais;")
    changed.write_text(text, "utf-8")
    assert load(changed, "practitioner", "2026-1").similar_waves == []


# --- A scale whose items change between waves (issue 9 §1) -----------------------------------------


@pytest.mark.usefixtures("with_institutions")
def test_a_codebook_version_that_changes_a_scale_s_items_is_reported(
    load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    v1 = tmp_path / "v1.csv"
    v1.write_text("token;G02Q04[SQ001];G02Q04[SQ002];G02Q04[SQ003];G02Q04[SQ004];G02Q02[SQ001]\n"
                  "t1;A4;A4;A3;A2;A5\nt2;A3;A3;A3;A3;A4\n", "utf-8")
    v2 = tmp_path / "v2.csv"
    v2.write_text("token;G02Q04[SQ001];G02Q04[SQ002];G02Q04[SQ003];G02Q02[SQ001];G02Q02[SQ005]\n"
                  "t1;A4;A4;A3;A5;A2\nt2;A3;A3;A3;A4;A4\n", "utf-8")
    load(v1, "practitioner@1", "2025-1")
    result = load(v2, "practitioner@2", "2025-2")
    changes = {(c.scale_id, c.added, c.dropped, c.waves, c.versions) for c in result.scale_changes}
    assert changes == {
        ("partnership_culture", (), ("CUL4",), ("2025-1",), ("1",)),
        ("legibility", ("LEG5",), (), ("2025-1",), ("1",)),
    }
    messages = set(result.problems.loc[result.problems["problem"] == "scale_items_changed", "message"])
    assert (
        "Scale “Partnership culture” (partnership_culture) has other items in this file (practitioner@2) than in "
        "wave(s) 2025-1 (codebook version 1): CUL4 dropped. A change between these waves must be computed on the "
        "items both share."
    ) in messages
    lines = summary_lines(result, None)
    assert "  Scale legibility: items changed compared with waves 2025-1 (version 1): +LEG5" in lines


# --- Names that become paths, keys, reports ----------------------------------------------------------


def test_a_wave_id_that_is_a_path_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "data" / "w.duckdb"
    result = CliRunner().invoke(cli, ["load", str(CORPUS / "ls_fulltext.csv"), "-i", "practitioner", "-w",
                                      "../../etc", "--db", str(db), "--secret", str(tmp_path / "k")])
    assert result.exit_code == 2
    assert result.output == (
        "Error: Wave id '../../etc' is not usable: use letters, digits, '-', '_' or '.', at most 32 characters, "
        "e.g. 2025-1 or 2025-S2. Nothing was written.\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == []


def test_an_instrument_name_that_is_a_path_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["load", str(CORPUS / "ls_fulltext.csv"), "-i", "../surveys", "-w", "2025-1",
                                      "--db", str(tmp_path / "d" / "w.duckdb"), "--secret", str(tmp_path / "k")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: `../surveys` is not an instrument name")
    assert list(tmp_path.iterdir()) == []


def test_the_cli_summary_exists_in_french(tmp_path: Path) -> None:
    db, key = str(tmp_path / "w.duckdb"), str(tmp_path / "k")
    runner = CliRunner()
    runner.invoke(cli, ["load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", db, "--secret", key])
    out = runner.invoke(cli, ["load", str(CORPUS / "ls_fulltext.csv"), "-i", "practitioner", "-w", "2025-1",
                              "--db", db, "--secret", key, "--lang", "fr"])
    assert out.exit_code == 0, out.output
    first = out.output.splitlines()[0]
    assert first == ("Chargé : ls_fulltext.csv → vague 2025-1 (encodage utf-8, séparateur « ; » ; dictionnaire "
                     "practitioner@1 ; 1 ligne(s) d'en-tête)")
    assert out.output.splitlines()[1].startswith("  chargé : 4 ligne(s) sur 4 ; 0 ligne(s) et 0 réponse(s) écartées")
    assert f"Rapport : {tmp_path / 'reports' / 'ls_fulltext.2025-1.report.csv'}" in out.output


def test_codebooks_of_ones_own_folder_load_with_surveys_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, key = str(tmp_path / "w.duckdb"), str(tmp_path / "k")
    runner = CliRunner()
    runner.invoke(cli, ["load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", db, "--secret", key])
    args = ["load", str(CORPUS / "kobo_choice_names_0_to_4.csv"), "-i", "frequences", "-w", "2026-1", "--db", db,
            "--secret", key]
    unknown = runner.invoke(cli, args)
    assert unknown.exit_code == 3 and "Unknown instrument `frequences`" in unknown.output
    with_option = runner.invoke(cli, [*args, "--surveys", str(CORPUS / "codebooks")])
    assert with_option.exit_code == 0 and "loaded 4 of 4 rows" in with_option.output
    monkeypatch.setenv("MAILLAGE_SURVEYS", f"{CORPUS / 'codebooks_broken'}{os.pathsep}{CORPUS / 'codebooks'}")
    listed = runner.invoke(cli, ["instruments"])
    assert "frequences" in listed.output  # a broken neighbour does not hide it
    monkeypatch.setenv("MAILLAGE_SURVEYS", str(tmp_path / "nowhere"))
    missing = runner.invoke(cli, args)
    assert missing.exit_code == 3
    assert missing.output.startswith(f"Error: Codebook folder {tmp_path / 'nowhere'} does not exist")


# --- Stale build copies ------------------------------------------------------------------------------


def test_stale_building_copies_of_killed_loads_are_removed_by_the_next_writer(tmp_path: Path) -> None:
    db = tmp_path / "maillage.duckdb"
    with writer_lock(db):
        publish(db, lambda conn: None)
    stale = tmp_path / f".{db.name}.abc123.building"
    stale.write_bytes(db.read_bytes())
    stale_wal = tmp_path / f".{db.name}.abc123.building.wal"
    stale_wal.write_bytes(b"half a wal")
    orphan_wal = tmp_path / f".{db.name}.zzz.building.wal"
    orphan_wal.write_bytes(b"x")
    other = tmp_path / ".other.duckdb.q.building"  # another warehouse's copy: not ours to touch
    other.write_bytes(b"x")
    with writer_lock(db):
        pass
    assert not stale.exists() and not stale_wal.exists() and not orphan_wal.exists()
    assert other.exists()


def test_a_building_copy_still_open_by_another_process_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "maillage.duckdb"
    with writer_lock(db):
        publish(db, lambda conn: None)
    live = tmp_path / f".{db.name}.live.building"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            c = duckdb.connect({str(live)!r})
            c.execute("CREATE TABLE t AS SELECT 1")
            print("ready", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert remove_stale_builds(db) == []
        assert live.exists()
    finally:
        holder.kill()
        holder.wait()
    assert live in remove_stale_builds(db) and not live.exists()
