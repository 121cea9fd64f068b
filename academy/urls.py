"""URL configuration: language-prefixed site (/it/, /en/), Wagtail admin, accounts, member area."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from academy.core.health import healthz, readyz
from academy.core.metrics_view import metrics
from cms.views import favicon, landing

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),  # token or staff only (academy.core.metrics_view)
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    # Sign in with Microsoft, second factors (django-allauth): academy.network.sso.urls
    path("auth/", include("academy.network.sso.urls")),
    path("api/v1/", include("academy.api.urls")),
]

urlpatterns += i18n_patterns(
    # Where everyone lands after signing in, by role (cms.areas): LOGIN_REDIRECT_URL and single sign-on.
    path("accounts/landing/", landing, name="landing"),
    path("accounts/", include("academy.network.urls")),
    path("my-academy/api-tokens/", include("academy.api.page_urls")),
    path("my-academy/", include("academy.registrations.urls")),
    path("calendar/", include("academy.courses.urls")),
    path("hr/", include("academy.competences.urls")),
    path("attendance/", include("academy.attendance.urls")),
    path("evaluation/", include("academy.evaluation.urls")),
    path("funding/", include("academy.funding.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include("masterclass.urls")),
    path("", include("academy.materials.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
