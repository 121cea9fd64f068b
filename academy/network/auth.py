"""Authentication backend: Django's model backend, loading the member with their account.

Nearly every signed-in page needs the person behind the account and their organisation (eligibility,
My Academy, the HR area, registering). Loading them with the user, in the one query the session
already costs, saves a round trip on each of those requests; the query is compiled once per process
(a registration rush is made of little else).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from academy.core.compiled import CompiledRead

_MEMBER = CompiledRead(lambda user_id: get_user_model()._default_manager
                       .select_related("person__organisation").filter(pk=user_id))


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except Exception:  # a session naming no valid id: nobody is signed in
            return None
        user = _MEMBER.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
