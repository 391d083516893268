"""What the voting pages share: the session keys of what is shown once, and the reads they use
(in `voting.selectors`)."""

from __future__ import annotations

from lianluo.voting.selectors import Figures, code_usable, figures_of, register_of

RECEIPT_KEY = "voting.receipt.{pk}"  # session: the receipt code to show once
KIOSK_KEY = "voting.kiosk.{pk}"  # session: the receipt was cast on the shared device
PAPER_KEY = "voting.paper.{pk}"  # session: the last paper ballot's receipt, for the teller


__all__ = [
    "KIOSK_KEY",
    "PAPER_KEY",
    "RECEIPT_KEY",
    "Figures",
    "code_usable",
    "figures_of",
    "register_of",
]
