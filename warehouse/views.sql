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
