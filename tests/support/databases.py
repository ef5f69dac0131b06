"""Where the PostgreSQL tests run, and whether they may be skipped."""

from __future__ import annotations

import os

POSTGRES_URL = os.environ.get("DONDOC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("DONDOC_REQUIRE_POSTGRES") == "1"
