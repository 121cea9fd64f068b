"""django-import-export resources for organisations and staff rosters.

The resources only map columns and validate rows; ``academy.network.services`` runs them inside one
transaction so that a file with any bad row imports nothing (see ``import_organisations`` and
``import_roster``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Organisation, OrganisationSource, Person
from .validators import validate_codice_fiscale, validate_organisation_tax_code, validate_single_line


def _clean_text(value) -> str:
    return "" if value is None else str(value).strip()


class OrganisationResource(resources.ModelResource):
    """Columns: name, kind, parent_tax_code, tax_code, email_domains, city, region, member_from,
    member_until. Rows are matched on ``tax_code``; a parent may appear earlier in the same file."""

    parent_tax_code = fields.Field(
        attribute="parent", column_name="parent_tax_code",
        widget=widgets.ForeignKeyWidget(Organisation, field="tax_code"),
    )
    member_from = fields.Field(attribute="member_from", column_name="member_from",
                               widget=widgets.DateWidget(coerce_to_string=False))
    member_until = fields.Field(attribute="member_until", column_name="member_until",
                                widget=widgets.DateWidget(coerce_to_string=False))

    class Meta:
        model = Organisation
        import_id_fields = ("tax_code",)
        fields = ("name", "kind", "parent_tax_code", "tax_code", "email_domains", "city", "region",
                  "member_from", "member_until")
        clean_model_instances = True
        skip_unchanged = False

    def before_import_row(self, row, **kwargs):
        for key in ("name", "kind", "tax_code", "email_domains", "parent_tax_code"):
            if key in row:
                row[key] = _clean_text(row[key])
        if "kind" in row and not row["kind"]:
            row["kind"] = Organisation.Kind.COOPERATIVE
        if not row.get("tax_code"):
            raise ValidationError({"tax_code": _("The VAT number / codice fiscale is required.")})
        validate_organisation_tax_code(row["tax_code"])
        if row.get("kind") and row["kind"] not in Organisation.Kind.values:
            raise ValidationError({"kind": _("Unknown type “%(kind)s” (use one of: %(choices)s).") % {
                "kind": row["kind"], "choices": ", ".join(Organisation.Kind.values)}})
        if row.get("parent_tax_code") and not Organisation.objects.filter(tax_code=row["parent_tax_code"]).exists():
            raise ValidationError({"parent_tax_code": _("No organisation with tax code %(code)s.") % {
                "code": row["parent_tax_code"]}})


class RosterResource(resources.ModelResource):
    """A staff roster of one organisation. Columns: first_name, last_name, email, fiscal_code,
    job_role (optional: preferred_language). Rows are matched on the (lower-cased) e-mail; everyone
    imported is put on the roster of ``organisation``.

    ``own_domains`` are the e-mail domains the importing officer answers for (None for staff: any).
    A valid row on another domain is not saved: it is collected in ``claims`` for the caller to turn
    into a request that the person or staff confirm (``academy.network.roster``)."""

    class Meta:
        model = Person
        import_id_fields = ("email",)
        fields = ("first_name", "last_name", "email", "fiscal_code", "job_role", "preferred_language")
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, organisation: Organisation, may_move: bool = False, own_domains: set[str] | None = None):
        super().__init__()
        self.organisation = organisation
        self.may_move = may_move
        self.own_domains = own_domains
        self.claims: list[dict[str, str]] = []
        self._seen: dict[str, int] = {}
        self._claimed: set[str] = set()
        self.on_row: Callable[[], None] | None = None  # told after each row, good or bad (import progress)

    def import_row(self, row, instance_loader, **kwargs):
        # Not ``after_import_row``: django-import-export skips that hook for invalid rows, and progress
        # counts every row read.
        result = super().import_row(row, instance_loader, **kwargs)
        if self.on_row is not None:
            self.on_row()
        return result

    def before_import_row(self, row, row_number=None, **kwargs):
        for key in ("first_name", "last_name", "email", "fiscal_code", "job_role", "preferred_language"):
            if key in row:
                row[key] = _clean_text(row[key])
        row["email"] = row.get("email", "").lower()
        row["fiscal_code"] = row.get("fiscal_code", "").upper()
        if not row.get("preferred_language"):
            row["preferred_language"] = Person.Language.ITALIAN
        errors: dict[str, list[str]] = {}
        if not row["email"]:
            errors["email"] = [_("The e-mail address is required.")]
        elif row["email"] in self._seen:
            errors["email"] = [_("Same e-mail as line %(line)s.") % {"line": self._seen[row["email"]] + 1}]
        else:
            self._seen[row["email"]] = row_number
            existing = Person.objects.filter(email__iexact=row["email"]).first()
            if (existing and existing.organisation_id and existing.organisation_id != self.organisation.pk
                    and not self.may_move):
                errors["email"] = [_("This person works for another organisation.")]
        if row["fiscal_code"]:
            try:
                validate_codice_fiscale(row["fiscal_code"])
            except ValidationError as exc:
                errors["fiscal_code"] = exc.messages
        for key in ("first_name", "last_name", "job_role"):
            try:
                validate_single_line(row.get(key, ""))
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        domain = row["email"].rsplit("@", 1)[-1]
        if self.own_domains is not None and domain not in self.own_domains:
            self.claims.append({key: row.get(key, "") for key in self._meta.fields})
            self._claimed.add(row["email"])

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if row.get("email") in self._claimed:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.organisation = self.organisation
        instance.on_roster = True
        instance.organisation_source = (OrganisationSource.STAFF if self.own_domains is None
                                        else OrganisationSource.ROSTER)
