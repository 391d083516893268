"""The stages of the demo's project years, each through the services: collection and pool,
the slate and its session vote, implementation and supervision, completion and rating."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw

from lianluo.cases.models import Case
from lianluo.core.models import Congress, Department, User
from lianluo.core.uploads import CleanImage, image_clean
from lianluo.demo.seed.base import demo_deputy_login
from lianluo.demo.seed.projects import content as text
from lianluo.demo.seed.projects.ballots import rating_marks, session_marks, vote_run
from lianluo.deputies.models import Deputy
from lianluo.projects.cadence import Step, cadence_table
from lianluo.projects.models import Cadence, MemberStatus, Project, ProjectStatus, Rectification
from lianluo.projects.services.candidates import (
    candidate_fill,
    candidates_pick,
    slate_save,
    slate_vote_create,
)
from lianluo.projects.services.collection import (
    pool_file,
    proposal_from_case,
    proposal_merge,
    proposal_submit,
    proposal_submit_citizen,
    window_open,
)
from lianluo.projects.services.evaluation import (
    rectification_report,
    rectification_write,
    satisfaction_create,
)
from lianluo.projects.services.implementation import (
    completion_report,
    milestone_add,
    milestone_done,
    plan_set,
    progress_report,
)
from lianluo.projects.services.supervision import group_confirm, group_propose, record_add
from lianluo.voting.models import Vote
from lianluo.voting.services import entitled_deputies

Item = tuple[str, str, str, str, str, str]  # title, content, tags, cost, effect, completion
PRESIDIUM = "县人民代表大会主席团"


# ---- collection, pool and slate -----------------------------------------------------------------


def _pool(staff: User, congress: Congress, year: int, items: list[Item]) -> list[Project]:
    """One proposal by staff per item, each filed into the pool as its own entry."""
    projects = []
    for title, body, tags, cost, _effect, _completion in items:
        proposal = proposal_submit(
            actor=staff, congress=congress, title=title, text=body, year=year
        )
        projects.append(
            pool_file(
                actor=staff,
                congress=congress,
                year=year,
                proposals=[proposal],
                title=title,
                content=body,
                tags=tags,
                estimated_cost=Decimal(cost),
            )
        )
    return projects


def _slate_vote(
    ctx: dict,
    congress: Congress,
    year: int,
    items: list[Item],
    *,
    approved_by: str,
    approved_on: date,
    quota: int,
) -> Vote:
    """The slate of all the pool's items, its particulars filled, and its session vote."""
    staff, departments = ctx["staff"], ctx["departments"]
    projects = _pool(staff, congress, year, items)
    slate = slate_save(
        actor=staff,
        congress=congress,
        year=year,
        approved_by=approved_by,
        approved_on=approved_on,
        quota=quota,
    )
    candidates_pick(actor=staff, slate=slate, project_ids=[p.pk for p in projects])
    for n, (project, item) in enumerate(zip(projects, items, strict=True)):
        title, body, _tags, cost, effect, completion = item
        candidate_fill(
            actor=staff,
            slate=slate,
            project_id=project.pk,
            title=title,
            content=body,
            investment=Decimal(cost),
            expected_effect=effect,
            department=departments[n % len(departments)],
            completion=completion.replace("当年", f"{year}年"),
            completion_due=date(year, 11, 30),
            presentation=f"{departments[n % len(departments)].name}：{body}资金已列入年度预算。",
        )
    return slate_vote_create(actor=staff, slate=slate)


def _window(staff: User, congress: Congress, year: int, opens: date, closes: date) -> None:
    window_open(
        actor=staff,
        congress=congress,
        year=year,
        opens_on=opens,
        closes_on=closes,
        intro=f"{year}年民生实事项目征集：请提出您身边最急需解决的民生问题。",
    )


# ---- implementation and supervision -------------------------------------------------------------


