"""The reference lists: institutions and invited people per wave (population targets)."""

from __future__ import annotations

from etl.demo.people import Person
from etl.demo.territory import INSTITUTIONS, NEIGHBOURHOODS, SECTOR_LABELS, SECTOR_SPELLINGS, SECTORS, TOWN, WAVES, Row

# --- Reference lists ---------------------------------------------------------------------------

INSTITUTION_HEADERS = ["id", "nom", "alias", "secteur", "quartier", "niveau"]
TARGET_HEADERS = ["vague", "secteur", "quartier", "effectif"]


def institution_rows() -> list[Row]:
    return [
        {
            "id": i.id,
            "nom": i.name,
            "alias": "|".join(i.aliases),
            "secteur": SECTOR_SPELLINGS.get(i.id, SECTOR_LABELS[i.sector]),
            "quartier": i.territory,
            "niveau": i.level,
        }
        for i in INSTITUTIONS
    ]


def target_rows(people: list[Person]) -> list[Row]:
    """Professionals invited per wave, sector and neighbourhood (everyone in post)."""
    rows: list[Row] = []
    territories = (*NEIGHBOURHOODS, TOWN)
    for wave in WAVES:
        active = [p for p in people if p.first_wave <= wave.index <= p.last_wave]
        for sector in SECTORS:
            for territory in territories:
                n = sum(1 for p in active if p.inst.sector == sector and p.inst.territory == territory)
                if n:
                    rows.append(
                        {"vague": wave.id, "secteur": SECTOR_LABELS[sector], "quartier": territory, "effectif": n}
                    )
    return rows
