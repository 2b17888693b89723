"""The search app's index, update and malformed-query tests again, on PostgreSQL
(`make test-postgres`): the same assertions must hold on both backends."""

import pytest
from django.db import connection

from caravan.search.tests.test_index import *  # noqa: F403

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail(
            "needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/caravan_test"
        )
