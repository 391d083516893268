"""Reads of the livelihood-project loop, one module per stage (each takes the viewer where it
scopes)."""
