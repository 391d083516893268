"""Celery app: used when CELERY_BROKER_URL is set (production); otherwise tasks run in-process."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianluo.settings")

app = Celery("lianluo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# One assignment, never `app.conf.beat_schedule[...] = ...`: reading app.conf at import loads
# Django's settings, and `import lianluo` must work without them (the `lianluo` console command,
# lianluo.analysis, runs after a plain `pip install .` with no settings).
app.conf.beat_schedule = {
    # Sweeps whatever a broker outage left in the outbox.
    "deliver-outbox": {"task": "lianluo.deliver_outbox", "schedule": 60.0},
    # Sends the SMS that are due: a broker outage's, and the retries of failed ones.
    "deliver-sms": {"task": "lianluo.deliver_sms", "schedule": 60.0},
    # Monthly activity reminders (站内活动月提醒): daily at 00:00 UTC = 08:00 Asia/Shanghai (beat
    # runs in UTC: no CELERY_TIMEZONE); the job sends once per station and month, so daily is safe.
    "activities-monthly-reminders": {
        "task": "lianluo.activities_monthly_reminders",
        "schedule": crontab(hour=0, minute=0),
    },
    # Duty reminders (值班提醒): hourly; each duty is reminded once (Duty.reminded_at).
    "send-duty-reminders": {
        "task": "lianluo.send_duty_reminders",
        "schedule": 3600.0,
    },
    # Roster imports (名单导入): picks up uploads and confirmed imports a lost thread or a broker
    # outage left behind; each job is claimed by its state, so a repeated run does nothing twice.
    "onboarding-sweep-imports": {
        "task": "lianluo.onboarding.sweep_imports",
        "schedule": 60.0,
    },
    # Duty points replay: credits platform events not credited yet (each once); daily 01:00 Beijing.
    "duty-points-replay": {
        "task": "lianluo.duty_points_replay",
        "schedule": crontab(hour=17, minute=0),
    },
    # Suggestion reminders (代表建议督办提醒): daily at 00:30 UTC = 08:30 Beijing; each reminder is
    # recorded on its item (an Event "remind"), so a repeated run sends nothing twice.
    "suggestion-reminders": {
        "task": "lianluo.suggestion_reminders",
        "schedule": crontab(hour=0, minute=30),
    },
    # Livelihood-project cadence reminders (民生实事项目监督提醒): daily at 00:40 UTC = 08:40
    # Beijing; each recorded as an audit entry, so a repeated run sends nothing twice.
    "project-reminders": {
        "task": "lianluo.project_reminders",
        "schedule": crontab(hour=0, minute=40),
    },
    # Hot topics (热点): this month and this year to date for every congress's area; daily at
    # 18:00 UTC = 02:00 Beijing (each run replaces the one before for its area and period).
    "insights-topics": {
        "task": "lianluo.insights_topics",
        "schedule": crontab(hour=18, minute=0),
    },
}
