"""Writes of the livelihood-project loop, one module per stage: collection (proposals, pool),
candidates (the slate and its session vote), implementation and supervision, evaluation."""
