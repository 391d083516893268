"""Building votes for the core's tests through the services: a session vote of the demo
county's congress (28 deputies), present and with one-time credentials, opened."""

from __future__ import annotations

from dataclasses import dataclass

from lianluo.core.models import Congress, User
from lianluo.voting import services as vs
from lianluo.voting.models import Vote, Voter


@dataclass
class Session:
    vote: Vote
    options: list[str]  # option ids as ballots name them, in ballot order
    deputies: list[int]  # deputy ids on the register, in register order
    codes: dict[int, str]  # one-time credential per present deputy


def session_vote(
    *,
    congress: Congress,
    staff: User,
    n_options: int = 4,
    quota: int | None = 2,
    max_for: int | None = None,
    method: str = "approve",
    base: str = "all",
    present: int | None = None,
    credentials: bool = True,
    open_: bool = True,
    year: int = 2027,
) -> Session:
    vote = vs.vote_create(
        actor=staff,
        kind="session" if method == "approve" else "satisfaction",
        method=method,
        congress=congress,
        year=year,
        title=f"{year} 民生实事项目票决",
        options=[
            vs.OptionSpec(label=f"项目{i}", amount=100 * i, completion=f"{year}年底")
            for i in range(1, n_options + 1)
        ],
        base=base,
        quota=quota,
        max_for=max_for,
    )
    ids = list(Voter.objects.filter(vote=vote).order_by("pk").values_list("deputy_id", flat=True))
    deputies = [i for i in ids if i is not None]
    here = deputies if present is None else deputies[:present]
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=here)
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=here) if credentials else {}
    if open_:
        vote = vs.vote_open(actor=staff, vote=vote)
    options = [str(pk) for pk in vote.options.order_by("position").values_list("pk", flat=True)]
    return Session(vote=vote, options=options, deputies=deputies, codes=codes)


def marks(options: list[str], *choices: str) -> dict[str, str]:
    """A ballot: `choices` in the options' order."""
    return dict(zip(options, choices, strict=True))
