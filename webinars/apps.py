from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "webinars"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published

        from academy.courses.signals import session_cancelled, session_rescheduled
        from academy.registrations import cancelling, invitations

        from . import signals, teams
        from .models import TeamsAccount

        page_published.connect(signals.on_page_published, dispatch_uid="webinars.page_published")
        session_rescheduled.connect(signals.on_session_rescheduled, dispatch_uid="webinars.session_rescheduled")
        session_cancelled.connect(signals.on_session_cancelled, dispatch_uid="webinars.session_cancelled")
        # Personal join links in the registrants' invitations (and nowhere else).
        if teams.join_url_for not in invitations.JOIN_URL_PROVIDERS:
            invitations.JOIN_URL_PROVIDERS.append(teams.join_url_for)
        # The "session moved" e-mail goes once the meeting it links to is moved (or re-created).
        if teams.announces_move not in cancelling.RESCHEDULE_HANDLERS:
            cancelling.RESCHEDULE_HANDLERS.append(teams.announces_move)
        # A trainer's Teams account added or removed: their meetings are re-checked at the next pass.
        post_save.connect(teams.hosts.hosts_changed, sender=TeamsAccount, dispatch_uid="webinars.hosts_saved")
        post_delete.connect(teams.hosts.hosts_changed, sender=TeamsAccount, dispatch_uid="webinars.hosts_deleted")
