"""The floor: a bare Django app that validates the intake payload and INSERTs one row.

Served by the same gunicorn configuration and the same database as the product, it is the
baseline the intake benchmark divides by (benchmarks/intake.py).
"""