def site_photo(seed: int) -> CleanImage:
    """A drawn building site (no camera, no metadata), cleaned as an upload is."""
    img = Image.new("RGB", (960, 640), (170, 205, 235))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 430, 960, 640), fill=(150, 140, 120))
    for n in range(4):
        x = 80 + n * 210 + seed * 13 % 40
        h = 140 + (seed * 37 + n * 53) % 160
        draw.rectangle((x, 430 - h, x + 150, 430), fill=(200, 190, 175), outline=(90, 90, 90))
        for y in range(430 - h + 20, 420, 40):
            draw.rectangle((x + 20, y, x + 50, y + 20), fill=(90, 120, 150))
            draw.rectangle((x + 100, y, x + 130, y + 20), fill=(90, 120, 150))
    draw.line((700, 430, 700, 120, 860, 120), fill=(230, 170, 40), width=8)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return image_clean(buf.getvalue(), name="site.jpg")


PROGRESS_TEXT = [
    (10, "完成立项审批和施工图设计，启动招标。"),
    (35, "完成招标，施工单位进场，开工建设。"),
    (70, "主体工程加快推进，已完成主要工程量过半。"),
    (95, "主体工程完工，开展附属工程和绿化。"),
    (101, "全部完工，通过竣工验收并投入使用。"),
]


def _implement(
    ctx: dict,
    project: Project,
    department: Department,
    *,
    start: date,
    end: date,
    upto: date,
    pace: float = 1.0,
    photos: int = 0,
) -> None:
    """The plan, three milestones, monthly progress up to `upto` (at `pace` of the plan's
    time), the group confirmed from the match."""
    staff = ctx["staff"]
    budget = (project.investment or Decimal(100)) * Decimal("0.97")
    plan_set(
        actor=staff,
        project=project,
        department=department,
        budget=budget.quantize(Decimal("0.01")),
        starts_on=start,
        ends_on=end,
        team=f"{department.name}项目专班：组长 分管副局长，成员 工程、财务、质量安全各1人",
    )
    span = max(1, (end - start).days)
    for title, share in (("完成立项和招标", 0.15), ("主体工程完工", 0.65), ("竣工验收", 1.0)):
        due = start + timedelta(days=round(span * share))
        milestone = milestone_add(actor=staff, project=project, title=title, due_on=due)
        done_on = due - timedelta(days=2) if pace >= 1 else due + timedelta(days=20)
        if done_on <= upto and done_on >= start:
            milestone_done(actor=staff, milestone=milestone, done_on=done_on)
    days = [start + timedelta(days=7 + 30 * k) for k in range(13)]
    days = [d for d in days if d <= upto] or ([upto] if upto >= start else [])
    if upto >= end and pace >= 1 and days[-1:] != [end]:
        days.append(end)  # the last report: done
    for n, day in enumerate(days):
        share = min(1.0, (day - start).days / span * pace)
        percent = 100 if day >= end and pace >= 1 else min(98, max(3, round(share * 100)))
        words = next(t for limit, t in PROGRESS_TEXT if percent < limit)
        last = n == len(days) - 1
        progress_report(
            actor=staff,
            project=project,
            reported_on=day,
            percent=percent,
            spent=(budget * percent / 100).quantize(Decimal("0.01")),
            text=words,
            photos=[site_photo(project.pk + k) for k in range(photos)] if last else [],
            captions=["施工现场", "主体工程"] if last else [],
        )
    if project.members.filter(status=MemberStatus.CONFIRMED).count() >= 3:
        return  # carried with its group from last year
    proposed = group_propose(actor=staff, project=project)
    chosen = [m.deputy_id for m in proposed[:4]]
    group_confirm(actor=staff, project=project, deputy_ids=chosen, leader_id=chosen[0])


RECORD_TEXT = {
    Cadence.DISPATCH: "县政府召开季度调度会，听取责任单位汇报，协调解决资金和用地问题。",
    Cadence.REPORT: "县政府向县人大常委会书面报告项目半年实施情况。",
    Cadence.EVALUATION: "监督小组听取汇报并实地察看，对项目年度实施情况进行测评。",
}


