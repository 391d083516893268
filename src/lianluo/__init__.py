"""Lianluo (联络): people's-congress deputy liaison platform.

`celery_app` is the Celery app of lianluo.celery, loaded on first use (PEP 562): a web process
that hands no task to a broker does not carry Celery (some 12 MB). Every tasks module imports
lianluo.celery itself, so its `shared_task`s bind to the configured app;
`celery -A lianluo worker` finds the app in lianluo.celery.
"""

from __future__ import annotations

from typing import Any

__all__ = ["celery_app"]


def __getattr__(name: str) -> Any:
    if name == "celery_app":
        from lianluo.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
