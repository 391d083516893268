from django.core.management.base import BaseCommand

from lianluo.projects.reminders import project_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the supervision groups and staff of livelihood projects of cadence steps due "
        "(inspection, dispatch, report, evaluation) and of steps missed. Each reminder once: "
        "safe to run as often as you like."
    )

    def handle(self, *args, **options):
        sent = project_reminders_send()
        self.stdout.write(f"{sent} project reminder(s) queued.")
