"""`{% open_votes_link %}`: a link to "my votes" on a deputy's page, when a vote waits for them
(a tag, so the page that shows it need not import the voting core)."""

from __future__ import annotations

from typing import Any

from django import template

from lianluo.voting.selectors import open_votes_for

register = template.Library()


@register.inclusion_tag("voting/_open_votes_link.html", takes_context=True)
def open_votes_link(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    votes = open_votes_for(user) if user is not None and user.is_authenticated else []
    return {"votes": votes}
