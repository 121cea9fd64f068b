"""What every API view shares: the language of the answer and the access log of HR and staff reads."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from ..models import ApiAccessLog

LANG_PARAMETER = OpenApiParameter("lang", str, enum=["it", "en"], description="Language of text fields (default it).")


def language_of(request) -> str:
    languages = [code for code, _name in settings.LANGUAGES]
    asked = request.query_params.get("lang", "")
    return asked if asked in languages else settings.LANGUAGE_CODE


class LocalisedView(APIView):
    """Text in ``?lang=`` (Italian by default), whatever the browser's language; a query parameter with a
    NUL character is refused (400)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        translation.activate(language_of(request))
        # A NUL cannot reach the database (PostgreSQL refuses it in any text): the request is wrong.
        bad = sorted({key for key, values in request.query_params.lists() if any("\x00" in v for v in values)})
        if bad:
            raise ValidationError({key: [_("This value contains a NUL character.")] for key in bad})


class LoggedReadView(LocalisedView):
    """HR and staff views: each answer about other people is recorded (``ApiAccessLog``)."""

    people_in_answer = 0

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.auth is not None:
            ApiAccessLog.objects.create(token=request.auth, user=request.user, method=request.method,
                                        path=request.get_full_path()[:300], status=response.status_code,
                                        people=self.people_in_answer)
        return response
