"""Lianluo (联络): people's-congress deputy liaison platform."""

from lianluo.celery import app as celery_app

__all__ = ["celery_app"]
