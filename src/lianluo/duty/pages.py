"""What the ledger's pages and the pages that read it (lianluo.board) share: the year a page is
asked for and the address of a deputy's archive."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone


def year_asked(request: HttpRequest) -> int:
    """The `year` of the query (or of the posted form), this year when missing or implausible."""
    raw = request.GET.get("year") or request.POST.get("year") or ""
    this_year = timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def archive_url(code: str, year: int, anchor: str = "") -> str:
    return f"{reverse('duty:archive', args=[code])}?year={year}{anchor}"
