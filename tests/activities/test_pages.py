"""The activity pages as their users see them: the officer creates, publishes, shows the check-in
code and records afterwards; the deputy signs up on the phone, lands on the check-in page from
the QR code (after signing in if needed) and starts on their own home page. Missing and
not-yours are the same 404, in both languages."""

from __future__ import annotations

import io
import re
from datetime import time, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from lianluo.activities.models import Activity, ActivityPhoto, MonthlyTheme, Signup
from lianluo.activities.services import (
    checkin_token_issue,
    signup_create,
)
from lianluo.core.models import AuditLog
from lianluo.stations.models import Duty, ReceptionDay
from lianluo.suggestions.models import Suggestion


def signed_in(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def text(response) -> str:
    return response.content.decode()


# ---- the officer -----------------------------------------------------------------------------


def test_the_officer_creates_publishes_and_sees_the_activity_in_the_list(users, demo):
    client = signed_in(users["liaison"])
    theme = MonthlyTheme.objects.create(
        station=demo["cg_hub"], month=timezone.localdate().replace(day=1), title="优化营商环境"
    )
    start = timezone.now() + timedelta(days=3)

    # when the officer opens the form, its theme of the month is proposed
    form = client.get("/activities/new/?station=cg-hub")
    assert form.status_code == 200
    assert re.search(rf'<option value="{theme.pk}" selected>', text(form))

    # and when they fill it in
    response = client.post(
        "/activities/new/?station=cg-hub",
        {
            "station": "cg-hub",
            "type": "inspection",
            "title": "农村公路养护视察",
            "theme": theme.pk,
            "place": "河口镇汽车站",
            "start": local(start),
            "end": local(start + timedelta(hours=3)),
            "capacity": "12",
            "description": "",
        },
    )

    # then a draft exists and its page offers to publish it
    activity = Activity.objects.get(title="农村公路养护视察")
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    assert (activity.status, activity.capacity, activity.theme) == ("draft", 12, theme)
    assert timezone.localtime(activity.start).strftime("%H:%M") == local(start)[-5:]
    page = client.get(f"/activities/{activity.pk}/")
    assert 'data-testid="publish"' in text(page)

    # when they publish it, it is listed as published
    client.post(f"/activities/{activity.pk}/publish/")
    listing = text(client.get("/activities/"))
    assert "农村公路养护视察" in listing
    assert 'class="status a-published"' in listing
    assert "优化营商环境" in listing


def test_the_form_shows_what_is_wrong_next_to_the_field(users, demo):
    client = signed_in(users["liaison"], "en")
    start = timezone.now() + timedelta(days=3)
    response = client.post(
        "/activities/new/",
        {
            "station": "cg-hub",
            "type": "training",
            "title": "",
            "place": "会议室",
            "start": local(start),
            "end": local(start - timedelta(hours=1)),
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "This field is required." in body
    assert "The end comes before the start." in body
    assert not Activity.objects.exists()


@pytest.mark.parametrize("role", ["other", "deputy", "leader", "dept"])
def test_people_who_do_not_run_the_station_get_404_on_its_officer_pages(users, make_activity, role):
    # given a published activity of the Chengguan hub under way
    activity = make_activity(starts_in=timedelta(minutes=10))
    client = signed_in(users[role])
    pages = [
        f"/activities/{activity.pk}/edit/",
        f"/activities/{activity.pk}/checkin-code/",
        f"/activities/{activity.pk}/checkin-code/live/",
        f"/activities/{activity.pk}/record/",
        "/activities/new/?station=cg-hub",
        "/activities/themes/cg-hub/",
    ]
    # then every officer page is not found, and posting changes nothing
    assert [client.get(p).status_code for p in pages] == [404] * len(pages)
    assert client.post(f"/activities/{activity.pk}/cancel/").status_code == 404
    activity.refresh_from_db()
    assert activity.status == "published"


def test_a_draft_is_invisible_to_the_station_deputy(users, make_activity):
    draft = make_activity(publish=False)
    assert signed_in(users["deputy"]).get(f"/activities/{draft.pk}/").status_code == 404
    assert signed_in(users["liaison"]).get(f"/activities/{draft.pk}/").status_code == 200


def test_the_check_in_code_screen_shows_a_qr_code_and_renews_it(users, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=10))
    client = signed_in(users["liaison"])

    page = client.get(f"/activities/{activity.pk}/checkin-code/")
    live = client.get(f"/activities/{activity.pk}/checkin-code/live/")

    assert page.status_code == 200
    body = text(page)
    assert 'data-testid="checkin-qr"' in body
    assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', body)
    # htmx fetches a fresh code every minute; the fragment carries the same instruction
    assert f'hx-get="/activities/{activity.pk}/checkin-code/live/"' in body
    assert 'hx-trigger="every 60s"' in body
    assert 'data-testid="checkin-qr"' in text(live)
    assert page["Cache-Control"].startswith("max-age=0")


def test_short_lived_codes_are_renewed_sooner(settings, users, make_activity):
    settings.LIANLUO_CHECKIN_TOKEN_SECONDS = 40
    activity = make_activity(starts_in=timedelta(minutes=10))
    body = text(signed_in(users["liaison"]).get(f"/activities/{activity.pk}/checkin-code/"))
    assert 'hx-trigger="every 20s"' in body


def test_too_early_the_screen_says_when_check_in_opens(users, make_activity):
    activity = make_activity(starts_in=timedelta(hours=5))
    body = text(signed_in(users["liaison"], "en").get(f"/activities/{activity.pk}/checkin-code/"))
    assert 'data-testid="checkin-qr"' not in body
    assert "Check-in opens at" in body


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(buf, "PNG")
    return buf.getvalue()


def test_the_officer_records_attendance_summary_photos_and_a_new_suggestion(
    users, demo, make_activity, photo_storage
):
    # given an activity under way, the demo deputy checked in by QR code
    activity = make_activity(starts_in=timedelta(minutes=10))
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token
    signed_in(users["deputy"]).get(f"/activities/checkin/?t={token}")
    others = [d for d in demo["cg_hub"].deputies.order_by("code") if d != demo["deputy"]]
    client = signed_in(users["liaison"])

    with time_machine.travel(activity.start + timedelta(hours=2)):
        # when the officer opens the record form, the QR check-in is ticked
        form = text(client.get(f"/activities/{activity.pk}/record/"))
        assert re.search(rf'value="{demo["deputy"].pk}"[^>]*checked', form)

        # and adds a deputy by hand, a summary, a photo and a new suggestion
        response = client.post(
            f"/activities/{activity.pk}/record/",
            {
                "attended": [demo["deputy"].pk, others[0].pk],
                "summary": "座谈会收集意见十二条。",
                "photos": [SimpleUploadedFile("p.png", png(), content_type="image/png")],
                "new_title": "关于延长公交末班车时间的建议",
                "new_text": "建议末班车延长至21点。",
                "new_deputy": others[0].pk,
            },
        )

    # then the activity is held with that record, shown on its page
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "done"
    page = text(client.get(f"/activities/{activity.pk}/"))
    assert "座谈会收集意见十二条。" in page
    assert "关于延长公交末班车时间的建议" in page
    assert Signup.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 2
    assert Suggestion.objects.get(title="关于延长公交末班车时间的建议").deputy == others[0]
    # and the photo is served to people who may see the activity, not to others
    photo = ActivityPhoto.objects.get(activity=activity)
    url = f"/activities/{activity.pk}/photos/{photo.pk}/"
    assert url in page
    assert client.get(url).status_code == 200
    assert signed_in(users["deputy"]).get(url)["Content-Type"] == "image/png"
    assert signed_in(users["other"]).get(url).status_code == 404


def test_the_theme_page_sets_this_months_theme(users, demo):
    client = signed_in(users["liaison"])
    month = timezone.localdate().strftime("%Y-%m")
    response = client.post(
        "/activities/themes/cg-hub/", {"month": month, "title": "乡村振兴", "description": ""}
    )
    assert response.status_code == 302
    theme = MonthlyTheme.objects.get(station=demo["cg_hub"])
    assert theme.title == "乡村振兴"
    assert "乡村振兴" in text(client.get("/activities/themes/cg-hub/"))
    assert AuditLog.objects.filter(verb="theme_set").count() == 1


# ---- the deputy ------------------------------------------------------------------------------


def test_the_deputy_sees_open_activities_and_signs_up_with_one_tap(users, make_activity):
    # given two places
    activity = make_activity(capacity=2)
    client = signed_in(users["deputy"])

    # when the deputy opens the list, the card offers sign-up and shows the places left
    listing = text(client.get("/activities/"))
    assert f'data-testid="activity-{activity.pk}"' in listing
    assert 'data-testid="signup"' in listing

    # and taps it (htmx swaps the card)
    card = client.post(f"/activities/{activity.pk}/signup/", headers={"HX-Request": "true"})

    # then the card says signed up, one place left, and offers to withdraw
    assert card.status_code == 200
    body = text(card)
    assert 'data-signed-up="yes"' in body
    assert 'data-testid="signup-cancel"' in body
    assert re.search(r'data-testid="seats-left">\s*1\b', body)
    assert Signup.objects.filter(activity=activity, deputy=users["deputy"].deputy).exists()

    # and without htmx the same form posts back to where it came from
    withdraw = client.post(
        f"/activities/{activity.pk}/signup/cancel/", {"next": "/activities/?x=1"}
    )
    assert withdraw.status_code == 302
    assert withdraw["Location"] == "/activities/?x=1"
    assert not Signup.objects.exists()


def test_a_full_activity_shows_full_and_refuses_with_the_reason(users, demo, make_activity):
    activity = make_activity(capacity=1)
    other = demo["cg_hub"].deputies.exclude(pk=demo["deputy"].pk).first()
    Signup.objects.create(activity=activity, deputy=other)
    client = signed_in(users["deputy"], "en")

    assert 'data-testid="full"' in text(client.get("/activities/"))
    card = client.post(f"/activities/{activity.pk}/signup/", headers={"HX-Request": "true"})
    assert "All 1 places are taken." in text(card)
    assert not Signup.objects.filter(deputy=demo["deputy"]).exists()


def test_the_deputy_cannot_sign_up_for_another_station(users, make_activity):
    activity = make_activity(station="hk-hub", actor="other")
    client = signed_in(users["deputy"])
    assert client.post(f"/activities/{activity.pk}/signup/").status_code == 404
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert f"activity-{activity.pk}" not in text(client.get("/activities/"))
    assert not Signup.objects.exists()


def test_the_qr_code_leads_through_sign_in_back_to_the_check_in(users, make_activity):
    # given the code on the officer's screen
    activity = make_activity(starts_in=timedelta(minutes=10))
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token
    url = f"/activities/checkin/?t={token}"
    client = Client()

    # when a deputy who is not signed in opens it, they are asked to sign in first
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(url, safe='/')}"

    # and signing in brings them back to it, checked in
    login = client.post(
        response["Location"],
        {"username": "deputy", "password": "lianluo-demo", "next": url},
    )
    assert login["Location"] == url
    result = client.get(url)
    assert result.status_code == 200
    assert 'data-outcome="ok"' in text(result)
    assert activity.title in text(result)
    assert Signup.objects.get(activity=activity).checked_in_at is not None


def test_an_expired_code_shows_the_refusal_and_its_reason(users, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=10))
    with time_machine.travel(timezone.now() - timedelta(minutes=15), tick=False):
        token = checkin_token_issue(actor=users["liaison"], activity=activity).token

    response = signed_in(users["deputy"], "en").get(f"/activities/checkin/?t={token}")

    assert response.status_code == 422
    body = text(response)
    assert 'data-outcome="expired"' in body
    assert "This check-in code has expired." in body
    assert activity.title in body
    assert not Signup.objects.exists()


