"""The facet tests (brute-force counts, stock changes, currency ranges) again, on
PostgreSQL (`make test-postgres`)."""

import pytest
from django.db import connection

from caravan.search.tests.test_facets import *  # noqa: F403

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail(
            "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_test"
        )
