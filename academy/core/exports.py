"""Admin spreadsheet exports (Wagtail ``list_export``) that read like the admin: translated headings,
a sheet named after the list, numbers and dates as real cells, choice labels instead of stored codes and
times in the site's time zone.

Viewsets mix in ``TranslatedExportViewSet`` (before ``ModelViewSet`` / ``SnippetViewSet``), which also gives
their inspect (detail) view the same reading: times in the site's time zone like the list, a dash for an
empty value instead of "None". CSV layout
(delimiter, BOM, formula neutralisation) is ``academy.core.tabular``'s concern, not this module's.
"""

from __future__ import annotations

import datetime
import re
from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.text import capfirst
from wagtail.coreutils import multigetattr

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def model_field(model, path: str):
    """The model field a dotted ``list_export`` path ends on (``person.email``), or None for methods."""
    *relations, name = path.replace("__", ".").split(".")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
            if model is None:
                return None
        return model._meta.get_field("pk" if name == "pk" else name) if name != "pk" else model._meta.pk
    except (FieldDoesNotExist, AttributeError):
        return None


def sheet_title(label) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return (_SHEET_FORBIDDEN.sub(" ", force_str(label)).strip() or "Export")[:31]


class TranslatedExportMixin:
    """For a Wagtail index view; ``sheet_title`` comes from the viewset's menu label."""

    sheet_title = ""

    def get_heading(self, queryset, field):
        if self.export_headings.get(field):
            return force_str(self.export_headings[field])
        found = model_field(queryset.model, field)
        if found is not None and getattr(found, "verbose_name", None):
            return capfirst(force_str(found.verbose_name))
        return super().get_heading(queryset, field)

    def to_row_dict(self, item):
        row = OrderedDict()
        for path in self.list_export:
            value = multigetattr(item, path)
            found = model_field(type(item), path)
            if found is not None and getattr(found, "choices", None) and value not in (None, ""):
                value = dict(found.flatchoices).get(value, value)
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value)  # the admin's clock, not UTC
            row[path] = value
        return row

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=sheet_title(self.sheet_title or queryset.model._meta.verbose_name_plural))
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format))
        workbook.save(output)


class LocalInspectMixin:
    """Inspect view: a time in the site's time zone (Europe/Rome, as in the list), a dash for nothing."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        return value


class TranslatedExportViewSet:
    """Viewset mixin: the index view exports through ``TranslatedExportMixin``, the inspect view reads
    through ``LocalInspectMixin``."""

    @property
    def inspect_view_class(self):
        base = super().inspect_view_class
        return type(f"Local{base.__name__}", (LocalInspectMixin, base), {})

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(sheet_title=self.menu_label, **kwargs)

    @property
    def index_view_class(self):
        base = super().index_view_class
        return type(f"Translated{base.__name__}", (TranslatedExportMixin, base), {})
