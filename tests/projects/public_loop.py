"""A congress's year of livelihood projects built stage by stage for the public-page and report
tests: the voting core's own services for the votes; model rows for the projects (the projects
services are written in parallel and not merged yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from lianluo.core.models import Congress, User
from lianluo.projects.models import (
    Cadence,
    Member,
    MemberStatus,
    Milestone,
    Photo,
    Plan,
    Progress,
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Record,
    Rectification,
    Slate,
    Source,
    Window,
)
from lianluo.voting import services as vs
from lianluo.voting.models import Vote, Voter

YEAR = 2026
STAGES = ["window", "slate_draft", "slate", "voting", "voted", "implementing", "rated"]
CITIZEN_NAME = "王秀英"
CITIZEN_PHONE = "13912345678"
TITLES = ["城关镇老旧小区加装电梯", "河口村道路硬化", "乡镇卫生院改造"]  # the first two pass
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Loop:
    congress: Congress
    projects: list[Project] = field(default_factory=list)
    slate: Slate | None = None
    vote: Vote | None = None
    satisfaction: Vote | None = None
    photo: Photo | None = None


def _cast_all(staff: User, vote: Vote, marks_of: dict[int, str], *, close: bool) -> Vote:
    """Every deputy on the register present; all vote the same way; close if asked."""
    ids = list(Voter.objects.filter(vote=vote).values_list("deputy_id", flat=True))
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=ids)
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=ids)
    vs.vote_open(actor=staff, vote=vote)
    options = {o.subject_id: str(o.pk) for o in vote.options.all()}
    for dep in ids:
        marks = {options[pk]: choice for pk, choice in marks_of.items()}
        vs.ballot_cast(vote=vote, marks=marks, credential=codes[dep])
    if close:
        vote = vs.vote_close(actor=staff, vote=vote)
    vote.refresh_from_db()
    return vote


def build(demo: dict, staff: User, stage: str) -> Loop:
    """The county congress's projects of YEAR, up to `stage` (one of STAGES)."""
    upto = STAGES.index(stage)
    today = timezone.localdate()
    congress = demo["county_congress"]
    department = demo["departments"][0]
    loop = Loop(congress=congress)
    Window.objects.create(
        congress=congress,
        year=YEAR,
        opens_on=date(YEAR - 1, 10, 1),
        closes_on=date(YEAR - 1, 11, 30),
        intro="请提出您身边的民生实事",
    )
    for n, title in enumerate(TITLES):
        loop.projects.append(
            Project.objects.create(
                congress=congress,
                year=YEAR,
                title=title,
                content=f"{title}：具体内容",
                investment=Decimal("120.50") + n,
                expected_effect="惠及群众三千人",
                department=department,
                completion="2026年11月底",
            )
        )
    for source, name, phone in [
        (Source.CITIZEN, CITIZEN_NAME, CITIZEN_PHONE),
        (Source.CITIZEN, "李四", "13800000001"),
        (Source.DEPUTY, "", ""),
        (Source.DEPARTMENT, "", ""),
    ]:
        Proposal.objects.create(
            congress=congress,
            year=YEAR,
            source=source,
            title="加装电梯的建议",
            text="我家住六楼，老人上下楼困难（私人信息）",
            citizen_name=name,
            citizen_phone=phone,
            status=ProposalStatus.POOLED,
            project=loop.projects[0],
        )
    if upto < STAGES.index("slate_draft"):
        return loop
    draft = upto == STAGES.index("slate_draft")
    loop.slate = Slate.objects.create(
        congress=congress,
        year=YEAR,
        approved_by="" if draft else "县人大常委会主任会议",
        approved_on=today + timedelta(days=30) if draft else today - timedelta(days=60),
        quota=2,
    )
    Project.objects.filter(pk__in=[p.pk for p in loop.projects]).update(
        slate=loop.slate, status=ProjectStatus.CANDIDATE
    )
    if draft or upto < STAGES.index("voting"):
        return loop
    loop.vote = vs.vote_create(
        actor=staff,
        kind="session",
        method="approve",
        congress=congress,
        year=YEAR,
        title=f"{YEAR}年民生实事项目票决",
        options=[
            vs.OptionSpec(label=p.title, subject_type="projects.project", subject_id=p.pk)
            for p in loop.projects
        ],
        quota=2,
        max_for=2,
    )
    loop.slate.vote = loop.vote
    loop.slate.save()
    a, b, c = (p.pk for p in loop.projects)
    closing = upto >= STAGES.index("voted")
    loop.vote = _cast_all(staff, loop.vote, {a: "for", b: "for", c: "against"}, close=closing)
    if not closing:
        return loop
    Project.objects.filter(pk__in=[a, b]).update(status=ProjectStatus.APPROVED)
    Project.objects.filter(pk=c).update(status=ProjectStatus.NOT_APPROVED)
    if upto < STAGES.index("implementing"):
        return loop
    deputies = list(demo["deputies"])
    firsts = []
    for project in loop.projects[:2]:
        Plan.objects.create(
            project=project,
            department=department,
            team="项目组：张工",
            budget=Decimal("118.00"),
            starts_on=date(YEAR, 3, 1),
            ends_on=date(YEAR, 11, 30),
        )
        Milestone.objects.create(
            project=project, title="完成招标", due_on=date(YEAR, 4, 30), done_on=date(YEAR, 4, 28)
        )
        Milestone.objects.create(project=project, title="竣工验收", due_on=date(YEAR, 11, 30))
        Progress.objects.create(
            project=project,
            reported_on=date(YEAR, 5, 31),
            percent=30,
            spent=Decimal("35.00"),
            text="完成招标，开工建设",
        )
        latest = Progress.objects.create(
            project=project,
            reported_on=date(YEAR, 9, 30),
            percent=80,
            spent=Decimal("90.00"),
            text="主体工程完工",
        )
        firsts.append(latest)
        for n, deputy in enumerate(deputies[:3]):
            Member.objects.create(
                project=project, deputy=deputy, leader=n == 0, status=MemberStatus.CONFIRMED
            )
        Member.objects.create(project=project, deputy=deputies[5], status=MemberStatus.PROPOSED)
        record = Record.objects.create(
            project=project,
            cadence=Cadence.INSPECTION,
            period=f"{YEAR}-06",
            held_on=date(YEAR, 6, 15),
            text="现场视察，进度正常",
            problems="施工噪音扰民",
        )
        record.attendees.set(deputies[:2])
    photo = Photo(progress=firsts[0], content_type="image/png", caption="主体完工")
    photo.file.save("p.png", ContentFile(PNG), save=True)
    loop.photo = photo
    if upto < STAGES.index("rated"):
        return loop
    a, b = loop.projects[0].pk, loop.projects[1].pk
    loop.satisfaction = vs.vote_create(
        actor=staff,
        kind="satisfaction",
        method="rate",
        congress=congress,
        year=YEAR,
        title=f"{YEAR}年民生实事项目满意度测评",
        options=[
            vs.OptionSpec(label=p.title, subject_type="projects.project", subject_id=p.pk)
            for p in loop.projects[:2]
        ],
    )
    loop.slate.satisfaction_vote = loop.satisfaction
    loop.slate.save()
    loop.satisfaction = _cast_all(
        staff, loop.satisfaction, {a: "satisfied", b: "dissatisfied"}, close=True
    )
    Project.objects.filter(pk=a).update(status=ProjectStatus.EVALUATED, grade="satisfied")
    Project.objects.filter(pk=b).update(status=ProjectStatus.EVALUATED, grade="dissatisfied")
    Rectification.objects.create(
        project=loop.projects[1],
        problems="路面质量不达标",
        responsibilities="县交通运输局负主要责任",
        corrections="返工重铺",
        deadline=date(YEAR + 1, 3, 31),
        reported_to="县人大常委会",
        reported_on=date(YEAR, 12, 15),
    )
    for p in loop.projects:
        p.refresh_from_db()
    return loop
