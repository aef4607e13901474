-- Views for researchers and for the indicators: facts joined with what they describe.

CREATE OR REPLACE VIEW responses AS
SELECT w.wave_id, i.instrument, p.respondent_id, i.item_id, a.value, a.load_id
FROM answers a
JOIN wave_keys w USING (wave_key)
JOIN respondent_keys p USING (respondent_key)
JOIN item_keys i USING (item_key);

CREATE OR REPLACE VIEW scores_long AS
SELECT s.wave_id, w.wave_order, s.instrument, s.respondent_id, s.scale_id, s.score,
       s.n_items_answered, s.n_items_asked,
       r.role, r.institution_id, r.sector_id, r.territory, r.level, r.years_in_post
FROM scale_scores s
JOIN respondents r USING (wave_id, instrument, respondent_id)
JOIN waves w USING (wave_id);

CREATE OR REPLACE VIEW responses_long AS
SELECT x.wave_id, w.wave_order, x.instrument, x.respondent_id, x.item_id, x.value,
       i.scale_id, i.reverse_keyed,
       r.role, r.institution_id, r.sector_id, r.territory, r.level
FROM responses x
JOIN respondents r USING (wave_id, instrument, respondent_id)
JOIN waves w USING (wave_id)
LEFT JOIN items i USING (instrument, item_id);

CREATE OR REPLACE VIEW ties_long AS
SELECT t.wave_id, w.wave_order, t.source, t.rater_respondent_id,
       t.from_institution_id, f.sector_id AS from_sector_id, f.territory AS from_territory,
       t.to_institution_id, o.sector_id AS to_sector_id, o.territory AS to_territory,
       t.collaboration_level, t.trust, t.value, t.frequency_per_month
FROM ties t
JOIN waves w USING (wave_id)
LEFT JOIN institutions f ON f.institution_id = t.from_institution_id
LEFT JOIN institutions o ON o.institution_id = t.to_institution_id;

CREATE OR REPLACE VIEW activity_institutions_long AS
SELECT a.activity_id, a.activity_date, a.activity_type, a.territory, a.for_16_18,
       a.parents_coorganised, a.participants, ai.institution_id, i.sector_id
FROM activities a
JOIN activity_institutions ai USING (activity_id, load_id)
LEFT JOIN institutions i USING (institution_id);

-- What each instrument is, by meaning: the kind its codebook declares (survey: practitioners'
-- questionnaire; partner_survey: one answer per organisation; ...). The newest stored codebook
-- of an instrument says it. Warehouses whose loads predate stored codebooks: the bundled
-- instruments' kinds (the only ones such warehouses could hold).
CREATE OR REPLACE VIEW instrument_kinds AS
SELECT instrument, arg_max(kind, stored_at) AS kind FROM codebooks GROUP BY instrument
UNION ALL
SELECT v.instrument, v.kind
FROM (VALUES ('practitioner', 'survey'), ('partner', 'partner_survey')) v(instrument, kind)
WHERE v.instrument NOT IN (SELECT instrument FROM codebooks);

-- The scales of every practitioner-survey instrument (kind survey) under the id the indicators
-- use: a published scale's standard (who5, cbi_work), else its own id; its role (practice,
-- wellbeing, burnout, other). Rows written before scales had a role: the bundled meaning (who5
-- wellbeing, cbi_work burnout, the others practice).
CREATE OR REPLACE VIEW survey_scales AS
SELECT s.instrument, s.scale_id AS instrument_scale_id,
       coalesce(s.standard, s.scale_id) AS scale_id,
       coalesce(s.role, CASE s.scale_id WHEN 'who5' THEN 'wellbeing' WHEN 'cbi_work' THEN 'burnout'
                                        ELSE 'practice' END) AS role,
       s.standard, s.label_fr, s.label_en, s.rule, s.multiplier, s.min_items, s.n_items,
       s.score_min, s.score_max, s.higher_is_better, s.source, s.sort_order
FROM scales s
JOIN instrument_kinds k ON k.instrument = s.instrument AND k.kind = 'survey';

