"""Authentication backend: Django's model backend, loading the member with their account.

Nearly every signed-in page needs the person behind the account and their organisation (eligibility,
My Academy, the HR area, registering). Loading them with the user, in the one query the session
already costs, saves a round trip and a query compilation on each of those requests; a registration
rush is made of little else.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("person__organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