def test_a_tampered_code_shows_the_refusal(users, make_activity):
    response = signed_in(users["deputy"]).get("/activities/checkin/?t=12:abc:forged")
    assert response.status_code == 422
    assert 'data-outcome="invalid_token"' in text(response)


# ---- the deputy's home page -------------------------------------------------------------------


def test_a_deputy_starts_on_their_phone_home_page(users, demo, make_activity, make_case):
    # given a duty ahead, an activity signed up for, one of another station, and cases
    # addressed to the deputy and to the station only
    deputy = demo["deputy"]
    day = ReceptionDay.objects.create(
        station=demo["cg_hub"],
        date=timezone.localdate() + timedelta(days=1),
        start=time(14, 30),
        end=time(17, 15),
        status="published",
    )
    Duty.objects.create(reception_day=day, deputy=deputy)
    mine = make_activity(title="我报名的座谈会")
    signup_create(actor=users["deputy"], activity=mine)
    make_activity(title="还可报名的活动")
    to_me = make_case(deputy=deputy, text="给代表的留言：路灯坏了")
    make_case(text="给联络站的留言")
    client = signed_in(users["deputy"])

    # when the deputy signs in, the desk sends them to their page
    desk = client.get("/desk/")
    assert desk.status_code == 302
    assert desk["Location"] == "/me/"
    page = text(client.get("/me/"))

    # then it shows their station, the duty, the activity and the case addressed to them
    assert demo["cg_hub"].name in page
    assert re.search(rf"{day.date:%Y-%m-%d}[^<]*</strong> 14:30–17:15", page)
    assert "我报名的座谈会" in page
    assert re.search(r'data-testid="open-activities-count">1<', page)
    assert to_me.number in page
    assert "给联络站的留言" not in page
    assert re.search(r'data-testid="my-case-count">1<', page)


