"""Signals of the voting core, for the apps above it (they know what the options stand for)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the closing transaction once the result is written: `vote=<Vote>`. A receiver that
# raises undoes the close.
vote_closed = Signal()
