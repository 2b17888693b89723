"""The search app's listing tests (filters, sorts, text in both languages, malformed text)
again, on PostgreSQL (`make test-postgres`)."""

import pytest

from caravan.search.tests.test_list_products import *  # noqa: F403

pytestmark = pytest.mark.postgres