-- Waves with respondents of more than one survey instrument (the only ones where a person can
-- have answered two; a load writes a respondent's scores with their row): the views below
-- deduplicate those waves only, so that a query for one territory reads that territory's rows
-- instead of sorting the whole table.
CREATE OR REPLACE VIEW survey_shared_waves AS
SELECT r.wave_id
FROM (SELECT DISTINCT wave_id, instrument FROM respondents) r
JOIN instrument_kinds k ON k.instrument = r.instrument AND k.kind = 'survey'
GROUP BY r.wave_id
HAVING count(*) > 1;

-- Respondents of the practitioner-survey instruments: one row per wave × person (a person who
-- answered two survey instruments in one wave counts once, with the first instrument's row).
CREATE OR REPLACE VIEW survey_respondents AS
SELECT r.*
FROM respondents r
JOIN instrument_kinds k ON k.instrument = r.instrument AND k.kind = 'survey'
WHERE r.wave_id NOT IN (SELECT wave_id FROM survey_shared_waves)
UNION ALL
SELECT * FROM (
    SELECT r.*
    FROM respondents r
    JOIN instrument_kinds k ON k.instrument = r.instrument AND k.kind = 'survey'
    WHERE r.wave_id IN (SELECT wave_id FROM survey_shared_waves)
    QUALIFY row_number() OVER (PARTITION BY r.wave_id, r.respondent_id ORDER BY r.instrument) = 1
);

-- Scale scores of the practitioner-survey instruments under the indicators' scale ids (one
-- score per wave × person × scale: the first instrument's).
CREATE OR REPLACE VIEW survey_scores AS
SELECT s.wave_id, s.instrument, s.respondent_id, m.scale_id, s.score, s.n_items_answered,
       s.n_items_asked, s.load_id
FROM scale_scores s
JOIN survey_scales m ON m.instrument = s.instrument AND m.instrument_scale_id = s.scale_id
WHERE s.wave_id NOT IN (SELECT wave_id FROM survey_shared_waves)
UNION ALL
SELECT * FROM (
    SELECT s.wave_id, s.instrument, s.respondent_id, m.scale_id, s.score, s.n_items_answered,
           s.n_items_asked, s.load_id
    FROM scale_scores s
    JOIN survey_scales m ON m.instrument = s.instrument AND m.instrument_scale_id = s.scale_id
    WHERE s.wave_id IN (SELECT wave_id FROM survey_shared_waves)
    QUALIFY row_number() OVER (PARTITION BY s.wave_id, s.respondent_id, m.scale_id ORDER BY s.instrument) = 1
);

-- Items of the practitioner-survey instruments, with their scale under the indicators' id.
CREATE OR REPLACE VIEW survey_items AS
SELECT i.* REPLACE (coalesce(m.scale_id, i.scale_id) AS scale_id)
FROM items i
JOIN instrument_kinds k ON k.instrument = i.instrument AND k.kind = 'survey'
LEFT JOIN survey_scales m ON m.instrument = i.instrument AND m.instrument_scale_id = i.scale_id;

-- The network each declared tie source feeds, by the kind of tie its roster questions give:
-- collaboration ties (an organisation rates its partners) feed `partner_survey`, joint actions
-- and exchanges named by practitioners feed `practitioner_survey`. Sources no roster declares
-- (loads before rosters were stored) keep their name.
CREATE OR REPLACE VIEW tie_sources AS
SELECT tie_source AS declared_source, any_value(tie_kind) AS tie_kind,
       CASE any_value(tie_kind) WHEN 'collaboration' THEN 'partner_survey' ELSE 'practitioner_survey' END AS source
FROM rosters GROUP BY tie_source;

-- Ties as the network indicators read them: `source` is the network the tie feeds (tie_sources).
CREATE OR REPLACE VIEW network_ties AS
SELECT t.* REPLACE (coalesce(s.source, t.source) AS source)
FROM ties t LEFT JOIN tie_sources s ON s.declared_source = t.source;

-- Which instruments answer for each network source: those whose roster questions feed it, and
-- those whose loads wrote ties to it (an institution that answered but named or rated nobody
-- still counts as having answered). Warehouses whose loads predate stored rosters: the bundled
-- instruments (partner → partner_survey, practitioner → practitioner_survey).
CREATE OR REPLACE VIEW tie_source_instruments AS
SELECT DISTINCT s.source, r.instrument FROM rosters r JOIN tie_sources s ON s.declared_source = r.tie_source
UNION
SELECT DISTINCT t.source, l.instrument
FROM (SELECT DISTINCT source, load_id FROM network_ties) t JOIN loads l USING (load_id)
UNION
SELECT v.source, v.instrument
FROM (VALUES ('partner_survey', 'partner'), ('practitioner_survey', 'practitioner')) v(source, instrument)
WHERE v.instrument NOT IN (SELECT instrument FROM rosters);
