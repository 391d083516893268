from __future__ import annotations

import hashlib
import json
import secrets

from django import forms
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from floor.models import Ballot, Receipt, Submission, Voter


class SubmissionForm(forms.Form):
    """The same fields as the product's JSON payload."""

    station = forms.CharField(max_length=32)
    title = forms.CharField(max_length=200, required=False)
    text = forms.CharField(max_length=5000)
    phone = forms.CharField(max_length=20, required=False)
    idempotency_key = forms.CharField(max_length=64, required=False)


@csrf_exempt
@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"code": "invalid"}, status=400)
    form = SubmissionForm(data=data if isinstance(data, dict) else {})
    if not form.is_valid():
        return JsonResponse({"code": "invalid", "errors": form.errors}, status=422)
    row = Submission.objects.create(
        station=form.cleaned_data["station"],
        title=form.cleaned_data["title"],
        text=form.cleaned_data["text"],
        phone=form.cleaned_data["phone"],
        idempotency_key=form.cleaned_data["idempotency_key"] or None,
    )
    return JsonResponse({"id": row.pk}, status=201)


@csrf_exempt
@require_POST
def cast(request: HttpRequest, vote_id: int) -> JsonResponse:
    """The vote's writes and nothing else: the register row spent by its credential (one
    conditional UPDATE), the ballot and a receipt, in one transaction. No validation of the
    marks against the options, no lock of a vote, no shuffle."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"code": "invalid"}, status=400)
    marks = data.get("marks") if isinstance(data, dict) else None
    credential = data.get("credential") if isinstance(data, dict) else None
    if not isinstance(marks, dict) or not isinstance(credential, str) or not credential:
        return JsonResponse({"code": "invalid"}, status=422)
    cleaned = credential.strip().upper().replace("-", "").replace(" ", "")
    hashed = hashlib.sha256(cleaned.encode()).hexdigest()
    code = secrets.token_hex(6).upper()
    with transaction.atomic():
        done = Voter.objects.filter(vote=vote_id, credential_hash=hashed, voted=False).update(
            voted=True, credential_hash=""
        )
        if done != 1:
            return JsonResponse({"code": "bad_credential"}, status=403)
        Ballot.objects.create(vote=vote_id, marks=marks)
        Receipt.objects.create(vote=vote_id, code=code)
    return JsonResponse({"receipt": code}, status=201)
