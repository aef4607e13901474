"""One definition of "the same text": used for column names, answer labels and institution names.

Normalisation is done in DuckDB (a SQL macro) so that codebook labels, headers and the millions
of answer cells go through exactly the same function.
"""

from __future__ import annotations

import duckdb

# lower case, no accents, typographic apostrophes and non-breaking spaces made plain, runs of
# white space collapsed, no space before ? : ! ; (French typography), trimmed.
_MACROS = r"""
CREATE OR REPLACE TEMP MACRO mnorm(x) AS trim(regexp_replace(regexp_replace(
    lower(strip_accents(
        replace(replace(replace(replace(replace(CAST(x AS VARCHAR),
            chr(8217), ''''), chr(8216), ''''), chr(160), ' '), chr(8239), ' '), chr(8211), '-')
    )),
    '\s+', ' ', 'g'), ' ([?:!;])', '\1', 'g'));
CREATE OR REPLACE TEMP MACRO mkey(x) AS regexp_replace(mnorm(x), '[^a-z0-9]', '', 'g');
"""


def install_macros(conn: duckdb.DuckDBPyConnection) -> None:
    """Define `mnorm(text)` and `mkey(text)` (letters and digits only) on this connection."""
    conn.execute(_MACROS)


def normalise_many(conn: duckdb.DuckDBPyConnection, values: list[str]) -> list[str]:
    """`mnorm` applied to each value, in order."""
    if not values:
        return []
    rows = conn.execute(
        "SELECT mnorm(v) FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) ORDER BY i",
        [values],
    ).fetchall()
    return [r[0] or "" for r in rows]


def keys_many(conn: duckdb.DuckDBPyConnection, values: list[str]) -> list[str]:
    """`mkey` applied to each value, in order."""
    if not values:
        return []
    rows = conn.execute(
        "SELECT mkey(v) FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) ORDER BY i",
        [values],
    ).fetchall()
    return [r[0] or "" for r in rows]
