"""Charger une vague: check an export without writing anything, then load it on confirmation.

The work is done by ui.loading (no Streamlit there); this page asks, shows and confirms. Works
when the warehouse does not exist yet (the first load creates it).
"""

from __future__ import annotations

import streamlit as st

from etl.errors import MaillageError
from indicators import quality as q
from ui import access, components, data, loading, state
from ui import figures_quality as fq
from ui.i18n import fmt_int, t

sel = state.selection()
lang = sel.lang
components.header(t("page.load", lang), t("load.question", lang))
if not access.can_edit():  # the navigation already leaves this page out for viewers
    components.empty_state(t("access.editors_only", lang))
    st.stop()

db = data.db_path()
facts = loading.warehouse_facts(db)
gen = int(st.session_state.get("_load_gen", 0))


def _what(instrument: str, wave: str | None) -> str:
    name = fq.instrument_label(instrument, lang, loading.instrument_titles(lang))
    return t("load.what_wave", lang, wave=wave, instrument=name) if wave else t("load.what_list", lang, instrument=name)


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


# --- what happened at the last load (kept until the next check) ---------------------------------
if st.session_state.get(f"load_file_{gen}") is not None:
    st.session_state.pop("_load_done", None)  # a new file was dropped: the last load is history
done: loading.Outcome | None = st.session_state.get("_load_done")
if done is not None and done.result is not None:
    r = done.result
    if done.status == "unchanged":
        st.info(t("load.done_unchanged", lang, file=done.file_name), icon=":material/info:")
    else:
        lines = [
            t(
                "load.done",
                lang,
                file=done.file_name,
                loaded=fmt_int(r.rows_loaded, lang),
                read=fmt_int(r.rows_read, lang),
                what=_what(r.instrument, r.wave_id),
                load_id=r.load_id,
            )
        ]
        if r.replaced_load_ids:
            lines.append(t("load.done_replaced", lang, ids=_ids(r.replaced_load_ids)))
        if r.rows_quarantined or r.cells_quarantined:
            lines.append(
                t(
                    "load.done_quarantine",
                    lang,
                    rows=fmt_int(r.rows_quarantined, lang),
                    cells=fmt_int(r.cells_quarantined, lang),
                )
            )
        st.success("  \n".join(lines), icon=":material/check_circle:")
    if done.report_path is not None:
        st.caption(t("load.done_report", lang, path=done.report_path))
    if r.instrument == "institutions":
        st.markdown(t("load.done_next_institutions", lang))
    st.markdown(t("load.done_next", lang))
    links = [("pages/6_qualite.py", "load.link.quality", ":material/fact_check:")]
    if r.instrument == "partner":
        links.append(("pages/3_reseau.py", "load.link.network", ":material/hub:"))
    elif r.instrument == "activities":
        links.append(("pages/4_echanges.py", "load.link.exchanges", ":material/swap_horiz:"))
    elif r.kind == "survey":
        links += [
            ("pages/1_vue_ensemble.py", "load.link.overview", ":material/dashboard:"),
            ("pages/2_pratiques.py", "load.link.practice", ":material/groups:"),
        ]
    for page, key, icon in links:
        st.page_link(page, label=t(key, lang), icon=icon)
    st.divider()

# --- where we are -------------------------------------------------------------------------------
if not facts.exists:
    st.info(t("load.no_warehouse", lang, path=db), icon=":material/database:")
elif facts.is_demo:
    st.warning(t("load.demo_warning", lang), icon=":material/science:")
    with st.form("load_create", border=True, enter_to_submit=True):
        name = st.text_input(t("load.create.name", lang), placeholder=t("load.create.placeholder", lang),
                             max_chars=loading.MAX_NAME, key="load_create_name")
        create = st.form_submit_button(t("load.create.button", lang), type="primary",
                                       icon=":material/add_circle:", help=t("load.create.help", lang))
    if create:
        try:
            created = loading.create_partnership_warehouse(data.configured_db_path(), name or "")
        except loading.NameProblem as problem:
            st.error(t(f"load.create.{problem}", lang), icon=":material/error:")
        except OSError as exc:
            st.error(t("load.create.failed", lang, folder=data.configured_db_path().parent, error=exc.strerror or exc),
                     icon=":material/error:")
        else:
            st.session_state["_load_created"] = (" ".join((name or "").split()), created.name)
            st.session_state.pop("load_instrument", None)
            st.rerun()
if "_load_created" in st.session_state and not facts.is_demo:
    created_name, created_file = st.session_state.pop("_load_created")
    st.success(t("load.create.done", lang, name=created_name, file=created_file), icon=":material/check_circle:")
if facts.institutions == 0:
    st.warning(t("load.no_institutions", lang), icon=":material/priority_high:")
st.markdown(t("load.order", lang))

# --- 1. what is loaded --------------------------------------------------------------------------
st.subheader(t("load.step1", lang))
try:
    choices = loading.instrument_choices()
except Exception as exc:  # a malformed codebook: say which, without a traceback
    message = exc.text(lang) if isinstance(exc, MaillageError) else str(exc)
    st.error(t("load.codebook_error", lang, message=message), icon=":material/error:")
    st.stop()
