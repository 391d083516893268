"""Pages of suggestions: work.py (deputies, staff and departments acting on items) and
reports.py (the ledger, statistics, the Excel export, the public page)."""
