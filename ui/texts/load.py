"""Texts of the "Charger une vague" page (pages/7_charger.py)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "load.question": (
        "Ajouter un export d'enquête (ou une liste de référence) à l'entrepôt : on vérifie d'abord le "
        "fichier sans rien écrire, puis vous confirmez le chargement.",
        "Add a survey export (or a reference list) to the warehouse: the file is checked first without "
        "writing anything, then you confirm the load.",
    ),
    "load.order": (
        "**Dans quel ordre ?** 1. la liste des structures partenaires (les questionnaires nomment des "
        "structures : elle doit être chargée avant eux) ; 2. les effectifs ciblés (pour les taux de "
        "réponse) ; 3. les vagues des questionnaires et le journal des actions. Recharger un fichier "
        "corrigé pour la même vague remplace le précédent.",
        "**In which order?** 1. the partner institutions list (surveys name institutions: it must be "
        "loaded before them); 2. the target populations (for response rates); 3. the survey waves and "
        "the activity log. Loading a corrected file for the same wave replaces the earlier one.",
    ),
    "load.no_warehouse": (
        "Il n'y a pas encore d'entrepôt à {path} : il sera créé par le premier chargement. Commencez "
        "par la liste des structures.",
        "There is no warehouse at {path} yet: the first load creates it. Start with the institutions list.",
    ),
    "load.no_institutions": (
        "La liste des structures n'est pas encore chargée : chargez-la d'abord (questionnaire "
        "« Liste des structures »), sinon les questionnaires seront refusés.",
        "The institutions list is not loaded yet: load it first (“Institutions list”), otherwise surveys are refused.",
    ),
    "load.demo_warning": (
        "Cet entrepôt contient les données fictives de démonstration : vos fichiers s'y mêleraient. "
        "Pour vos propres données, donnez le nom de votre partenariat et cliquez sur « Créer l'entrepôt de "
        "mon partenariat » : un entrepôt vide est créé à côté de la démonstration et le tableau de bord "
        "l'affiche. La démonstration reste disponible (« Entrepôt affiché », dans le panneau latéral).",
        "This warehouse holds the fictitious demonstration data: your files would be mixed with them. "
        "For your own data, give your partnership's name and click “Create my partnership's warehouse”: an "
        "empty warehouse is created beside the demonstration and the dashboard shows it. The demonstration "
        "stays available (“Warehouse shown”, in the sidebar).",
    ),
    "load.create.name": ("Nom de votre partenariat", "Your partnership's name"),
    "load.create.placeholder": ("ex. Cité éducative de Rivière", "e.g. Cité éducative de Rivière"),
    "load.create.button": ("Créer l'entrepôt de mon partenariat", "Create my partnership's warehouse"),
    "load.create.help": (
        "Un fichier d'entrepôt nouveau, dans le même dossier que la démonstration, qui ne contient encore "
        "rien. Vous y chargez ensuite la liste des structures, puis les vagues d'enquête.",
        "A new warehouse file, in the same folder as the demonstration, empty for now. You then load the "
        "institutions list into it, then the survey waves.",
    ),
    "load.create.empty": ("Donnez d'abord le nom de votre partenariat.", "Give your partnership's name first."),
    "load.create.long": (
        "Ce nom est trop long (80 caractères au plus).", "This name is too long (80 characters at most).",
    ),
    "load.create.done": (
        "Entrepôt « {name} » créé et affiché ({file}). Étape suivante : chargez la liste des structures "
        "ci-dessous. La démonstration reste disponible : « Entrepôt affiché », dans le panneau latéral.",
        "Warehouse “{name}” created and shown ({file}). Next: load the institutions list below. The "
        "demonstration stays available: “Warehouse shown”, in the sidebar.",
    ),
    "load.create.failed": (
        "L'entrepôt n'a pas pu être créé dans {folder} : {error}. Vérifiez que ce dossier est accessible en "
        "écriture.",
        "The warehouse could not be created in {folder}: {error}. Check that this folder can be written to.",
    ),
    "load.upload_hint": (
        "Glissez le fichier dans le cadre ci-dessous ou cliquez sur le bouton du cadre (libellé anglais de "
        "Streamlit, « Browse files ») ; 200 Mo au plus, CSV, XLSX, ODS ou SAV.",
        "Drop the file in the frame below or click the frame's button; 200 MB at most, CSV, XLSX, ODS or SAV.",
    ),
    "load.similar": (
        "Ce fichier ressemble à la vague {wave} déjà chargée (chargement n° {load_id}, {file}) : {matching} "
        "répondants sur {respondents} y ont les mêmes réponses. Vérifiez que ce n'est pas le même export "
        "sous un autre nom de vague.",
        "This file looks like wave {wave}, already loaded (load no. {load_id}, {file}): {matching} of its "
        "{respondents} respondents have the same answers there. Check that it is not the same export under "
        "another wave name.",
    ),
    "load.similar_same": (
        "Ce fichier est exactement celui de la vague {wave} déjà chargée (chargement n° {load_id}, {file}).",
        "This file is exactly that of wave {wave}, already loaded (load no. {load_id}, {file}).",
    ),
    "load.scale_change": (
        "Échelle « {scale} » posée avec d'autres items qu'aux vagues {waves} (dictionnaire {versions}) : "
        "ajoutés {added} ; retirés {dropped}. Ses scores ne se comparent pas tels quels d'une vague à l'autre.",
        "Scale “{scale}” asked with other items than in waves {waves} (codebook {versions}): added {added}; "
        "dropped {dropped}. Its scores do not compare as they are across waves.",
    ),
    "load.none": ("aucun", "none"),
    "load.step1": ("1. Que chargez-vous ?", "1. What are you loading?"),
    "load.step2": ("2. Le fichier", "2. The file"),
    "load.step3": ("3. Vérification", "3. Check"),
    "load.step4": ("4. Chargement", "4. Load"),
    "load.instrument": ("Questionnaire ou liste", "Instrument or list"),
    "load.instrument_help": (
        "Chaque questionnaire est décrit par un dictionnaire (surveys/<nom>/<version>.toml) qui dit où "
        "trouver chaque question dans l'export. Un nouveau questionnaire demande un nouveau dictionnaire.",
        "Each instrument is described by a codebook (surveys/<name>/<version>.toml) that says where each "
        "question is in the export. A new instrument needs a new codebook.",
    ),
    "load.versions": (
        "versions du dictionnaire : {versions} (la plus adaptée au fichier est choisie)",
        "codebook versions: {versions} (the one that fits the file best is used)",
    ),
    "load.codebook_error": (
        "Un dictionnaire de questionnaire est illisible : {message}",
        "A codebook cannot be read: {message}",
    ),
    "load.wave_mode": ("Vague", "Wave"),
    "load.wave_new": ("Nouvelle vague", "New wave"),
    "load.wave_existing": ("Vague existante", "Existing wave"),
    "load.wave_pick": ("Vague existante", "Existing wave"),
    "load.wave_id": ("Nom de la nouvelle vague", "New wave id"),
    "load.wave_placeholder": ("ex. 2026-2", "e.g. 2026-2"),
    "load.wave_help": (
        "Lettres, chiffres, « - », « _ » ou « . », 32 caractères au plus. Les vagues sont classées dans "
        "l'ordre naturel de leur nom (2025-2 avant 2025-10) : nommez-les par année puis numéro.",
        "Letters, digits, “-”, “_” or “.”, at most 32 characters. Waves are ordered naturally by name "
        "(2025-2 before 2025-10): name them by year then number.",
    ),
    "load.wave_bad": (
        "« {wave} » n'est pas un nom de vague utilisable : lettres, chiffres, « - », « _ » ou « . » seulement, "
        "32 caractères au plus (ex. 2026-2).",
        "“{wave}” is not a usable wave id: letters, digits, “-”, “_” or “.” only, at most 32 characters (e.g. 2026-2).",
    ),
    "load.wave_exists": (
        "La vague {wave} existe déjà : ce fichier remplacera, pour ce questionnaire, les données déjà "
        "chargées de cette vague.",
        "Wave {wave} already exists: for this instrument, this file will replace the data already loaded "
        "for that wave.",
    ),
    "load.wave_needed": ("Indiquez la vague de ce fichier.", "Give the wave of this file."),
    "load.no_wave_needed": (
        "Pas de vague à indiquer pour ce fichier : « {what} » vaut pour toutes les vagues.",
        "No wave to give for this file: “{what}” applies to every wave.",
    ),
    "load.no_wave_targets": (
        "Pas de vague à indiquer ici : le fichier des effectifs ciblés donne la vague de chaque ligne.",
        "No wave to give here: the target populations file gives the wave of each row.",
    ),
    "load.upload": ("Export à charger (CSV ou Excel)", "Export to load (CSV or Excel)"),
    "load.upload_help": (
        "Tel qu'exporté de LimeSurvey, KoboToolbox, Google Forms ou Framaforms : CSV (séparateur « ; » "
        "ou « , », UTF-8 ou Windows-1252) ou classeur XLSX/ODS. Le fichier n'est conservé que le temps "
        "du contrôle et du chargement ; les codes des répondants sont pseudonymisés.",
        "As exported from LimeSurvey, KoboToolbox, Google Forms or Framaforms: CSV (“;” or “,” separated, "
        "UTF-8 or Windows-1252) or an XLSX/ODS workbook. The file is kept only while it is checked and "
        "loaded; respondent codes are pseudonymised.",
    ),
    "load.sheet": ("Feuille du classeur", "Workbook sheet"),
    "load.waiting": (
        "Choisissez le questionnaire, la vague, puis déposez le fichier : il sera vérifié sans rien écrire.",
        "Choose the instrument and the wave, then drop the file: it is checked without writing anything.",
    ),
    "load.checking": ("Vérification de {file}…", "Checking {file}…"),
    "load.loading": ("Chargement de {file}…", "Loading {file}…"),
    # dry-run report
    "load.check_ok": (
        "**{file}** peut être chargé : {loaded} lignes sur {read} seraient chargées ({what}).",
        "**{file}** can be loaded: {loaded} of {read} rows would be loaded ({what}).",
    ),
    "load.what_wave": ("vague {wave}, {instrument}", "wave {wave}, {instrument}"),
    "load.what_list": ("{instrument}", "{instrument}"),
    "load.check_refused": (
        "**{file}** ne peut pas être chargé tel quel : rien ne sera écrit. Corrigez le fichier (ou "
        "vos choix ci-dessus) puis déposez-le à nouveau.",
        "**{file}** cannot be loaded as it is: nothing will be written. Correct the file (or your "
        "choices above) and drop it again.",
    ),
    "load.error": ("Le fichier n'a pas pu être traité : {message}", "The file could not be processed: {message}"),
    "load.unexpected": (
        "Erreur inattendue pendant le traitement de {file} ({error}). L'entrepôt n'a pas changé. "
        "Signalez-la avec le fichier si possible.",
        "Unexpected error while processing {file} ({error}). The warehouse did not change. Please report "
        "it, with the file if possible.",
    ),
    "load.refusal_reasons": ("Pourquoi :", "Why:"),
    "load.kpi.read": ("Lignes lues", "Rows read"),
    "load.kpi.loaded": ("Lignes à charger", "Rows to load"),
    "load.kpi.rows_q": ("Lignes écartées", "Rows kept out"),
    "load.kpi.cells_q": ("Réponses écartées", "Answers kept out"),
    "load.kpi.warnings": ("Avertissements", "Warnings"),
    "load.kpi.rows_q_help": (
        "Lignes qui ne seront pas chargées (ligne vide, code anonyme manquant, doublon…), gardées en "
        "quarantaine avec leur motif.",
        "Rows that will not be loaded (empty row, missing anonymous code, duplicate…), kept in "
        "quarantine with their reason.",
    ),
    "load.kpi.cells_q_help": (
        "Réponses isolées non reconnues ou hors bornes : la réponse est écartée, le reste de la ligne est chargé.",
        "Single answers unknown or out of range: the answer is kept out, the rest of the row loads.",
    ),
    "load.notes": ("Lecture du fichier : {notes}", "How the file was read: {notes}"),
    "load.would_replace": (
        "Ce fichier remplacera le chargement n° {ids} ({instrument}, même vague) : ses données seront "
        "retirées et remplacées par celles de ce fichier.",
        "This file will replace load no. {ids} ({instrument}, same wave): its data will be removed and "
        "replaced by this file's.",
    ),
    "load.already": (
        "Ce fichier exact est déjà chargé pour cette vague : le charger à nouveau ne changerait rien.",
        "This exact file is already loaded for this wave: loading it again would change nothing.",
    ),
    "load.problems": ("Problèmes trouvés ({n})", "Problems found ({n})"),
    "load.no_problems": ("Aucun problème trouvé.", "No problem found."),
    "load.show_values": ("Afficher les valeurs en cause", "Show the values concerned"),
    "load.show_values_help": (
        "Les valeurs peuvent être du texte libre saisi par un répondant.",
        "Values may be free text typed by a respondent.",
    ),
    "load.report": ("Rapport de vérification (CSV)", "Validation report (CSV)"),
    "load.confirm": ("Charger dans l'entrepôt", "Load into the warehouse"),
    "load.confirm_help": (
        "Écrit les données dans l'entrepôt en une seule étape : en cas d'erreur, rien ne change.",
        "Writes the data into the warehouse in one step: on any error, nothing changes.",
    ),
    "load.confirm_blocked": (
        "Le chargement n'est possible qu'après une vérification sans refus.",
        "Loading is possible only after a check without refusal.",
    ),
    # after the load
    "load.done": (
        "**{file}** est chargé : {loaded} lignes sur {read} ({what}), chargement n° {load_id}.",
        "**{file}** is loaded: {loaded} of {read} rows ({what}), load no. {load_id}.",
    ),
    "load.done_replaced": ("Il remplace le chargement n° {ids}.", "It replaces load no. {ids}."),
    "load.done_quarantine": (
        "{rows} ligne(s) et {cells} réponse(s) ont été écartées : voir « Lignes et réponses écartées » "
        "sur la page Qualité des données.",
        "{rows} row(s) and {cells} answer(s) were kept out: see “Rows and answers kept out” on the Data quality page.",
    ),
    "load.done_unchanged": (
        "**{file}** était déjà chargé à l'identique : l'entrepôt n'a pas changé.",
        "**{file}** was already loaded as it is: the warehouse did not change.",
    ),
    "load.done_report": ("Rapport enregistré : {path}", "Report saved: {path}"),
    "load.done_next": (
        "Les pages montrent déjà les nouvelles données. Où regarder :",
        "The pages already show the new data. Where to look:",
    ),
    "load.done_next_institutions": (
        "Étape suivante : les effectifs ciblés, puis les vagues des questionnaires.",
        "Next step: the target populations, then the survey waves.",
    ),
    "load.another": ("Charger un autre fichier", "Load another file"),
    "load.link.quality": (
        "Qualité des données : chargements, taux de réponse, fiabilité",
        "Data quality: loads, response rates, reliability",
    ),
    "load.link.overview": ("Vue d'ensemble", "Overview"),
    "load.link.network": ("Réseau inter-institutionnel", "Inter-institutional network"),
    "load.link.exchanges": ("Échanges", "Exchanges"),
    "load.link.practice": ("Pratiques en réseau", "Network practice"),
    "load.history": ("Derniers chargements", "Latest loads"),
    "load.cli": (
        "En ligne de commande, la même opération : `maillage load FICHIER --instrument NOM --wave VAGUE` "
        "(ajoutez `--dry-run` pour la seule vérification).",
        "From the command line, the same operation: `maillage load FILE --instrument NAME --wave WAVE` "
        "(add `--dry-run` to check only).",
    ),
}
