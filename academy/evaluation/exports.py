"""XLSX of a course's evaluation results (summary, questions, comments, editions), through
``academy.core.tabular`` (every cell through ``safe_cell``: comments are free text)."""

from __future__ import annotations

import tablib
from django.utils.translation import gettext as _

from academy.core.exports import sheet_title
from academy.core.tabular import export_xlsx

from . import services


def results_xlsx(course, viewer) -> bytes:
    results = services.course_results(course)
    summary = tablib.Dataset(headers=[_("Course"), _("Invited"), _("Answered"), _("Response rate (%)"),
                                      _("Responses"), _("Threshold")], title=sheet_title(_("Summary")))
    summary.append([course.title, results.invited, results.answered, results.response_rate, results.responses,
                    results.threshold])
    questions = tablib.Dataset(headers=[_("Question"), _("Kind"), _("Answers"), _("Average"), _("Option"),
                                        _("Count"), _("Percent")], title=sheet_title(_("Questions")))
    comments = tablib.Dataset(headers=[_("Question"), _("Comment")], title=sheet_title(_("Comments")))
    for row in results.questions:  # empty below the anonymity threshold
        kind = row.question.get_kind_display()
        if row.distribution:
            for label, count, percent in row.distribution:
                questions.append([row.question.text, kind, row.count,
                                  float(row.average) if row.average is not None else None, label, count, percent])
        else:
            questions.append([row.question.text, kind, row.count, None, None, None, None])
        for text in row.comments:
            comments.append([row.question.text, text])
    trend = tablib.Dataset(headers=[_("Edition"), _("Date"), _("Responses"), _("Response rate (%)"), _("Average")],
                           title=sheet_title(_("Editions")))
    for edition in services.editions(course, viewer):
        trend.append([edition.course.title, edition.course.first_starts_at.date() if edition.course.first_starts_at
                      else None, edition.responses, edition.response_rate,
                      float(edition.overall) if edition.overall is not None and edition.shown else None])
    return export_xlsx(tablib.Databook([summary, questions, comments, trend]))
