from __future__ import annotations

import json

from django import forms
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from floor.models import Submission


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
