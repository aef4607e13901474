-- Maillage warehouse schema: the one place where tables are defined.
-- Every table and column is documented in docs/warehouse.md (a test keeps both in step).
-- Unique keys are stated in comments rather than as PRIMARY KEY constraints on the large fact
-- tables: the loader builds them set-based and a test checks uniqueness.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS sectors (
    sector_id VARCHAR PRIMARY KEY,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS institutions (
    institution_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    sector_id VARCHAR NOT NULL,
    territory VARCHAR,
    level VARCHAR,
    load_id INTEGER
);

CREATE TABLE IF NOT EXISTS institution_aliases (
    alias VARCHAR NOT NULL,
    institution_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS waves (
    wave_id VARCHAR PRIMARY KEY,
    wave_order INTEGER NOT NULL,
    first_date DATE,
    last_date DATE
);

CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL,
    codebook_sha256 VARCHAR NOT NULL,
    institutions_load_id INTEGER,
    wave_id VARCHAR,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    cells_quarantined INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    replaced_by_load_id INTEGER
);

CREATE TABLE IF NOT EXISTS items (
    instrument VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    scale_id VARCHAR,
    text_fr VARCHAR NOT NULL,
    text_en VARCHAR NOT NULL,
    response_set VARCHAR,
    value_min DOUBLE,
    value_max DOUBLE,
    reverse_keyed BOOLEAN NOT NULL,
    unit VARCHAR,
    target_sector_id VARCHAR,
    PRIMARY KEY (instrument, item_id)
);

CREATE TABLE IF NOT EXISTS response_labels (
    instrument VARCHAR NOT NULL,
    response_set VARCHAR NOT NULL,
    value DOUBLE,
    code VARCHAR,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS scales (
    instrument VARCHAR NOT NULL,
    scale_id VARCHAR NOT NULL,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    multiplier DOUBLE NOT NULL,
    min_items INTEGER NOT NULL,
    n_items INTEGER NOT NULL,
    score_min DOUBLE NOT NULL,
    score_max DOUBLE NOT NULL,
    higher_is_better BOOLEAN NOT NULL,
    source VARCHAR,
    PRIMARY KEY (instrument, scale_id)
);

CREATE TABLE IF NOT EXISTS wave_items (
    wave_id VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    load_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS respondents (
    wave_id VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    submitted_at TIMESTAMP,
    role VARCHAR,
    institution_id VARCHAR,
    sector_id VARCHAR,
    territory VARCHAR,
    level VARCHAR,
    years_in_post DOUBLE
);

-- Answers are the largest table (respondents × items per wave): stored with integer keys (string
-- columns cost several times more to write), and read through the `responses` view.
CREATE TABLE IF NOT EXISTS wave_keys (
    wave_key SMALLINT PRIMARY KEY,
    wave_id VARCHAR NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS respondent_keys (
    respondent_key INTEGER PRIMARY KEY,
    respondent_id VARCHAR NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS item_keys (
    item_key SMALLINT PRIMARY KEY,
    instrument VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    UNIQUE (instrument, item_id)
);

CREATE TABLE IF NOT EXISTS answers (
    wave_key SMALLINT NOT NULL,
    respondent_key INTEGER NOT NULL,
    item_key SMALLINT NOT NULL,
    value DOUBLE NOT NULL,
    load_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS scale_scores (
    wave_id VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    scale_id VARCHAR NOT NULL,
    score DOUBLE,
    n_items_answered INTEGER NOT NULL,
    n_items_asked INTEGER NOT NULL,
    load_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS ties (
    wave_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    rater_respondent_id VARCHAR NOT NULL,
    from_institution_id VARCHAR NOT NULL,
    to_institution_id VARCHAR NOT NULL,
    collaboration_level DOUBLE,
    trust DOUBLE,
    value DOUBLE,
    frequency_per_month DOUBLE,
    load_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS activities (
    activity_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    wave_id VARCHAR,
    source_row INTEGER NOT NULL,
    activity_date DATE NOT NULL,
    activity_type VARCHAR,
    territory VARCHAR,
    participants INTEGER,
    for_16_18 BOOLEAN,
    parents_coorganised BOOLEAN,
    audiences VARCHAR[],
    title VARCHAR
);

CREATE TABLE IF NOT EXISTS activity_institutions (
    activity_id VARCHAR NOT NULL,
    institution_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS population_targets (
    wave_id VARCHAR NOT NULL,
    sector_id VARCHAR,
    territory VARCHAR,
    target_n INTEGER NOT NULL,
    load_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    load_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    source_row INTEGER,
    column_name VARCHAR,
    value VARCHAR,
    problem VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    message_fr VARCHAR
);

-- Every anonymised microdata export (`maillage export --microdata`): who asked is the person
-- at the keyboard; what left is recorded here.
CREATE TABLE IF NOT EXISTS exports (
    export_id INTEGER PRIMARY KEY,
    exported_at TIMESTAMP NOT NULL,
    kind VARCHAR NOT NULL,
    file_format VARCHAR NOT NULL,
    min_group_size INTEGER NOT NULL,
    rows_exported INTEGER NOT NULL,
    smallest_class INTEGER NOT NULL,
    coarsened VARCHAR NOT NULL,
    rows_left_out INTEGER NOT NULL
);

-- Every codebook a load used (its own TOML text and the merged definition), so that the
-- dashboard, exports and pack know every instrument without the codebook folder.
CREATE TABLE IF NOT EXISTS codebooks (
    instrument VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    title_fr VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    extends VARCHAR,
    sha256 VARCHAR NOT NULL,
    toml_text VARCHAR NOT NULL,
    definition_json VARCHAR NOT NULL,
    stored_at TIMESTAMP NOT NULL
);

-- What each scale measures, as its codebook declares it (added to warehouses made before).
ALTER TABLE scales ADD COLUMN IF NOT EXISTS role VARCHAR;
ALTER TABLE scales ADD COLUMN IF NOT EXISTS standard VARCHAR;
-- The scale's place in its codebook (the order pages list scales in).
ALTER TABLE scales ADD COLUMN IF NOT EXISTS sort_order INTEGER;

-- Roster questions (questions that name institutions) and the kind of tie each one gives.
CREATE TABLE IF NOT EXISTS rosters (
    instrument VARCHAR NOT NULL,
    roster_id VARCHAR NOT NULL,
    roster_kind VARCHAR NOT NULL,
    tie_source VARCHAR NOT NULL,
    tie_kind VARCHAR NOT NULL,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    rating_fields VARCHAR[] NOT NULL,
    PRIMARY KEY (instrument, roster_id)
);

-- Events an evaluation officer marks once (the launch of a scheme, a training, a school year),
-- shown on every time chart of the dashboard and of the committee pack (`maillage events`).
CREATE TABLE IF NOT EXISTS events (
    event_id INTEGER PRIMARY KEY,
    event_date DATE NOT NULL,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    territory VARCHAR,
    added_at TIMESTAMP NOT NULL
);
