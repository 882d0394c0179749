"""The words of the SCO pages and of their runtime, in the package's language (fr, en).

`page_messages(lang)` goes to the templates as `m`; `runtime_messages(lang)` is written
into the package's copy of scorm-runtime.js, so a page carries only its own language.
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")

_PAGE: dict[str, tuple[str, str]] = {
    "skip": ("Aller au contenu", "Skip to content"),
    "module": ("Module", "Module"),
    "step": ("étape {position} sur {count} du module", "step {position} of {count} in the module"),
    "package": ("paquet SCORM", "SCORM package"),
    "version": ("version", "version"),
    "lesson": ("Leçon", "Lesson"),
    "quiz": ("Quiz", "Quiz"),
    "workshop": ("Atelier", "Workshop"),
    "duration": ("Durée indicative : {minutes} min", "Suggested time: {minutes} min"),
    "question": ("Question", "Question"),
    "situation": ("Situation", "Situation"),
    "point": ("point", "point"),
    "points": ("points", "points"),
    "several": ("Plusieurs réponses possibles.", "Several answers are possible."),
    "true": ("Vrai", "True"),
    "false": ("Faux", "False"),
    "your_answer": ("Votre réponse", "Your answer"),
    "matching": (
        "Choisissez, pour chaque élément, sa correspondance.",
        "For each item, choose what it matches.",
    ),
    "choose": ("— choisir —", "— choose —"),
    "ordering": (
        "Mettez les éléments dans le bon ordre avec les boutons « Monter » et « Descendre ».",
        "Put the items in the right order with the 'Up' and 'Down' buttons.",
    ),
    "source": ("Source :", "Source:"),
    "check": ("Valider ma réponse", "Check my answer"),
    "check_scene": ("Valider mon repérage", "Check my choices"),
    "up": ("Monter", "Up"),
    "down": ("Descendre", "Down"),
    "expected_order": ("Ordre attendu :", "Expected order:"),
    "sources": ("Sources", "Sources"),
    "glossary": ("Glossaire", "Glossary"),
    "feedback_sources": ("Sources des explications", "Sources of the explanations"),
    "feedback_glossary": ("Termes des explications", "Terms in the explanations"),
    "feedback_title": ("Explications", "Explanations"),
    "no_js": (
        "Sans JavaScript, cette page se lit mais rien n'est enregistré dans votre plateforme.",
        "Without JavaScript, this page can be read but nothing is recorded by your platform.",
    ),
    "lesson_finish_title": ("Fin de la leçon", "End of the lesson"),
    "lesson_finish_text": (
        "Quand vous avez lu la leçon, marquez-la comme terminée : votre plateforme "
        "l'enregistre. Vous pouvez la quitter avant et la reprendre plus tard au même endroit.",
        "When you have read the lesson, mark it as finished: your platform records it. You "
        "can leave before and come back later at the same place.",
    ),
    "lesson_finish_button": ("J'ai terminé cette leçon", "I have finished this lesson"),
    "quiz_intro": (
        "{questions} questions, {points} points. Le quiz est réussi à partir de {percent} % "
        "des points. Validez chaque réponse pour voir son explication ; vos réponses sont "
        "enregistrées au fur et à mesure et vous pouvez reprendre plus tard. Terminez le quiz "
        "pour envoyer votre résultat.",
        "{questions} questions, {points} points. The quiz is passed from {percent}% of the "
        "points. Check each answer to read its explanation; your answers are recorded as you "
        "go and you can come back later. Finish the quiz to send your result.",
    ),
    "quiz_no_js": (
        "Ce quiz a besoin de JavaScript pour enregistrer vos réponses. Les questions restent "
        "lisibles.",
        "This quiz needs JavaScript to record your answers. The questions can still be read.",
    ),
    "quiz_finish_title": ("Terminer le quiz", "Finish the quiz"),
    "quiz_finish_text": (
        "Les questions sans réponse comptent zéro point. Une fois le quiz terminé, votre "
        "résultat est envoyé à votre plateforme.",
        "Unanswered questions count zero points. Once the quiz is finished, your result is "
        "sent to your platform.",
    ),
    "quiz_finish_button": (
        "Terminer le quiz et envoyer mon résultat",
        "Finish the quiz and send my result",
    ),
    "instructions": ("Consignes", "Instructions"),
    "scene_legend": (
        "Cochez chaque situation qui est une mauvaise pratique ({count} situations) ; pour "
        "celles que vous signalez, choisissez leur catégorie et le poids du levier (non noté)",
        "Tick each situation that is a bad practice ({count} situations); for those you flag, "
        "choose their category and the weight of the lever (not marked)",
    ),
    "category": ("Catégorie", "Category"),
    "lever": ("Poids du levier", "Weight of the lever"),
    "lever_3": ("fort", "strong"),
    "lever_2": ("moyen", "medium"),
    "lever_1": ("faible", "weak"),
    "bad_practice": ("mauvaise pratique", "bad practice"),
    "lever_word": ("levier", "lever"),
    "good_practice": ("Bonne pratique :", "Good practice:"),
    "sound_practice": (
        "pratique saine, à ne pas signaler.",
        "a sound practice, not to be flagged.",
    ),
    "situations": ("Situations", "Situations"),
    "situations_text": (
        "Activité formative : elle n'est pas notée. Validez chaque réponse pour lire son "
        "explication.",
        "A formative activity: it is not marked. Check each answer to read its explanation.",
    ),
    "situations_no_js": (
        "Sans JavaScript, les situations se lisent mais vos réponses ne sont ni vérifiées ni "
        "enregistrées.",
        "Without JavaScript, the situations can be read but your answers are neither checked "
        "nor recorded.",
    ),
    "output": ("Ce que vous produisez", "What you produce"),
    "fiche": ("Votre fiche", "Your sheet"),
    "fiche_text": (
        "Remplissez la fiche puis enregistrez-la : elle est gardée par votre plateforme et "
        "vous la retrouvez en revenant. Imprimez-la (ou enregistrez-la en PDF) pour la "
        "remettre à votre formateur.",
        "Fill in the sheet then save it: your platform keeps it and you find it again when "
        "you come back. Print it (or save it as PDF) to hand it to your trainer.",
    ),
    "required": ("obligatoire", "required"),
    "max_words": ("{count} mots au plus", "{count} words at most"),
    "save_fiche": ("Enregistrer ma fiche", "Save my sheet"),
    "print_fiche": ("Imprimer ma fiche", "Print my sheet"),
    "assessment": ("Évaluation", "Assessment"),
    "rubric": ("Grille d'évaluation", "Assessment grid"),
    "criterion": ("Critère", "Criterion"),
    "workshop_finish_title": ("Terminer l'atelier", "Finish the workshop"),
    "workshop_finish_text": (
        "Quand vous avez fini, terminez l'atelier : votre plateforme l'enregistre comme "
        "terminé, avec votre fiche.",
        "When you are done, finish the workshop: your platform records it as finished, with "
        "your sheet.",
    ),
    "workshop_finish_button": ("Terminer l'atelier", "Finish the workshop"),
}

_RUNTIME: dict[str, tuple[str, str]] = {
    "right": ("Bonne réponse", "Right answer"),
    "partly": ("Réponse en partie juste", "Partly right"),
    "wrong": ("Réponse inexacte", "Wrong answer"),
    "score": (
        "{verdict} : {score} sur {max} {points}.",
        "{verdict}: {score} out of {max} {points}.",
    ),
    "point": ("point", "point"),
    "points": ("points", "points"),
    "moved": (
        "« {text} » : position {position} sur {count}.",
        "'{text}': position {position} of {count}.",
    ),
    "answer_first": ("Répondez avant de valider.", "Answer before checking."),
    "match_first": (
        "Choisissez une correspondance pour chaque élément avant de valider.",
        "Choose a match for each item before checking.",
    ),
    "no_feedback": (
        "Les explications n'ont pas pu être chargées.",
        "The explanations could not be loaded.",
    ),
    "fiche_too_long": (
        "Fiche trop longue pour votre plateforme ({limit} caractères au plus pour l'ensemble "
        "de vos réponses) : raccourcissez-la.",
        "The sheet is too long for your platform ({limit} characters at most for all your "
        "answers): shorten it.",
    ),
    "fiche_saved": (
        "Fiche enregistrée dans votre plateforme ({used} caractères sur {limit}).",
        "Sheet saved in your platform ({used} characters of {limit}).",
    ),
    "fiche_kept": (
        "Fiche gardée sur cette page seulement, aucune plateforme ({used} caractères sur {limit}).",
        "Sheet kept on this page only, no platform ({used} characters of {limit}).",
    ),
    "fiche_missing": (
        "À compléter : {count} champ(s) obligatoire(s) vide(s) ou trop long(s).",
        "To complete: {count} required field(s) empty or too long.",
    ),
    "result": (
        "Votre résultat : {percent} % ({score} sur {max} points).",
        "Your result: {percent}% ({score} out of {max} points).",
    ),
    "passed": ("Quiz réussi.", "Quiz passed."),
    "failed": (
        "Quiz non réussi : le seuil est de {percent} %.",
        "Quiz not passed: the pass mark is {percent}%.",
    ),
    "lesson_done": ("Leçon terminée.", "Lesson finished."),
    "workshop_done": ("Atelier terminé.", "Workshop finished."),
    "recorded": (
        "C'est enregistré : passez à l'étape suivante depuis le sommaire de votre plateforme.",
        "It is recorded: go on to the next step from your platform's table of contents.",
    ),
    "not_confirmed": (
        "La plateforme n'a pas confirmé l'enregistrement.",
        "The platform did not confirm the recording.",
    ),
    "nothing_recorded": (
        "Aucune plateforme : rien n'a été enregistré.",
        "No platform: nothing was recorded.",
    ),
    "review": (
        "Consultation : vos réponses ne sont pas modifiées.",
        "Review: your answers are not changed.",
    ),
    "connected": (
        "Connecté à votre plateforme : votre progression est enregistrée.",
        "Connected to your platform: your progress is recorded.",
    ),
    # One line at the page's width: the line kept for it does not grow (no layout shift).
    "no_lms": (
        "Aucune plateforme (LMS) : vous pouvez tout lire, rien n'est enregistré.",
        "No platform (LMS): you can read everything, nothing is recorded.",
    ),
    "quiz_done": ("Vous avez déjà terminé ce quiz.", "You have already finished this quiz."),
    "resumed": ("Reprise là où vous vous étiez arrêté.", "Resumed where you left off."),
    "new_window": ("(nouvelle fenêtre)", "(new window)"),
}


def _pick(table: dict[str, tuple[str, str]], lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"langue inconnue / unknown language: {lang}")
    index = LANGUAGES.index(lang)
    return {key: pair[index] for key, pair in table.items()}


def page_messages(lang: str) -> dict[str, str]:
    """The pages' words in `lang`."""
    return _pick(_PAGE, lang)


def runtime_messages(lang: str) -> dict[str, str]:
    """The runtime's words in `lang` (with {placeholders} it fills in)."""
    return _pick(_RUNTIME, lang)
