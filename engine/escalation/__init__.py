"""The escalation side: policy, sweep, and the re-check made just before a mail goes out."""
