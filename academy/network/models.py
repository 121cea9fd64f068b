"""The network: organisations (national consortium, territorial consortia, member cooperatives) and
the people who work in them.

Training is open only to members of the network, so these models answer one question for every
other part of the Academy: does this person belong to an active member organisation?
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_codice_fiscale, validate_organisation_tax_code, validate_single_line


class OrganisationQuerySet(models.QuerySet):
    """The two-level organisation tree (national consortium → territorial consortia → cooperatives),
    written once. Every method stays one lazy query, so callers filter in SQL whatever the size of
    the network."""

    def subtree_of(self, roots) -> OrganisationQuerySet:
        """``roots`` (an organisation, ids, or an id subquery), their members and their members' members."""
        if isinstance(roots, Organisation):
            roots = [roots.pk]
        return self.filter(models.Q(pk__in=roots) | models.Q(parent_id__in=roots)
                           | models.Q(parent__parent_id__in=roots))

    def ancestors_of(self, ids) -> OrganisationQuerySet:
        """The organisations ``ids`` and the consortia above them (whose requirements they inherit)."""
        return self.filter(models.Q(pk__in=ids) | models.Q(members__in=ids)
                           | models.Q(members__members__in=ids)).distinct()

    def managed_by(self, user) -> OrganisationQuerySet:
        """Organisations whose staff ``user`` manages as HR officer (a consortium: its members too).
        Staff manage nothing here by virtue of being staff; see ``visible_to``."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.subtree_of(HROfficer.objects.filter(user=user).values("organisation_id"))

    def visible_to(self, user) -> OrganisationQuerySet:
        """What the HR area shows ``user``: every organisation for staff, else those they manage."""
        from academy.core.permissions import is_staff

        return self.all() if is_staff(user) else self.managed_by(user)

    def with_chain(self) -> OrganisationQuerySet:
        """Annotate ``grandparent_id`` so that ``Organisation.chain`` costs no query."""
        return self.annotate(grandparent_id=models.F("parent__parent_id"))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("National consortium")
        TERRITORIAL = "territorial", _("Territorial consortium")
        COOPERATIVE = "cooperative", _("Member cooperative")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COOPERATIVE)
    parent = models.ForeignKey(
        "self", verbose_name=_("member of"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )
    tax_code = models.CharField(
        _("VAT number / codice fiscale"), max_length=16, blank=True,
        validators=[validate_organisation_tax_code],
        help_text=_("11-digit partita IVA or numeric codice fiscale of the organisation."),
    )
    email_domains = models.CharField(
        _("e-mail domains"), max_length=500, blank=True,
        help_text=_("Comma-separated. People with a verified address on these domains are members."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    member_from = models.DateField(_("member from"), null=True, blank=True)
    member_until = models.DateField(_("member until"), null=True, blank=True)
    participation_target = models.PositiveSmallIntegerField(
        _("participation target (%)"), default=80,
        help_text=_("Share of staff expected to take part in training each year."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~models.Q(tax_code=""), name="unique_org_tax_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.email_domains.split(",") if d.strip()]

    def is_active_member(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.member_from and on < self.member_from:
            return False
        if self.member_until and on > self.member_until:
            return False
        return True

    def descendant_ids(self) -> list[int]:
        """This organisation and, for a consortium, its members (two levels are enough here)."""
        return list(Organisation.objects.subtree_of(self).values_list("pk", flat=True))

    @property
    def chain(self) -> tuple[int, ...]:
        """This organisation, its consortium and that consortium's parent (requirements are inherited).
        Free when loaded ``with_chain()`` or with ``select_related("parent")``."""
        if hasattr(self, "grandparent_id"):
            grandparent_id = self.grandparent_id
        else:
            grandparent_id = self.parent.parent_id if self.parent_id else None
        return tuple(i for i in (self.pk, self.parent_id, grandparent_id) if i)


class OrganisationSource(models.TextChoices):
    """Who placed a person in their organisation, weakest first: a verified domain overrides an unknown
    or imported placement, never one the person or staff confirmed."""

    UNKNOWN = "", _("unknown")
    ROSTER = "roster", _("HR officer's roster import")
    TENANT = "tenant", _("Microsoft sign-in from the organisation's tenant")
    DOMAIN = "domain", _("verified e-mail domain")
    PERSON = "person", _("confirmed by the person")
    STAFF = "staff", _("Academy staff")


class Person(models.Model):
    """Someone working in the network. May exist without an account (rosters, imports)."""

    class Language(models.TextChoices):
        ITALIAN = "it", "Italiano"
        ENGLISH = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    first_name = models.CharField(_("first name"), max_length=100, validators=[validate_single_line])
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"))
    fiscal_code = models.CharField(
        _("codice fiscale"), max_length=16, blank=True, validators=[validate_codice_fiscale]
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("employer"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="people",
    )
    job_role = models.CharField(_("job role"), max_length=120, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ITALIAN
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    on_roster = models.BooleanField(
        _("on a staff roster"), default=False,
        help_text=_("Put on the roster of a member organisation by its HR officer or by staff."),
    )
    membership_approved = models.BooleanField(
        _("membership approved by staff"), default=False,
    )
    organisation_source = models.CharField(
        _("employer set by"), max_length=10, choices=OrganisationSource.choices, blank=True, default="",
        help_text=_("Who put this person in their organisation: a verified e-mail domain wins over an "
                    "HR officer's import."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_person_email_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.fiscal_code = self.fiscal_code.strip().upper()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower() if "@" in self.email else ""


class HROfficer(models.Model):
    """An account allowed to see and manage the training of one organisation's staff (and, for a
    consortium, of its member cooperatives)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hr_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="hr_officers")

    class Meta:
        verbose_name = _("HR officer")
        verbose_name_plural = _("HR officers")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_hr_officer")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class MembershipRequest(models.Model):
    """A person who is not recognised as a member asks staff to approve them.

    Staff decide in the Wagtail admin; approval sets ``Person.membership_approved`` (and, when staff
    pick one, the employer organisation) through ``services.decide_membership_request``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="membership_requests",
                               verbose_name=_("person"))
    organisation_name = models.CharField(_("organisation (as typed)"), max_length=200)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("organisation (matched)"))
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="pending"),
                                    name="one_pending_membership_request"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation_name} ({self.get_status_display()})"


class RosterClaim(models.Model):
    """An HR officer listed an address that is not on a domain of their organisation: the roster row
    waits here until the person (through a link sent to that address) or staff confirm it, so that no
    officer can take over somebody else's record or pre-claim a colleague of another cooperative."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Superseded")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roster_claims",
                                     verbose_name=_("organisation"))
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100, blank=True, validators=[validate_single_line])
    last_name = models.CharField(_("last name"), max_length=100, blank=True, validators=[validate_single_line])
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    job_role = models.CharField(_("job role"), max_length=120, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=2, choices=Person.Language.choices,
                                          default=Person.Language.ITALIAN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    held = models.BooleanField(_("e-mail held for staff approval"), default=False,
                               help_text=_("The officer went over the hourly allowance of confirmation e-mails: "
                                           "nothing is sent until staff send it."))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by staff"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster entry awaiting confirmation")
        verbose_name_plural = _("roster entries awaiting confirmation")
        constraints = [
            models.UniqueConstraint(Lower("email"), "organisation", condition=models.Q(status="pending"),
                                    name="one_pending_roster_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_status_display()})"


class EntraTenant(models.Model):
    """A Microsoft Entra tenant registered for an organisation: a sign-in with Microsoft from a confirmed
    tenant makes the person a member of it (``academy.network.sso.tenants``). Staff register one, or an
    HR officer proposes it and staff confirm; a removed tenant gives membership to nobody any more."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the HR officer")
        CONFIRMED = "confirmed", _("Confirmed")
        REMOVED = "removed", _("Removed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tenants",
                                     verbose_name=_("organisation"))
    tenant_id = models.UUIDField(_("Entra tenant id"), help_text=_(
        "The directory (tenant) ID shown in the Microsoft Entra admin centre, Overview page."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("proposed by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("confirmed or removed by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "-created_at"]
        verbose_name = _("Microsoft tenant")
        verbose_name_plural = _("Microsoft tenants")
        constraints = [
            # A tenant belongs to one organisation at a time (removed rows stay as history).
            models.UniqueConstraint(fields=["tenant_id"], condition=~models.Q(status="removed"),
                                    name="one_live_registration_per_tenant"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} → {self.organisation} ({self.get_status_display()})"
