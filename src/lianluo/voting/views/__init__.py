"""The voting pages, generic over any vote of the core, split by audience: `staff` (run the
vote: register, presence, one-time codes, paper ballots, open, close, run-off), `deputy` (my
votes, the ballot on a phone or a shared device, the receipt), `public` (the result, the
receipts, the anonymous ballots with their recount)."""
