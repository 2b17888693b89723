"""The facet tests (brute-force counts, stock changes, currency ranges) again, on
PostgreSQL (`make test-postgres`)."""

import pytest

from caravan.search.tests.test_facets import *  # noqa: F403

pytestmark = pytest.mark.postgres
