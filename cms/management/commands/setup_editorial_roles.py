"""Create (or complete) the Editors and Moderators groups and the moderation workflow."""

from django.core.management.base import BaseCommand

from cms.editorial import setup_editorial_roles


class Command(BaseCommand):
    help = "Create the Editors/Moderators groups, their page permissions and the 'Revisione editoriale' workflow."

    def handle(self, *args, **options):
        setup = setup_editorial_roles()
        self.stdout.write(self.style.SUCCESS(
            f"Groups '{setup.editors.name}' and '{setup.moderators.name}', workflow '{setup.workflow.name}' ready."))
