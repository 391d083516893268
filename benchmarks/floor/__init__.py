"""The floor: a bare Django app that does the product's writes and nothing else.

- intake: validates the intake payload and INSERTs one row (benchmarks/intake.py);
- vote: marks a register row by its one-time credential (one conditional UPDATE) and INSERTs
  the ballot and a receipt, in one transaction (benchmarks/vote.py).

Served by the same gunicorn configuration and the same database as the product, it is the
baseline the benchmarks divide by.
"""
