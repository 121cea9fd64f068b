"""The default satisfaction questionnaire, shipped as data (a data migration loads it; the demo and the
tests call ``ensure_default_questionnaire``). Plain data: migrations import it without the models."""

from __future__ import annotations

DEFAULT_SLUG = "soddisfazione"

DEFAULT_QUESTIONNAIRE = {
    "slug": DEFAULT_SLUG,
    "title_it": "Questionario di gradimento",
    "title_en": "Satisfaction questionnaire",
    "intro_it": ("Il questionario è anonimo: registriamo che lo hai compilato, non che cosa hai risposto. "
                 "I docenti vedono solo risultati aggregati."),
    "intro_en": ("The questionnaire is anonymous: we record that you answered it, not what you answered. "
                 "Trainers only see aggregated results."),
    "questions": [
        {"kind": "rating", "text_it": "Quanto erano pertinenti i temi rispetto alle tue aspettative?",
         "text_en": "How relevant were the topics to your expectations?"},
        {"kind": "rating", "text_it": "Come valuti la qualità dei contenuti?",
         "text_en": "How do you rate the quality of the content?"},
        {"kind": "rating", "text_it": "Come valuti il docente (chiarezza, competenza, disponibilità)?",
         "text_en": "How do you rate the trainer (clarity, expertise, helpfulness)?"},
        {"kind": "rating", "text_it": "Come valuti l'organizzazione (iscrizione, orari, piattaforma o sede)?",
         "text_en": "How do you rate the organisation (registration, timing, platform or venue)?"},
        {"kind": "rating", "text_it": "Quanto ti sarà utile nel tuo lavoro?",
         "text_en": "How useful will it be for your work?"},
        {"kind": "text", "required": False, "text_it": "Commenti e suggerimenti liberi",
         "text_en": "Free comments and suggestions"},
    ],
}


def ensure_default_questionnaire(questionnaire_model=None, question_model=None):
    """Create the default questionnaire unless its code exists; return it. Idempotent."""
    if questionnaire_model is None:
        from .models import Question, Questionnaire

        questionnaire_model, question_model = Questionnaire, Question
    data = dict(DEFAULT_QUESTIONNAIRE)
    questions = data.pop("questions")
    existing = questionnaire_model.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    is_default = not questionnaire_model.objects.filter(is_default=True).exists()
    questionnaire = questionnaire_model.objects.create(is_default=is_default, **data)
    for order, question in enumerate(questions):
        question_model.objects.create(questionnaire=questionnaire, sort_order=order,
                                      required=question.get("required", True),
                                      **{k: v for k, v in question.items() if k != "required"})
    return questionnaire