by_name = {c.name: c for c in choices}
names = list(by_name)
upcoming = st.session_state.pop("_load_next_instrument", None)
if upcoming in by_name:
    st.session_state["load_instrument"] = upcoming  # after the institutions list, the targets…
elif st.session_state.get("load_instrument") not in by_name:
    st.session_state["load_instrument"] = (
        "institutions" if facts.institutions == 0 and "institutions" in by_name else "practitioner"
    )
left, right = st.columns([3, 2])
instrument = left.selectbox(
    t("load.instrument", lang),
    names,
    index=None,  # the value is in st.session_state["load_instrument"]
    format_func=lambda n: f"{fq.instrument_label(n, lang, {n: by_name[n].title(lang)})} ({n})",
    help=t("load.instrument_help", lang),
    key="load_instrument",
)
if instrument not in by_name:
    instrument = names[0]
choice = by_name[instrument]
left.caption(t("load.versions", lang, versions=", ".join(choice.versions)))

wave: str | None = None
wave_ok = True
with right:
    if choice.needs_wave:
        mode = "new"
        if facts.waves:
            mode = (
                st.segmented_control(
                    t("load.wave_mode", lang),
                    ["new", "existing"],
                    default="new",
                    required=True,
                    format_func=lambda m: t(f"load.wave_{m}", lang),
                    key="load_wave_mode",
                )
                or "new"
            )
        if mode == "existing":
            wave = st.selectbox(
                t("load.wave_pick", lang), list(facts.waves), index=len(facts.waves) - 1, key="load_wave_existing"
            )
        else:
            typed = st.text_input(
                t("load.wave_id", lang),
                placeholder=t("load.wave_placeholder", lang),
                help=t("load.wave_help", lang),
                key="load_wave_new",
            )
            wave = (typed or "").strip() or None
        if wave is None:
            wave_ok = False
            st.caption(t("load.wave_needed", lang))
        elif loading.wave_id_problem(wave):
            wave_ok = False
            st.error(t("load.wave_bad", lang, wave=wave), icon=":material/error:")
        elif wave in facts.waves and (instrument, wave) in facts.loaded:
            st.caption(t("load.wave_exists", lang, wave=wave))
    else:
        key = "load.no_wave_targets" if choice.kind == "targets" else "load.no_wave_needed"
        st.caption(t(key, lang, what=fq.instrument_label(instrument, lang, {})))

# --- 2. the file --------------------------------------------------------------------------------
st.subheader(t("load.step2", lang))
st.caption(t("load.upload_hint", lang))
upload = st.file_uploader(
    t("load.upload", lang), type=loading.UPLOAD_TYPES, help=t("load.upload_help", lang), key=f"load_file_{gen}"
)
sheet: str | None = None
content = b""
if upload is not None:
    content = upload.getvalue()
    sheets = loading.sheet_names(upload.name, content)
    if len(sheets) > 1:
        sheet = st.selectbox(t("load.sheet", lang), sheets, key=f"load_sheet_{gen}")

# --- 3. check (dry run) -------------------------------------------------------------------------
st.subheader(t("load.step3", lang))
if upload is None or not wave_ok:
    st.caption(t("load.waiting", lang))
