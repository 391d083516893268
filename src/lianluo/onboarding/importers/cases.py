"""Past cases (历史群众意见台账): a county's ledger of earlier years, one row per matter.

Each row becomes a case as the live ledger would have it — numbered in its congress's sequence
of the year it was received, with its own dates and a history (submit, accept, answer, rate,
close or decline) dated as the ledger says — so that it counts in the figures of its period
like any other. It is marked `imported`; nobody is notified, no duty points are credited and
no rate limit applies (the rows are the ledger's, not a citizen's submissions).

Identity: a row is the same matter when its day, station, citizen (name and phone) and text
are the same; the k-th of identical rows in a file is the k-th matter. Its digest is stored on
the case (`submission_digest`, unique among imported cases), so a re-import adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from lianluo.cases.models import Case, CaseEvent, Category
from lianluo.cases.services.intake import new_tracking_code
from lianluo.cases.states import Action, CaseStatus, Channel, Triage
from lianluo.core.calendar import deadline_for
from lianluo.core.services import ledger_number_next
from lianluo.deputies.models import Deputy
from lianluo.onboarding.importers.base import CHUNK, Progress, chunks
from lianluo.onboarding.importers.history import (
    CLOSED_AT,
    RECEIVED_AT,
    HistoryImporter,
    local_at,
)
from lianluo.onboarding.sheets import Sheet, SheetRow
from lianluo.stations.models import Station

IMPORTED = {"imported": True}


@dataclass
class CasePlan:
    row: SheetRow
    digest: str
    received: date
    station: Station
    channel: str
    text: str
    status: str  # "closed", "open" or "declined" (the vocabulary's codes)
    closed: date | None
    name: str = ""
    phone: str = ""
    category: Category | None = None
    category_text: str = ""
    place: str = ""
    answer: str = ""
    rating: str = ""
    deputy: Deputy | None = None


def row_digest(
    *, station: Station, received: date, name: str, phone: str, text: str, n: int
) -> str:
    key = {"station": station.pk, "date": received.isoformat(), "name": name, "phone": phone}
    canonical = json.dumps({**key, "text": text, "n": n}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class CaseImporter(HistoryImporter):
    kind = "cases"

    def check(self, sheet: Sheet, progress: Progress) -> None:
        rows = self.begin(sheet)
        if rows is None:
            return
        self.load_stations(r.values.get("station", "") for r in rows)
        self.load_deputies(r.values.get("deputy", "") for r in rows)
        names = {r.values.get("category", "") for r in rows} - {""}
        categories = list(Category.objects.filter(name__in=names))
        plans: list[CasePlan] = []
        seen: dict[tuple[Any, ...], int] = {}
        for i, row in enumerate(rows, start=1):
            if i % 200 == 0:
                progress(i)
            plan = self._check_row(row, categories)
            if plan is None:
                continue
            same = (plan.station.pk, plan.received, plan.name, plan.phone, plan.text)
            seen[same] = seen.get(same, 0) + 1
            plan.digest = row_digest(
                station=plan.station,
                received=plan.received,
                name=plan.name,
                phone=plan.phone,
                text=plan.text,
                n=seen[same],
            )
            plans.append(plan)
        progress(len(rows))
        if self.errors:
            return
        self._saved: dict[str, str] = {}
        for part in chunks([p.digest for p in plans]):
            found = Case.objects.filter(imported=True, submission_digest__in=part)
            self._saved.update(found.values_list("submission_digest", "number"))
        self._plans = plans
        self.updates = sum(1 for p in plans if p.digest in self._saved)
        self.creates = len(plans) - self.updates

    def _check_row(self, row: SheetRow, categories: list[Category]) -> CasePlan | None:
        before = len(self.errors)
        received = self.read_date(row, "date", required=True)
        station = self.station(row)
        channel = self.choice(row, "channel", "channel", required=True)
        name = self.text(row, "name", max_length=50)
        phone = self.text(row, "phone", max_length=20)
        text = self.text(row, "text", max_length=5000, required=True)
        category_value = self.text(row, "category", max_length=50)
        place = self.text(row, "place", max_length=200)
        answer = self.text(row, "answer", max_length=5000)
        status = self.choice(row, "status", "case_status", required=True)
        closed = self.read_date(row, "closed")
        rating = self.choice(row, "rating", "rating")
        deputy_value = self.text(row, "deputy", max_length=50)
        deputy = self.deputy(row, "deputy", deputy_value, station) if deputy_value else None
        if closed is not None and received is not None and closed < received:
            self.error(
                row,
                "closed",
                "closed_before_received",
                closed=closed.isoformat(),
                received=received.isoformat(),
            )
        if closed is not None and status == "open":
            self.error(row, "closed", "closed_not_closed")
        if rating and status and status != "closed":
            self.error(row, "rating", "rating_not_closed")
        if len(self.errors) > before or received is None or station is None:
            return None
        category = _category(categories, category_value, station)
        return CasePlan(
            row=row,
            digest="",
            received=received,
            station=station,
            channel=channel,
            text=text,
            status=status,
            closed=closed,
            name=name,
            phone=phone,
            category=category,
            category_text="" if category is not None else category_value,
            place=place,
            answer=answer,
            rating=rating,
            deputy=deputy,
        )

    def apply(self, progress: Progress) -> None:
        fresh = [p for p in self._plans if p.digest not in self._saved]
        fresh.sort(key=lambda p: (p.received, p.row.number))  # numbered in the order received
        done = 0
        for part in chunks(fresh, CHUNK):
            built = [(self._case(p), p) for p in part]
            Case.objects.bulk_create([case for case, _p in built])
            CaseEvent.objects.bulk_create(
                [event for case, p in built for event in self._events(case, p)]
            )
            for case, _p in built:
                self.keep_item(code=case.number, name=case.display_title, action="create")
            done += len(part)
            progress(done)
        for p in self._plans:
            if p.digest in self._saved:
                self.keep_item(code=self._saved[p.digest], name=p.text[:30], action="same")
        progress(len(self._plans))

    def _case(self, p: CasePlan) -> Case:
        congress = p.station.congress
        year = p.received.year
        seq = ledger_number_next(congress=congress, year=year)
        created = local_at(p.received, RECEIVED_AT)
        case = Case(
            congress=congress,
            year=year,
            seq=seq,
            number=f"{congress.number_prefix}-{year}-{seq:06d}",
            tracking_code=new_tracking_code(),
            submission_digest=p.digest,
            imported=True,
            channel=p.channel,
            station=p.station,
            deputy=p.deputy if p.channel == Channel.DEPUTY_QR else None,
            responsible_deputy=p.deputy,
            scope_path=p.station.area.path,
            text=p.text,
            category=p.category,
            category_text=p.category_text,
            place=p.place,
            citizen_name=p.name,
            citizen_phone=p.phone,
            rating=p.rating,
            created_at=created,
        )
        closed = local_at(p.closed or p.received, CLOSED_AT)
        if p.status == "declined":
            case.status = CaseStatus.DECLINED
            case.closed_at = closed
            return case
        case.triage = Triage.GENERAL
        case.accepted_at = created
        case.deadline = deadline_for(congress=congress, triage=case.triage, start=created)
        if p.status == "closed":
            case.status = CaseStatus.CLOSED
            case.answered_at = case.closed_at = closed
        else:
            case.status = CaseStatus.ACCEPTED
        return case

    def _events(self, case: Case, p: CasePlan) -> list[CaseEvent]:
        """The case's history as the ledger dates it, each step marked as imported."""
        created = case.created_at
        steps: list[tuple[Any, str, str, str, dict[str, Any], str, str]] = [
            (created, "submit", "", CaseStatus.SUBMITTED, {"number": case.number}, "", "")
        ]
        if p.status == "declined":
            reason = {"reason": p.answer} if p.answer else {}
            steps.append(
                (
                    case.closed_at,
                    Action.DECLINE,
                    CaseStatus.SUBMITTED,
                    CaseStatus.DECLINED,
                    reason,
                    p.answer,
                    "",
                )
            )
        else:
            assert case.deadline is not None
            accepted = {"triage": case.triage, "deadline": case.deadline.isoformat()}
            # An open matter's answer column says how far it got: a note for staff.
            note = p.answer if p.status == "open" else ""
            steps.append(
                (
                    created,
                    Action.ACCEPT,
                    CaseStatus.SUBMITTED,
                    CaseStatus.ACCEPTED,
                    accepted,
                    "",
                    note,
                )
            )
        if p.status == "closed":
            at = case.closed_at
            answered = CaseStatus.ANSWERED
            steps.append((at, Action.ANSWER, CaseStatus.ACCEPTED, answered, {}, p.answer, ""))
            last = answered
            if p.rating:
                rated = CaseStatus.RATED
                steps.append((at, Action.RATE, answered, rated, {"rating": p.rating}, "", ""))
                last = rated
            steps.append((at, Action.CLOSE, last, CaseStatus.CLOSED, {}, "", ""))
        return [
            CaseEvent(
                case=case,
                at=at,
                action=str(action),
                from_status=str(source),
                to_status=str(target),
                actor=self.actor,
                public_note=public,
                staff_note=staff,
                data={**data, **IMPORTED},
            )
            for at, action, source, target, data, public, staff in steps
        ]


def _category(categories: list[Category], value: str, station: Station) -> Category | None:
    """The category of the station's congress by that name, else the shared one, else none."""
    if not value:
        return None
    named = [c for c in categories if c.name == value]
    for c in named:
        if c.congress_id == station.congress_id:
            return c
    return next((c for c in named if c.congress_id is None), None)
