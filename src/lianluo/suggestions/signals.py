"""What the suggestion workflow tells the apps above it.

`suggestion_progress(sender=Suggestion, suggestion, event)` is sent inside the transaction of
every step (suggestions.services.transitions). Cases listen to it to keep a converted citizen's
case in step (its timeline, and its answer when the reply comes); a receiver that fails undoes
the step, so nothing is half-done.
"""

from __future__ import annotations

from django.dispatch import Signal

suggestion_progress = Signal()