def _record(ctx: dict, project: Project, step: Step, n: int, today: date) -> None:
    plan = project.plan
    day = max(step.starts, plan.starts_on) + timedelta(days=12)
    day = max(plan.starts_on, min(day, step.ends, today - timedelta(days=1)))
    group = list(
        project.members.filter(status=MemberStatus.CONFIRMED)
        .order_by("-leader", "pk")
        .values_list("deputy_id", flat=True)
    )
    attendees = {
        Cadence.INSPECTION: group[:2],
        Cadence.DISPATCH: group,
        Cadence.REPORT: [],
        Cadence.EVALUATION: group,
    }[Cadence(step.cadence)]
    record_add(
        actor=ctx["staff"],
        project=project,
        cadence=step.cadence,
        period=step.period,
        held_on=day,
        text=RECORD_TEXT.get(Cadence(step.cadence), text.INSPECTIONS[n % 3]),
        problems=text.PROBLEMS[n % 3] if step.cadence == Cadence.INSPECTION else "",
        attendee_ids=attendees,
    )


def _keep_cadence(ctx: dict, projects: list[Project], today: date) -> None:
    """Record every step whose time is over, but one: the latest missed inspection stays
    missed, so the red flag shows on the supervision pages."""
    missed = [(p, s) for p in projects for s in cadence_table(p, on=today) if s.state == "missed"]
    inspections = [(p, s) for p, s in missed if s.cadence == Cadence.INSPECTION] or missed
    left = max(inspections, key=lambda ps: (ps[1].ends, -ps[0].pk), default=None)
    for n, (project, step) in enumerate(missed):
        if (project, step) != left:
            _record(ctx, project, step, n, today)


# ---- the years ----------------------------------------------------------------------------------


def build_past_year(ctx: dict, county: Congress, year: int, *, session: date) -> None:
    """Y-1: voted, implemented, completed, rated; the 不满意 one's list reported and carried."""
    staff, departments = ctx["staff"], ctx["departments"]
    _window(staff, county, year, date(year - 1, 9, 1), date(year - 1, 10, 31))
    vote = _slate_vote(
        ctx,
        county,
        year,
        text.PAST,
        approved_by=PRESIDIUM,
        approved_on=session - timedelta(days=2),
        quota=5,
    )
    vote_run(staff=staff, vote=vote, marks_of=session_marks(5, len(text.PAST)), on=session)
    approved = list(
        Project.objects.filter(congress=county, year=year, status=ProjectStatus.APPROVED)
        .select_related("department")
        .order_by("pk")
    )
    end = date(year, 11, 20)
    for n, project in enumerate(approved):
        dept = project.department or departments[0]
        start = session + timedelta(days=1)
        _implement(ctx, project, dept, start=start, end=end, upto=end, photos=1 if n == 0 else 0)
        for n2, step in enumerate(cadence_table(project, on=end)):
            if step.period in (f"{year}-04", f"{year}-09", f"{year}-Q2", f"{year}-H1"):
                _record(ctx, project, step, n + n2, end)
        completion_report(
            actor=staff,
            project=project,
            completed_on=end + timedelta(days=n),
            report=f"{project.title}已按计划全部完成，完成投资{project.investment}万元。",
        )
    rating = satisfaction_create(actor=staff, congress=county, year=year)
    vote_run(
        staff=staff,
        vote=rating,
        marks_of=rating_marks(len(approved), dissatisfied=3, basic=1),
        on=date(year, 12, 22),
    )
    for rect in Rectification.objects.filter(project__in=approved).select_related("project"):
        rectification_write(
            actor=staff,
            project=rect.project,
            problems="顶棚渗漏、排水沟堵塞；摊位划分不合理，部分商户仍占道经营。",
            responsibilities="县住房和城乡建设局负主要责任，河口镇人民政府负管理责任。",
            corrections="次年6月底前完成顶棚防水和排水沟改造，重新规划摊位，加强日常管理。",
            deadline=date(year + 1, 6, 30),
        )
        rectification_report(
            actor=staff,
            project=rect.project,
            reported_to="县人大常委会",
            reported_on=date(year, 12, 28),
        )