def test_other_roles_keep_their_desk(users):
    for role in ("staff", "liaison", "leader"):
        response = signed_in(users[role]).get("/desk/")
        assert response.status_code == 200
        assert 'data-testid="open-count"' in text(response)
    # and someone who is not a deputy has no deputy page
    assert signed_in(users["staff"]).get("/me/")["Location"] == "/desk/"


def test_the_pages_read_in_english(users, make_activity):
    activity = make_activity(capacity=3)
    deputy = signed_in(users["deputy"], "en")
    officer = signed_in(users["liaison"], "en")
    assert "Open for sign-up at my stations" in text(deputy.get("/activities/"))
    assert "3 places left" in text(deputy.get("/activities/"))
    assert "My next duties" in text(deputy.get("/me/"))
    assert "Attendance" in text(officer.get(f"/activities/{activity.pk}/"))


def test_the_admin_shows_activities_but_changes_nothing(users, make_activity):
    # given an activity with a sign-up
    activity = make_activity(capacity=3)
    signup_create(actor=users["deputy"], activity=activity)
    client = signed_in(users["admin"])

    # then the system administrator sees it and its sign-up, and cannot add, change or delete
    listing = client.get("/admin/activities/activity/")
    assert listing.status_code == 200
    assert activity.title in text(listing)
    page = client.get(f"/admin/activities/activity/{activity.pk}/change/")
    assert page.status_code == 200
    assert users["deputy"].deputy.name in text(page)
    assert client.get("/admin/activities/activity/add/").status_code == 403
    assert client.post(f"/admin/activities/activity/{activity.pk}/delete/").status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()
