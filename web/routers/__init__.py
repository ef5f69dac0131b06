"""One router per resource: login, board, catalog, secretariat assignments, outbox, agency, leaders, API."""
