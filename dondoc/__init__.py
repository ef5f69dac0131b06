"""dondoc: the application layer that wires the others together.

The layers, bottom up: ``dondoc.engine`` (model, workflow, deadlines, calendar, escalation
decisions, services) → ``dondoc.notifications`` (outbox, templates, delivery, digests) →
``dondoc.web`` → this package (the CLI, the jobs, the embedded scheduler, the replay, the
periodic report job). ``dondoc.flows`` runs the jobs under Prefect. Each folder of the
checkout (``engine/``, ``web/`` …) installs beneath this package (pyproject's package-dir).
"""
