"""Replay a plan year with seeded, plausible agency behaviour (``dondoc simulate``)."""