def build_year(ctx: dict, county: Congress, year: int, *, session: date, today: date) -> None:
    """Y: voted at the session, in implementation up to today; the carried project too."""
    staff, departments = ctx["staff"], ctx["departments"]
    _window(staff, county, year, date(year - 1, 9, 1), date(year - 1, 10, 31))
    vote = _slate_vote(
        ctx,
        county,
        year,
        text.CURRENT,
        approved_by=PRESIDIUM,
        approved_on=session - timedelta(days=2),
        quota=6,
    )
    vote_run(staff=staff, vote=vote, marks_of=session_marks(6, len(text.CURRENT)), on=session)
    projects = list(
        Project.objects.filter(congress=county, year=year, status=ProjectStatus.APPROVED)
        .select_related("department", "carried_from__rectification")
        .order_by("pk")
    )
    for n, project in enumerate(projects):
        dept = project.department or departments[0]
        if project.carried_from_id is not None:
            rect = project.carried_from.rectification  # type: ignore[union-attr]
            start = rect.reported_on or date(year - 1, 12, 28)
            end = rect.deadline or date(year, 6, 30)
        else:
            start, end = session + timedelta(days=1), date(year, 11, 30 - n)
        _implement(
            ctx,
            project,
            dept,
            start=start,
            end=end,
            upto=min(today, end),
            pace=0.8 if n == 1 else 1.0,
            photos=2 if n < 2 else 0,
        )
    _keep_cadence(ctx, projects, today)


def build_collection(ctx: dict, county: Congress, year: int, *, today: date) -> None:
    """Y+1 in collection: the window open around today, proposals from every source."""
    staff = ctx["staff"]
    _window(staff, county, year, today - timedelta(days=40), today + timedelta(days=21))
    stations = [ctx["cg_hub"], *ctx["all_stations"][6:8]]
    citizens = []
    for n, (title, body, place) in enumerate(text.CITIZEN_PROPOSALS):
        proposal, _created = proposal_submit_citizen(
            congress=county,
            title=title,
            text=body,
            place=place,
            name="王女士" if n % 2 == 0 else "",
            phone=f"1380732{1000 + n:04d}" if n % 2 == 0 else "",
            consent=n % 2 == 0,
            station=stations[n % len(stations)],
        )
        citizens.append(proposal)
    proposal_merge(actor=staff, keep=citizens[0], others=[citizens[1]], note="同一事项，合并办理")
    filed = [
        (citizens[0], "城乡建设,加装电梯", "300"),
        (citizens[2], "交通出行,公交", "45"),
    ]
    deputy = _county_deputy(county)
    if deputy is not None and deputy.user is not None:
        title, body, place = text.DEPUTY_PROPOSAL
        mine = proposal_submit(
            actor=deputy.user, congress=county, title=title, text=body, place=place
        )
        filed.append((mine, "教育,农村学校", "160"))
    title, body, place = text.DEPARTMENT_PROPOSAL
    proposal_submit(
        actor=ctx["dept"],
        congress=county,
        title=title,
        text=body,
        place=place,
        estimated_cost=Decimal("500"),
    )
    case = Case.objects.filter(congress=county).order_by("pk").first()
    if case is not None:
        title, body = text.CASE_PROPOSAL
        proposal_from_case(actor=staff, case=case, title=title, text=body)
    for proposal, tags, cost in filed:
        pool_file(
            actor=staff,
            congress=county,
            year=year,
            proposals=[proposal],
            title=proposal.title,
            content=proposal.text,
            tags=tags,
            estimated_cost=Decimal(cost),
            place=proposal.place,
        )


def _county_deputy(county: Congress) -> Deputy | None:
    """A deputy of the county congress with a login (the `deputy` login's, as a rule)."""
    deputies = entitled_deputies(county)
    with_login = [d for d in deputies if d.user_id is not None]
    if with_login:
        return with_login[0]
    if deputies:
        demo_deputy_login(deputies[0])
        deputies[0].refresh_from_db()
        return deputies[0]
    return None


def build_township_session(ctx: dict, township: Congress, year: int, *, today: date) -> None:
    """The township's coming session: collection closed, the slate approved by its presidium,
    the vote prepared with the register filled (not opened); three deputies given logins."""
    staff = ctx["staff"]
    _window(staff, township, year, today - timedelta(days=75), today - timedelta(days=20))
    _slate_vote(
        ctx,
        township,
        year,
        text.TOWNSHIP,
        approved_by=f"{township.area.name}人民代表大会主席团",
        approved_on=today - timedelta(days=2),
        quota=3,
    )
    for deputy in entitled_deputies(township)[:3]:
        demo_deputy_login(deputy)
