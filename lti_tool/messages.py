"""The interface's words, French first, English when the launch locale asks for it.

A small catalogue until Flask-Babel comes (a later issue); templates call `_("key")`.
"""

from __future__ import annotations

from lti_tool.operator_messages import ADMIN_MESSAGES, INSTALL_MESSAGES, REGISTRATION_MESSAGES

MESSAGES: dict[str, tuple[str, str]] = {
    # Error pages: what happened, then what to tell the LMS administrator.
    "error_title": ("Le lancement n'a pas abouti", "The launch did not succeed"),
    "error_title_page": ("Cette page n'a pas pu s'afficher", "This page could not be shown"),
    "error_reference": ("Référence à communiquer", "Reference to pass on"),
    "error_back": (
        "Revenez au cours dans votre LMS et rouvrez l'activité.",
        "Go back to the course in your LMS and open the activity again.",
    ),
    "launch_invalid": (
        "Le LMS a envoyé une demande de lancement que l'outil ne peut pas accepter.",
        "The LMS sent a launch request the tool cannot accept.",
    ),
    "launch_invalid_admin": (
        "Transmettez la référence ci-dessous à l'administrateur du LMS : la configuration "
        "de l'outil externe (URL de lancement, clés) est peut-être à vérifier.",
        "Pass the reference below to the LMS administrator: the external tool's "
        "configuration (launch URL, keys) may need checking.",
    ),
    "launch_expired": (
        "Cette demande de lancement a expiré ou n'a pas été émise par l'outil.",
        "This launch request has expired or was not issued by the tool.",
    ),
    "launch_expired_admin": (
        "Rouvrez l'activité. Si cela se répète, signalez-le à l'administrateur du LMS "
        "avec la référence : les horloges des serveurs sont peut-être décalées.",
        "Open the activity again. If it happens again, tell the LMS administrator with "
        "the reference: the servers' clocks may be out of step.",
    ),
    "launch_replayed": (
        "Cette demande de lancement a déjà été utilisée : chaque ouverture de l'activité "
        "ne sert qu'une fois, et actualiser la page qu'elle vient d'ouvrir la renvoie.",
        "This launch request has already been used: each opening of the activity works "
        "once, and refreshing the page it has just opened sends it again.",
    ),
    "launch_replayed_admin": (
        "Rouvrez l'activité depuis le cours pour continuer : votre travail enregistré est "
        "conservé.",
        "Open the activity again from the course to go on: your saved work is kept.",
    ),
    # LTI platform storage: the LMS keeps the login's proof in the browser (Canvas, Blackboard).
    "storage_login_title": ("Connexion à votre plateforme", "Signing in through your platform"),
    "storage_login_wait": (
        "Connexion en cours avec votre plateforme de formation…",
        "Connecting with your learning platform…",
    ),
    "storage_login_continue": ("Continuer vers la plateforme", "Continue to the platform"),
    "storage_check_title": ("Vérification du lancement", "Checking the launch"),
    "storage_check_wait": (
        "Vérification auprès de votre plateforme que ce lancement a commencé dans ce navigateur…",
        "Checking with your platform that this launch started in this browser…",
    ),
    "storage_check_noscript": (
        "Votre plateforme garde la preuve de ce lancement dans le navigateur et il faut "
        "JavaScript pour la lire : activez-le, puis rouvrez l'activité depuis le cours.",
        "Your platform keeps this launch's proof in the browser, and reading it needs "
        "JavaScript: turn it on, then open the activity again from the course.",
    ),
    "storage_mismatch": (
        "Ce lancement n'a pas pu être rattaché à ce navigateur : votre plateforme ne détient "
        "pas la preuve de connexion qu'elle devait garder.",
        "This launch could not be tied to this browser: your platform does not hold the "
        "sign-in proof it was to keep.",
    ),
    "storage_mismatch_admin": (
        "Rouvrez l'activité depuis le cours, dans le même navigateur. Si cela se répète, "
        "transmettez la référence à l'administrateur du LMS : le stockage de la plateforme "
        "(lti_storage_target, lti.get_data) n'a pas rendu l'état de la connexion.",
        "Open the activity again from the course, in the same browser. If it happens again, "
        "pass the reference to the LMS administrator: the platform storage "
        "(lti_storage_target, lti.get_data) did not return the sign-in state.",
    ),
    "platform_unknown": (
        "Ce LMS n'est pas enregistré auprès de l'outil.",
        "This LMS is not registered with the tool.",
    ),
    "platform_unknown_admin": (
        "L'administrateur de l'outil doit enregistrer la plateforme (issuer et client ID) : "
        "inscription dynamique depuis le LMS, page Administration › Plateformes, ou "
        "« ambassadeurs platforms add ».",
        "The tool's administrator must register the platform (issuer and client ID): "
        "Dynamic Registration from the LMS, the Administration › Platforms page, or "
        "'ambassadeurs platforms add'.",
    ),
    "platform_pending": (
        "L'inscription de ce LMS ({platform}) attend l'accord de l'administrateur de l'outil.",
        "This LMS's registration ({platform}) awaits the tool administrator's approval.",
    ),
    "platform_pending_admin": (
        "L'administrateur de l'outil l'approuve sur la page Administration › Plateformes "
        "(/admin/platforms), puis l'activité fonctionne.",
        "The tool's administrator approves it on the Administration › Platforms page "
        "(/admin/platforms); the activity then works.",
    ),
    "platform_disabled": (
        "L'inscription de ce LMS ({platform}) est désactivée dans l'outil.",
        "This LMS's registration ({platform}) is disabled in the tool.",
    ),
    "platform_disabled_admin": (
        "Seul l'administrateur de l'outil peut la réactiver (Administration › Plateformes).",
        "Only the tool's administrator can enable it again (Administration › Platforms).",
    ),
    "deployment_pending": (
        "Le déploiement « {deployment} » de ce LMS ({platform}) n'est pas encore approuvé.",
        "Deployment '{deployment}' of this LMS ({platform}) is not approved yet.",
    ),
    "deployment_pending_admin": (
        "L'administrateur de l'outil doit approuver le déploiement « {deployment} » de "
        "« {platform} » sur la page Administration › Plateformes (/admin/platforms) ; "
        "rouvrez ensuite l'activité.",
        "The tool's administrator must approve deployment '{deployment}' of '{platform}' on "
        "the Administration › Platforms page (/admin/platforms); then open the activity again.",
    ),
    "deployment_disabled": (
        "Le déploiement « {deployment} » de ce LMS ({platform}) est désactivé dans l'outil.",
        "Deployment '{deployment}' of this LMS ({platform}) is disabled in the tool.",
    ),
    "deployment_disabled_admin": (
        "Seul l'administrateur de l'outil peut le réactiver (Administration › Plateformes).",
        "Only the tool's administrator can enable it again (Administration › Platforms).",
    ),
    "platform_keys": (
        "L'outil n'a pas pu obtenir les clés publiques du LMS.",
        "The tool could not get the LMS's public keys.",
    ),
    "platform_keys_admin": (
        "Vérifiez l'URL du jeu de clés (JWKS) du LMS et que l'outil peut la joindre.",
        "Check the LMS's key set (JWKS) URL and that the tool can reach it.",
    ),
    "session_expired": (
        "Votre session a expiré ou le lien n'est plus valable.",
        "Your session has expired or the link is no longer valid.",
    ),
    "session_expired_admin": (
        "Rouvrez l'activité depuis le cours pour repartir d'une session neuve.",
        "Open the activity again from the course to start a fresh session.",
    ),
    "form_expired": (
        "Ce formulaire a expiré ou ne vient pas de cette page.",
        "This form has expired or did not come from this page.",
    ),
    "form_expired_admin": (
        "Rechargez la page puis envoyez le formulaire à nouveau.",
        "Reload the page and send the form again.",
    ),
    "not_found": ("Cette page n'existe pas.", "This page does not exist."),
    "not_found_admin": (
        "Vérifiez le paramètre personnalisé « activity » du lien dans le LMS.",
        "Check the link's 'activity' custom parameter in the LMS.",
    ),
    "forbidden": (
        "Cette page est réservée aux formateurs.",
        "This page is for trainers only.",
    ),
    "forbidden_admin": (
        "Si vous êtes formateur, vérifiez votre rôle dans le cours.",
        "If you are a trainer, check your role in the course.",
    ),
    "server_error": (
        "Une erreur inattendue est survenue dans l'outil.",
        "An unexpected error happened in the tool.",
    ),
    "server_error_admin": (
        "Transmettez la référence à l'administrateur de l'outil : elle figure dans son journal.",
        "Pass the reference to the tool's administrator: it is in the tool's log.",
    ),
    # Learner pages.
    "skip_link": ("Aller au contenu", "Skip to content"),
    "programme": ("Le programme", "The programme"),
    "module": ("Module", "Module"),
    "lessons": ("Leçons", "Lessons"),
    "quiz": ("Quiz", "Quiz"),
    "workshops": ("Ateliers", "Workshops"),
    "minutes": ("min", "min"),
    "progress": ("Votre progression", "Your progress"),
    "not_started": ("Pas commencé", "Not started"),
    "best_score": ("Meilleur score", "Best score"),
    "passed": ("Réussi", "Passed"),
    "not_passed": ("Pas encore réussi", "Not passed yet"),
    "submitted": ("Déposé", "Submitted"),
    "draft": ("Brouillon enregistré", "Draft saved"),
    "back_to_module": ("Retour au module", "Back to the module"),
    "back_to_programme": ("Retour au programme", "Back to the programme"),
    "sources": ("Sources", "Sources"),
    "glossary": ("Glossaire", "Glossary"),
    "submit_quiz": ("Valider mes réponses", "Submit my answers"),
    "retake_quiz": ("Refaire le quiz", "Take the quiz again"),
    "attempts_left": (
        "tentatives restantes : {left} sur {total} (la meilleure compte)",
        "attempts left: {left} of {total} (the best one counts)",
    ),
    "no_attempts_left": (
        "Vous avez utilisé toutes vos tentatives pour ce quiz : votre meilleur score est "
        "conservé. Votre formateur peut vous conseiller pour la suite.",
        "You have used all your attempts at this quiz: your best score is kept. Your trainer "
        "can advise you on what to do next.",
    ),
    "your_score": ("Votre score", "Your score"),
    "pass_mark": ("Seuil de réussite", "Pass mark"),
    "correct": ("Correct", "Correct"),
    "partly_correct": ("En partie correct", "Partly correct"),
    "incorrect": ("Incorrect", "Incorrect"),
    "your_answer": ("Votre réponse", "Your answer"),
    "true": ("Vrai", "True"),
    "false": ("Faux", "False"),
    "choose": ("— choisir —", "— choose —"),
    "position": ("Position", "Position"),
    "preview_banner": (
        "Aperçu formateur : vos réponses sont corrigées mais rien n'est enregistré.",
        "Trainer preview: your answers are marked but nothing is recorded.",
    ),
    "trainer_dashboard": ("Tableau de bord formateur", "Trainer dashboard"),
    "trainer_dashboard_soon": (
        "Le tableau de bord formateur (notes, participants) arrive avec le suivi des notes.",
        "The trainer dashboard (grades, participants) comes with grade tracking.",
    ),
    "attempt_saved": ("Tentative enregistrée.", "Attempt recorded."),
    "deep_link_title": ("Choisir les activités à ajouter", "Choose the activities to add"),
    "deep_link_help": (
        "Cochez une ou plusieurs activités : le LMS crée une activité et une colonne du "
        "carnet de notes pour chacune.",
        "Tick one or several activities: the LMS creates one activity and one gradebook "
        "column for each.",
    ),
    "deep_link_submit": ("Ajouter au cours", "Add to the course"),
    "deep_link_send": ("Envoyer au LMS", "Send to the LMS"),
    "deep_link_ready": (
        "Votre sélection est prête : envoyez-la au LMS.",
        "Your selection is ready: send it to the LMS.",
    ),
    "deep_link_none": ("Cochez au moins une activité.", "Tick at least one activity."),
    "overview": ("Vue d'ensemble du module", "Module overview"),
    "whole_programme": ("Tout le programme", "The whole programme"),
    "workshop_items": ("Situations à analyser", "Situations to analyse"),
    "check_answers": ("Vérifier mes réponses", "Check my answers"),
    "scene_flag": ("Mauvaise pratique", "Bad practice"),
    "scene_help": (
        "Cochez chaque situation qui vous semble être une mauvaise pratique.",
        "Tick each situation you think is a bad practice.",
    ),
    "save_draft": ("Enregistrer le brouillon", "Save the draft"),
    "submit_work": ("Déposer", "Submit"),
    "printable": ("Version imprimable", "Printable version"),
    "checks": ("Contrôles automatiques", "Automatic checks"),
    "check_ok": ("Aucun problème détecté.", "No problem found."),
    "check_required": ("Champ obligatoire vide", "Required field is empty"),
    "check_words": (
        "Trop long : {count} mots pour {max} au plus",
        "Too long: {count} words, {max} at most",
    ),
    "check_url": ("Adresse web attendue (https://…)", "A web address is expected (https://…)"),
    "words": ("mots au plus", "words at most"),
    "feedback": ("Retour", "Feedback"),
    "expected": ("Attendu", "Expected"),
    # Grades sent to the LMS (the comment shown with the grade in its gradebook).
    "grade_comment_passed": (
        "Quiz réussi : {score} / {max} ({percent} %, seuil {mark} %).",
        "Quiz passed: {score} / {max} ({percent}%, pass mark {mark}%).",
    ),
    "grade_comment_not_passed": (
        "Quiz pas encore réussi : {score} / {max} ({percent} %, seuil {mark} %).",
        "Quiz not passed yet: {score} / {max} ({percent}%, pass mark {mark}%).",
    ),
    # Trainer dashboard.
    "open_dashboard": ("Ouvrir le tableau de bord formateur", "Open the trainer dashboard"),
    "dashboard_nav": ("Sur cette page", "On this page"),
    "roster_heading": ("Participants", "Participants"),
    "roster_summary": (
        "{learners} apprenants, dont {never} qui n'ont pas encore ouvert l'outil.",
        "{learners} learners, {never} of whom have not opened the tool yet.",
    ),
    "roster_fetched": (
        "Liste reçue du LMS le {when} (UTC).",
        "Roster received from the LMS on {when} (UTC).",
    ),
    "roster_refresh": ("Mettre à jour la liste", "Refresh the roster"),
    "roster_unavailable": (
        "Le LMS ne fournit pas la liste des participants (service NRPS) : seuls les "
        "apprenants qui ont ouvert l'outil apparaissent.",
        "The LMS does not provide the roster (NRPS service): only learners who opened the "
        "tool are listed.",
    ),
    "roster_error": (
        "La liste n'a pas pu être mise à jour ; la dernière reçue est affichée.",
        "The roster could not be refreshed; the last one received is shown.",
    ),
    "cohort_progress": ("Progression de la promotion", "Cohort progress"),
    "chart_progress_title": (
        "Apprenants par état, pour chaque module",
        "Learners by status, for each module",
    ),
    "chart_progress_row": (
        "{module} : {validated} validé(s), {started} en cours, {not_started} pas commencé(s)",
        "{module}: {validated} validated, {started} in progress, {not_started} not started",
    ),
    "status_validated": ("Validé", "Validated"),
    "status_in_progress": ("En cours", "In progress"),
    "data_table": ("Données du graphique", "Chart data"),
    "grid_heading": ("Apprenants × modules", "Learners × modules"),
    "filter_search": (
        "Rechercher un apprenant (nom, courriel ou identifiant)",
        "Search for a learner (name, e-mail or id)",
    ),
    "filter_presence": ("Afficher", "Show"),
    "presence_all": ("Tous les apprenants", "All learners"),
    "presence_launched": ("Ceux qui ont ouvert l'outil", "Those who opened the tool"),
    "presence_never": ("Ceux qui ne l'ont jamais ouvert", "Those who never opened it"),
    "filter_apply": ("Filtrer", "Filter"),
    "grid_count": (
        "{shown} apprenant(s) affiché(s) sur {total}.",
        "{shown} of {total} learners shown.",
    ),
    "grid_sort_help": (
        "Cliquez sur un en-tête de colonne pour trier.",
        "Select a column heading to sort.",
    ),
    "sort_ascending": ("tri croissant", "sorted ascending"),
    "sort_descending": ("tri décroissant", "sorted descending"),
    "learner": ("Apprenant", "Learner"),
    "overall": ("Ensemble", "Overall"),
    "never_launched": ("N'a jamais ouvert l'outil", "Never opened the tool"),
    "not_in_roster": ("Absent de la liste du LMS", "Not in the LMS roster"),
    "cell_progress": ("Progression {percent}\u00a0%", "Progress {percent}%"),
    "cell_quiz": ("Quiz {percent}\u00a0%", "Quiz {percent}%"),
    "cell_quiz_none": ("Quiz : pas tenté", "Quiz: not taken"),
    "cell_workshops": ("Ateliers {done}/{total}", "Workshops {done}/{total}"),
    "modules_validated": ("{count} module(s) validé(s)", "{count} module(s) validated"),
    "export_csv": ("Exporter en CSV (tableur)", "Export as CSV (spreadsheet)"),
    "no_learner": ("Aucun apprenant pour l'instant.", "No learner yet."),
    "quiz_analysis": ("Analyse des quiz", "Quiz analysis"),
    "quiz_analysis_of": ("Analyse du quiz : {title}", "Quiz analysis: {title}"),
    "score_distribution": ("Répartition des scores", "Score distribution"),
    "chart_distribution_title": (
        "Apprenants par tranche de meilleur score",
        "Learners per range of best score",
    ),
    "chart_distribution_desc": (
        "Nombre d'apprenants par tranche de meilleur score : {figures}.",
        "Number of learners per range of best score: {figures}.",
    ),
    "analysis_help": (
        "Calculé sur la première tentative de chaque apprenant ({count}). Réussite : part "
        "des points obtenus. Discrimination : corrélation entre la question et le reste du "
        "quiz, de −1 à 1 ; négative, la question trompe davantage les apprenants les plus "
        "forts.",
        "Computed on each learner's first attempt ({count}). Success: share of the points "
        "earned. Discrimination: correlation between the question and the rest of the quiz, "
        "from −1 to 1; when negative, the question misleads the strongest learners more.",
    ),
    "col_question": ("Question", "Question"),
    "col_success": ("Réussite", "Success"),
    "col_discrimination": ("Discrimination", "Discrimination"),
    "col_learners": ("Apprenants", "Learners"),
    "col_diagnosis": ("Diagnostic", "Diagnosis"),
    "col_range": ("Tranche de score", "Score range"),
    "flag_few_data": ("Trop peu de réponses pour conclure", "Too few answers to conclude"),
    "flag_too_easy": ("Trop facile", "Too easy"),
    "flag_too_hard": ("Trop difficile", "Too hard"),
    "flag_misleading": (
        "Trompeuse : les plus forts s'y trompent davantage",
        "Misleading: the strongest learners get it wrong more often",
    ),
    "flag_weak": ("Peu discriminante", "Weakly discriminating"),
    "flag_ok": ("Satisfaisante", "Satisfactory"),
    "back_to_dashboard": ("Retour au tableau de bord", "Back to the dashboard"),
    "pages": ("Pages", "Pages"),
    "page_previous": ("Page précédente", "Previous page"),
    "page_next": ("Page suivante", "Next page"),
    "page_of": ("Page {page} sur {pages}", "Page {page} of {pages}"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "csv_user_id": ("Identifiant LMS", "LMS id"),
    "csv_email": ("Courriel", "E-mail"),
    "csv_launched": ("A ouvert l'outil", "Opened the tool"),
    "csv_progress": ("{module} progression (%)", "{module} progress (%)"),
    "csv_quiz": ("{module} quiz meilleur score (%)", "{module} quiz best score (%)"),
    "csv_quiz_passed": ("{module} quiz réussi", "{module} quiz passed"),
    "csv_workshops": ("{module} ateliers faits", "{module} workshops done"),
    "csv_workshops_total": ("{module} ateliers", "{module} workshops"),
    "csv_validated": ("{module} validé", "{module} validated"),
    # Progression, project, jury and certificate (issue 8).
    "module_validation_label": (
        "Validation du module {number} : {title}",
        "Module {number} validation: {title}",
    ),
    "module_validated_comment": ("Module validé. Règle : {rule}", "Module validated. Rule: {rule}"),
    "module_validated": ("Validé", "Validated"),
    "module_not_validated": ("Pas encore validé", "Not validated yet"),
    "validation_rule": ("Règle de validation", "Validation rule"),
    "validation_todo": ("Reste à faire", "Still to do"),
    "validation_quiz_todo": (
        "obtenir au moins {mark} % au quiz (meilleur score : {best})",
        "score at least {mark}% in the quiz (best score: {best})",
    ),
    "validation_workshop_todo": ("déposer l'atelier « {title} »", "submit the workshop '{title}'"),
    "modules_validated_count": (
        "Modules validés : {count} sur {total}",
        "Modules validated: {count} of {total}",
    ),
    "project": ("Projet fil rouge", "Capstone project"),
    "project_brief": ("Le projet", "The project"),
    "back_to_project": ("Retour au projet", "Back to the project"),
    "milestones": ("Jalons et livrables", "Milestones and deliverables"),
    "milestones_handed_in": ("Livrables déposés", "Deliverables handed in"),
    "final_milestone_note": (
        "Ce dernier livrable est celui que le jury évalue, avec le portfolio des jalons.",
        "This last deliverable is the one the jury assesses, with the milestones' portfolio.",
    ),
    "deliverable_text": ("Votre livrable (texte)", "Your deliverable (text)"),
    "deliverable_links": ("Liens", "Links"),
    "deliverable_links_help": (
        "Une adresse web par ligne (https://…), par exemple un document partagé.",
        "One web address per line (https://…), for instance a shared document.",
    ),
    "deliverable_files": ("Fichiers déposés", "Files handed in"),
    "deliverable_add_files": ("Ajouter des fichiers", "Add files"),
    "deliverable_files_help": (
        "Types acceptés : {types}. {max_kb} Kio au plus par fichier, {max_files} fichiers au plus.",
        "Accepted types: {types}. At most {max_kb} KiB per file, {max_files} files at most.",
    ),
    "file_remove": ("Retirer ce fichier", "Remove this file"),
    "submitted_on": ("Déposé le {date}", "Handed in on {date}"),
    "feedback_received": ("retour du formateur", "trainer's feedback"),
    "trainer_feedback": ("Retour du formateur", "Trainer's feedback"),
    "form_problems": (
        "Rien n'a été enregistré, pour ces raisons :",
        "Nothing was saved, for these reasons:",
    ),
    "deliverable_text_long": (
        "Texte trop long : {max} caractères au plus.",
        "Text too long: {max} characters at most.",
    ),
    "deliverable_links_bad": (
        "Ces lignes ne sont pas des adresses web (https://…) : {links}",
        "These lines are not web addresses (https://…): {links}",
    ),
    "deliverable_links_many": ("{max} liens au plus.", "{max} links at most."),
    "deliverable_empty": (
        "Un livrable déposé doit contenir un texte, un lien ou un fichier.",
        "A deliverable handed in needs a text, a link or a file.",
    ),
    "upload_type": (
        "« {name} » : type de fichier non accepté (acceptés : {types}).",
        "'{name}': file type not accepted (accepted: {types}).",
    ),
    "upload_empty": ("« {name} » est vide.", "'{name}' is empty."),
    "upload_size": (
        "« {name} » dépasse {max} Kio.",
        "'{name}' is larger than {max} KiB.",
    ),
    "upload_content": (
        "« {name} » ne contient pas un fichier {ext} valide.",
        "'{name}' does not hold a valid {ext} file.",
    ),
    "upload_count": (
        "{max} fichiers au plus par livrable.",
        "{max} files at most per deliverable.",
    ),
    "project_grade_pending": (
        "Projet remis : en attente de la décision du jury.",
        "Project handed in: awaiting the jury's decision.",
    ),
    "project_grade_passed": (
        "Décision du jury : projet réussi ({percent} %, seuil {mark} %).",
        "Jury's decision: project passed ({percent}%, pass mark {mark}%).",
    ),
    "project_grade_not_passed": (
        "Décision du jury : projet non réussi ({percent} %, seuil {mark} %).",
        "Jury's decision: project not passed ({percent}%, pass mark {mark}%).",
    ),
    "project_result": ("Résultat du projet", "Project result"),
    "project_passed": ("réussi", "passed"),
    "project_not_passed": ("non réussi", "not passed"),
    "project_awaiting_jury": ("en attente du jury", "awaiting the jury"),
    "jury_space": ("Espace jury", "Jury space"),
    "back_to_jury": ("Retour à l'espace jury", "Back to the jury space"),
    "jury_rule": (
        "Règle du jury : chaque juré note seul la grille ; le résultat est la {aggregation} "
        "des notes ; un écart de plus de {gap} points entre deux jurés demande une discussion ; "
        "le projet est réussi à {mark} / 100 ; {jurors} juré(s) au moins.",
        "Jury rule: each juror scores the rubric alone; the result is the {aggregation} of the "
        "scores; a gap of more than {gap} points between two jurors calls for a discussion; "
        "the project is passed at {mark} / 100; at least {jurors} juror(s).",
    ),
    "aggregation_mean": ("moyenne", "mean"),
    "aggregation_median": ("médiane", "median"),
    "jury_learners": ("Apprenants du cours", "Learners of the course"),
    "evaluations": ("Évaluations", "Evaluations"),
    "including_mine": ("dont la mienne", "mine included"),
    "disagreement": ("écart entre jurés", "jurors disagree"),
    "jury_no_learner": (
        "Aucun apprenant n'a encore travaillé dans ce cours.",
        "No learner has worked in this course yet.",
    ),
    "jury_evaluation": ("Évaluation du projet", "Project evaluation"),
    "my_evaluation": ("Mon évaluation", "My evaluation"),
    "weight": ("poids", "weight"),
    "comment": ("Commentaire", "Comment"),
    "general_comment": ("Appréciation générale", "Overall comment"),
    "evaluation_save": ("Enregistrer mon évaluation", "Save my evaluation"),
    "evaluation_saved": ("Évaluation enregistrée.", "Evaluation saved."),
    "my_score": ("Ma note", "My score"),
    "jury_levels_missing": (
        "Choisissez un niveau pour chaque critère.",
        "Choose a level for each criterion.",
    ),
    "jury_result": ("Résultat du jury", "Jury result"),
    "juror": ("Juré", "Juror"),
    "score": ("Note", "Score"),
    "result_after_mine": (
        "{count} évaluation(s) : les notes des autres jurés s'affichent quand vous avez "
        "enregistré la vôtre.",
        "{count} evaluation(s): the other jurors' scores show once you have saved yours.",
    ),
    "no_evaluation": ("Aucune évaluation pour l'instant.", "No evaluation yet."),
    "jury_not_enough_yet": (
        "{count} évaluation(s) sur les {needed} nécessaires avant la décision.",
        "{count} of the {needed} evaluations needed before the decision.",
    ),
    "disagreement_flag": (
        "Les jurés s'écartent de {spread} points (plus de {gap}) : discutez-en avant de décider.",
        "The jurors are {spread} points apart (more than {gap}): discuss it before deciding.",
    ),
    "disagreement_discussed": (
        "Le jury a discuté de cet écart et confirme le résultat.",
        "The jury discussed this gap and confirms the result.",
    ),
    "decision_feedback": (
        "Retour du jury à l'apprenant",
        "The jury's feedback to the learner",
    ),
    "decision_save": ("Arrêter la décision du jury", "Record the jury's decision"),
    "decision_update": ("Mettre à jour la décision", "Update the decision"),
    "decision_saved": (
        "Décision enregistrée et envoyée au carnet de notes.",
        "Decision recorded and sent to the gradebook.",
    ),
    "decision_recorded": (
        "Décision du {date} : {result} / 100,",
        "Decision of {date}: {result} / 100,",
    ),
    "jury_decision": ("Décision du jury", "Jury's decision"),
    "jury_decide_trainers_only": (
        "Seul un formateur du cours enregistre la décision du jury.",
        "Only a trainer of the course records the jury's decision.",
    ),
    "jury_not_enough": (
        "Pas assez d'évaluations pour décider.",
        "Not enough evaluations to decide.",
    ),
    "jury_discuss_first": (
        "Les jurés s'écartent trop : confirmez que le jury en a discuté.",
        "The jurors are too far apart: confirm that the jury discussed it.",
    ),
    "feedback_save": ("Enregistrer le retour", "Save the feedback"),
    "feedback_saved": ("Retour enregistré.", "Feedback saved."),
    "feedback_nothing": ("Ce jalon n'a pas de livrable.", "This milestone has no deliverable."),
    "jury_members": ("Membres du jury", "Jury members"),
    "jury_members_help": (
        "Les formateurs du cours sont jurés d'office. Nommez ici d'autres personnes du cours "
        "(par exemple un professionnel extérieur inscrit au cours) : elles ouvrent l'activité "
        "depuis le LMS et trouvent l'espace jury.",
        "The course's trainers are jurors anyway. Name other people of the course here (for "
        "instance an outside professional enrolled in the course): they open the activity from "
        "the LMS and find the jury space.",
    ),
    "jury_members_none": ("Aucune personne nommée.", "Nobody named."),
    "jury_member_add": ("Nommer au jury", "Name to the jury"),
    "jury_member_person": ("Personne du cours", "Person of the course"),
    "jury_member_remove": ("Retirer", "Remove"),
    "jury_member_added": ("Membre du jury ajouté.", "Jury member added."),
    "jury_member_removed": ("Membre du jury retiré.", "Jury member removed."),
    "jury_member_unknown": (
        "Cette personne n'est pas connue dans ce cours.",
        "This person is not known in this course.",
    ),
    "jury_member_no_candidate": (
        "Aucune autre personne connue dans ce cours (liste du LMS ou lancements).",
        "No other person known in this course (the LMS's list or launches).",
    ),
    "certificate": ("Certificat", "Certificate"),
    "certificate_rule": (
        "Le certificat est délivré automatiquement quand tous les modules sont validés et "
        "le projet réussi :",
        "The certificate is issued automatically when every module is validated and the "
        "project passed:",
    ),
    "certificate_yours": (
        "Votre certificat a été délivré le {date}.",
        "Your certificate was issued on {date}.",
    ),
    "certificate_download_pdf": (
        "Télécharger le certificat (PDF)",
        "Download the certificate (PDF)",
    ),
    "certificate_download_badge": (
        "Télécharger le badge numérique (Open Badges 3.0, signé)",
        "Download the digital badge (Open Badges 3.0, signed)",
    ),
    "certificate_code": ("Code de vérification :", "Verification code:"),
    "certificate_verify_page": ("page de vérification publique", "public verification page"),
    "certificate_issued": ("délivré", "issued"),
    "certificate_revoked": ("révoqué", "revoked"),
    "certificate_revoked_on": ("Certificat révoqué le {date}.", "Certificate revoked on {date}."),
    "certificate_name_missing": (
        "Votre LMS ne transmet pas votre nom : le certificat sera délivré dès qu'il le fera "
        "(l'administrateur du LMS active le partage du nom de l'outil).",
        "Your LMS does not send your name: the certificate is issued as soon as it does (the "
        "LMS administrator turns on sharing the launcher's name with the tool).",
    ),
    "certificate_statement": (
        "a suivi et validé la formation",
        "has completed and validated the programme",
    ),
    "certificate_issued_on": ("Délivré le", "Issued on"),
    "badge_criteria_project": (
        "{title} : projet réussi devant le jury (au moins {mark} / 100).",
        "{title}: project passed before the jury (at least {mark} / 100).",
    ),
    "revoke": ("Révoquer le certificat", "Revoke the certificate"),
    "revoke_reason": ("Motif de la révocation (public)", "Reason for revoking (public)"),
    "revoked": ("Certificat révoqué.", "Certificate revoked."),
    "revoked_reason": ("Motif", "Reason"),
    "revoke_reason_required": (
        "Indiquez le motif de la révocation.",
        "Give the reason for revoking.",
    ),
    "revoke_already": ("Ce certificat est déjà révoqué.", "This certificate is already revoked."),
    "revoke_nothing": ("Aucun certificat à révoquer.", "No certificate to revoke."),
    "verify_title": ("Vérification d'un certificat", "Certificate verification"),
    "verify_valid": (
        "Certificat valide : il a été délivré par l'outil et n'est pas révoqué.",
        "Valid certificate: it was issued by the tool and is not revoked.",
    ),
    "verify_revoked": (
        "Certificat révoqué le {date} : il n'est plus valide.",
        "Certificate revoked on {date}: it is no longer valid.",
    ),
    "verify_unknown": (
        "Code inconnu : aucun certificat ne porte ce code.",
        "Unknown code: no certificate bears this code.",
    ),
    "verify_unknown_help": (
        "Vérifiez le code recopié (ANR- suivi de 16 caractères). Un certificat présenté avec "
        "un code inconnu n'a pas été délivré par cet outil.",
        "Check the code as copied (ANR- then 16 characters). A certificate shown with an "
        "unknown code was not issued by this tool.",
    ),
    "verify_holder": ("Titulaire", "Holder"),
    "verify_programme": ("Formation", "Programme"),
    "verify_date": ("Date de délivrance", "Date of issue"),
    "verify_organisation": ("Organisme", "Organisation"),
    "version": ("version", "version"),
    "project_link": ("Projet fil rouge et certificat", "Capstone project and certificate"),
    # Public pages: the home page and the demo LMS (language from the browser).
    "footer": (
        "Ambassadeurs Numérique Responsable — formation en 7 modules. Pas de traceur, "
        "pas de police web, pas de CDN.",
        "Responsible Digital Ambassadors — a 7-module programme. No tracker, no web font, no CDN.",
    ),
    "home_title": ("Installer l'outil dans votre LMS", "Install the tool in your LMS"),
    "home_try": ("Essayer sans LMS", "Try it without an LMS"),
    "home_try_text": (
        "Un LMS de démonstration intégré lance l'outil comme le ferait Moodle (LTI 1.3). "
        "Il n'existe que sur une instance locale.",
        "A built-in demo LMS launches the tool as Moodle would (LTI 1.3). It exists only "
        "on a local instance.",
    ),
    "home_as_learner": ("Lancer comme apprenant", "Launch as a learner"),
    "home_quiz_as_learner": (
        "Lancer le quiz du module 1 comme apprenant",
        "Launch the module 1 quiz as a learner",
    ),
    "home_as_trainer": ("Lancer comme formateur", "Launch as a trainer"),
    "home_deep_link": (
        "Choisir des activités (deep linking) comme formateur",
        "Choose activities (deep linking) as a trainer",
    ),
    "home_other_language": (
        "Launch as a learner, in English",
        "Lancer comme apprenant, en français",
    ),
    "home_intro": (
        "Cet outil LTI 1.3 apporte la formation {title} dans Moodle et les autres LMS : "
        "modules, quiz et ateliers intégrés aux cours, notes envoyées au carnet de notes.",
        "This LTI 1.3 tool brings the {title} programme into Moodle and other LMSs: "
        "modules, quizzes and workshops inside courses, grades sent to the gradebook.",
    ),
    "home_register": ("Installer en une adresse", "Install with one address"),
    "home_register_text": (
        "Moodle, Canvas et Brightspace inscrivent l'outil en collant cette adresse "
        "(inscription dynamique LTI) :",
        "Moodle, Canvas and Brightspace register the tool when this address is pasted "
        "(LTI dynamic registration):",
    ),
    "home_guides": ("Guides d'installation par LMS", "Installation guides per LMS"),
    "home_admin": ("Administration de l'outil", "Tool administration"),
    "home_manual": (
        "Ce que l'administrateur du LMS colle dans Moodle",
        "What the LMS administrator pastes into Moodle",
    ),
    "home_manual_path": (
        "Dans Moodle : Administration du site › Plugins › Modules d'activité › Outil externe "
        "› Gérer les outils › configurer un outil manuellement, puis renseignez :",
        "In Moodle: Site administration › Plugins › Activity modules › External tool › "
        "Manage tools › configure a tool manually, then fill in:",
    ),
    "home_tool_url": ("URL de l'outil (Tool URL)", "Tool URL"),
    "home_login_url": ("URL de connexion (Initiate login URL)", "Initiate login URL"),
    "home_redirect_url": ("URL de redirection (Redirection URI(s))", "Redirection URI(s)"),
    "home_jwks_url": (
        "Type de clé publique : URL du jeu de clés (Public keyset URL)",
        "Public key type: keyset URL (Public keyset)",
    ),
    "home_deep_linking": (
        "Sélection de contenu (Deep Linking)",
        "Content selection (Deep Linking)",
    ),
    "home_deep_linking_text": (
        "Activez « Supports Deep Linking (Content-Item Message) ».",
        "Tick 'Supports Deep Linking (Content-Item Message)'.",
    ),
    "home_services": (
        "Version LTI : LTI 1.3. Services : notes (AGS) et liste des participants (NRPS).",
        "LTI version: LTI 1.3. Services: grades (AGS) and the list of participants (NRPS).",
    ),
    "demo_title": ("Démo LMS", "Demo LMS"),
    "demo_continue": ("Continuer", "Continue"),
    "demo_received": ("Démo LMS : activités reçues", "Demo LMS: activities received"),
    "demo_received_text": (
        "Le LMS de démonstration a vérifié la signature de la réponse et créerait ces activités :",
        "The demo LMS checked the answer's signature and would create these activities:",
    ),
    "demo_back_home": ("Retour à l'accueil", "Back to the home page"),
}

# The learner pages' words and the administrator pages' words (kept apart: each file stays
# readable); no key is in two of them (tests/lti_tool/test_operator_languages.py checks).
CATALOGUE = MESSAGES | ADMIN_MESSAGES | INSTALL_MESSAGES | REGISTRATION_MESSAGES


def language_of(locale: str | None, default: str = "fr") -> str:
    """`fr` or `en` from a locale such as `en-GB`, `fr_FR` or `en`."""
    if locale:
        primary = locale.replace("_", "-").split("-")[0].lower()
        if primary in ("fr", "en"):
            return primary
    return default


def translate(key: str, lang: str) -> str:
    """The message `key` in `lang` (the key itself if the catalogue lacks it)."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
