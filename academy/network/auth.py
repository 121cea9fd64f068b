"""Authentication backend: Django's model backend, loading the member with their account.

Nearly every signed-in page needs the person behind the account and their organisation (eligibility,
My Academy, the HR area, registering). Loading them with the user, in the one query the session
already costs, saves a round trip on each of those requests.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("person__organisation").get(pk=user_id)
        except (User.DoesNotExist, ValueError, TypeError, ValidationError):  # a session naming no valid id
            return None
        return user if self.user_can_authenticate(user) else None
