"""API tokens and the log of who read other people's data through the API.

A token's secret is shown once and stored only as its SHA-256 digest (the secret is 32 random bytes, so
a slow hash adds nothing). A personal token acts as its user; an organisation token, issued by staff to
an HR officer, acts as that officer limited to one organisation's subtree, and stops working the moment
the officer no longer holds that role.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="academy_api_tokens")
    organisation = models.ForeignKey("network.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="api_tokens",
                                     help_text=_("Set for a server token of an organisation's HR system."))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == Scope.WRITE


class ApiAccessLog(models.Model):
    """One HR or staff read of other people's data through the API (kept for ``API_ACCESS_LOG_DAYS``)."""

    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField(_("people in the answer"), default=0)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("API access")
        verbose_name_plural = _("API access log")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class WebhookEndpoint(models.Model):
    """An HTTPS address that receives events: an organisation's (people in its subtree only) or, with no
    organisation, staff's (every event)."""

    organisation = models.ForeignKey("network.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(max_length=64, editable=False)
    events = models.CharField(_("events"), max_length=300, help_text=_("Comma-separated event types."))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    @property
    def event_types(self) -> set[str]:
        return {e.strip() for e in self.events.split(",") if e.strip()}


class WebhookEvent(models.Model):
    """One event for one endpoint, written in the transaction that caused it; delivered at least once,
    in order per subject, with its stable ``uuid``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Given up")

    uuid = models.UUIDField(unique=True, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    type = models.CharField(max_length=50)
    subject = models.CharField(max_length=60, help_text="e.g. registration:12; events of one subject go in order")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["endpoint", "subject", "status"])]

    def __str__(self) -> str:
        return f"{self.type} {self.subject} → {self.endpoint_id} ({self.status})"


class KnownObligationStatus(models.Model):
    """The last status of a person for a legal obligation that ``obligation.status_changed`` events were
    computed from (``academy.api.obligation_events``): the engine's answer now is compared with it."""

    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="+")
    obligation = models.ForeignKey("obligations.Obligation", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10)
    deadline = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("known obligation status")
        verbose_name_plural = _("known obligation statuses")
        constraints = [models.UniqueConstraint(fields=["person", "obligation"], name="api_known_status_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.obligation_id}: {self.status}"
