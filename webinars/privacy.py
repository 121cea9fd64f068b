"""Teams data about a person: their other e-mail addresses (aliases) and the attendance rows Teams
reported under those addresses that could not be matched. An alias is an address of theirs, so it is
deleted; unmatched rows keep their minutes but lose the address and the display name."""

from __future__ import annotations

from academy.core import privacy

from .models import EmailAlias, TeamsIdentity, UnmatchedAttendance


def export_aliases(person) -> list[str]:
    return list(EmailAlias.objects.filter(person=person).values_list("email", flat=True))


def erase_aliases(person, *, by, now) -> None:
    EmailAlias.objects.filter(person=person).delete()


def export_teams_identities(person) -> list[str]:
    return list(TeamsIdentity.objects.filter(person=person).values_list("user_id", flat=True))


def erase_teams_identities(person, *, by, now) -> None:
    ids = list(TeamsIdentity.objects.filter(person=person).values_list("user_id", flat=True))
    UnmatchedAttendance.objects.filter(user_id__in=ids).update(user_id="", display_name="")
    TeamsIdentity.objects.filter(person=person).delete()


def erase_unmatched_attendance(person, *, by, now) -> None:
    UnmatchedAttendance.objects.filter(resolved_person=person).update(email="", display_name="")
    addresses = [person.email.lower(), *EmailAlias.objects.filter(person=person).values_list("email", flat=True)]
    for address in addresses:
        UnmatchedAttendance.objects.filter(email__iexact=address).update(email="", display_name="")


# Unmatched rows are found by the person's addresses, aliases included: before the aliases go.
privacy.register("unmatched_attendance", erase=erase_unmatched_attendance, order=40)
privacy.register("teams_identities", export=export_teams_identities, erase=erase_teams_identities, order=46,
                 export_order=71)
privacy.register("email_aliases", export=export_aliases, erase=erase_aliases, order=45, export_order=70)
