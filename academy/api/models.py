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