else:
    signature = (loading.content_digest(content), upload.name, instrument, wave, sheet, data.version(), str(db))
    cached = st.session_state.get("_load_check")
    if cached is not None and cached[0] == signature:
        outcome: loading.Outcome = cached[1]
    else:
        st.session_state.pop("_load_done", None)
        with st.spinner(t("load.checking", lang, file=upload.name)):
            try:
                outcome = loading.validate_upload(upload.name, content, instrument, wave, db, sheet)
            except Exception as exc:  # not a user mistake: say so plainly, keep the page alive
                outcome = loading.Outcome(
                    "error",
                    loading.safe_file_name(upload.name),
                    instrument,
                    wave,
                    message=t("load.unexpected", lang, file=upload.name, error=type(exc).__name__),
                    error_kind="other",
                )
        st.session_state["_load_check"] = (signature, outcome)

    result = outcome.result
    if outcome.can_load and result is not None:
        st.success(
            t(
                "load.check_ok",
                lang,
                file=outcome.file_name,
                loaded=fmt_int(result.rows_loaded, lang),
                read=fmt_int(result.rows_read, lang),
                what=_what(instrument, result.wave_id),
            ),
            icon=":material/task_alt:",
        )
        cols = st.columns(5)
        components.kpi(cols[0], t("load.kpi.read", lang), fmt_int(result.rows_read, lang))
        components.kpi(cols[1], t("load.kpi.loaded", lang), fmt_int(result.rows_loaded, lang))
        components.kpi(
            cols[2],
            t("load.kpi.rows_q", lang),
            fmt_int(result.rows_quarantined, lang),
            help_text=t("load.kpi.rows_q_help", lang),
        )
        components.kpi(
            cols[3],
            t("load.kpi.cells_q", lang),
            fmt_int(result.cells_quarantined, lang),
            help_text=t("load.kpi.cells_q_help", lang),
        )
        components.kpi(cols[4], t("load.kpi.warnings", lang), fmt_int(result.warnings, lang))
        read = [shown for en, shown in zip(result.notes, result.notes_in(lang), strict=False)
                if "already loaded" not in en]
        st.caption(t("load.notes", lang, notes="; ".join(read)))
        for similar in result.similar_waves:
            key = "load.similar_same" if similar.same_file else "load.similar"
            st.warning(t(key, lang, wave=similar.wave_id or "–", load_id=similar.load_id, file=similar.file_name,
                         matching=fmt_int(similar.matching, lang), respondents=fmt_int(similar.respondents, lang)),
                       icon=":material/content_copy:")
        for change in result.scale_changes:
            none = t("load.none", lang)
            st.warning(t("load.scale_change", lang, scale=change.scale_id, waves=", ".join(change.waves) or none,
                         versions=", ".join(change.versions) or none, added=", ".join(change.added) or none,
                         dropped=", ".join(change.dropped) or none), icon=":material/rule:")
        if outcome.already_loaded:
            st.info(t("load.already", lang), icon=":material/info:")
        elif result.replaced_load_ids:
            st.warning(
                t(
                    "load.would_replace",
                    lang,
                    ids=_ids(result.replaced_load_ids),
                    instrument=fq.instrument_label(instrument, lang, {}),
                ),
                icon=":material/swap_horiz:",
            )
    elif outcome.status == "refused":
        reasons = outcome.refusals
        text = t("load.check_refused", lang, file=outcome.file_name)
        if len(reasons):
            items = [
                f"- **{fq.problem_label(r.get('problem'), lang)}** — {fq.problem_message(r, lang)}"
                for r in reasons.to_dict("records")
            ]
            text += "\n\n" + t("load.refusal_reasons", lang) + "\n" + "\n".join(items)
        else:
            text += "\n\n" + outcome.text(lang)
        st.error(text, icon=":material/block:")
    else:
        st.error(t("load.error", lang, message=outcome.text(lang)), icon=":material/error:")

    problems = outcome.problems
    if len(problems):
        st.markdown(f"**{t('load.problems', lang, n=fmt_int(len(problems), lang))}**")
        show_values = st.checkbox(
            t("load.show_values", lang), help=t("load.show_values_help", lang), key="load_show_values"
        )
        message = t("quality.col.message", lang)
        st.dataframe(
            fq.problems_display(problems, lang, show_values),
            hide_index=True,
            key="load_problems",
            column_config={message: st.column_config.TextColumn(message, width="large")},
        )
    elif outcome.status != "error":
        st.caption(t("load.no_problems", lang))
    if outcome.status in ("dry-run", "refused"):
        st.download_button(
            t("load.report", lang),
            lambda: loading.report_csv(outcome.file_name, problems, lang),  # made on click only
            file_name=loading.report_file_name(outcome.file_name, outcome.wave),
            mime="text/csv",
            icon=":material/download:",
            key="load_report",
            on_click="ignore",
        )

    # --- 4. load on confirmation --------------------------------------------------------------
    st.subheader(t("load.step4", lang))
    can_load = outcome.can_load and not outcome.already_loaded
    clicked = st.button(
        t("load.confirm", lang),
        type="primary",
        icon=":material/upload:",
        disabled=not can_load,
        help=t("load.confirm_help", lang) if can_load else t("load.confirm_blocked", lang),
        key="load_confirm",
    )
    if clicked and can_load:
        with st.spinner(t("load.loading", lang, file=upload.name)):
            try:
                loaded = loading.load_upload(upload.name, content, instrument, wave, db, sheet, lang=lang)
            except Exception as exc:
                loaded = loading.Outcome(
                    "error",
                    loading.safe_file_name(upload.name),
                    instrument,
                    wave,
                    message=t("load.unexpected", lang, file=upload.name, error=type(exc).__name__),
                    error_kind="other",
                )
        if loaded.status in ("loaded", "unchanged"):
            # The warehouse version changed: every cached indicator is recomputed on the rerun,
            # and the sidebar shows the new wave.
            st.session_state["_load_done"] = loaded
            following = {"institutions": "targets", "targets": "practitioner"}.get(instrument)
            if following and loaded.status == "loaded":
                st.session_state["_load_next_instrument"] = following
            st.session_state["_load_gen"] = gen + 1
            st.session_state.pop("_load_check", None)
            st.rerun()
        elif loaded.status == "refused":
            st.error(t("load.error", lang, message=loaded.text(lang)), icon=":material/block:")
        else:
            st.error(t("load.error", lang, message=loaded.text(lang)), icon=":material/error:")

# --- latest loads -------------------------------------------------------------------------------
if facts.exists:
    loads = data.compute(q.loads_table)
    if len(loads):
        st.subheader(t("load.history", lang))
        st.dataframe(
            fq.loads_display(loads.head(8), lang, loading.instrument_titles(lang)), hide_index=True, key="load_history"
        )
st.caption(t("load.cli", lang))
