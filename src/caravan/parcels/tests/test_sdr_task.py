import logging

import httpx
import pytest
import respx
from django.conf import settings

from caravan.parcels.models import SdrRate
from caravan.parcels.tasks import import_sdr_rate

pytestmark = pytest.mark.django_db


@respx.mock
def test_an_unreachable_feed_is_one_warning_and_its_code_with_nothing_written(caplog):
    # given no network
    respx.get(settings.FX_FEED_URLS["cbr"]).mock(
        side_effect=httpx.ConnectError("[Errno -2] Name or service not known")
    )

    # when the scheduled SDR import runs
    with caplog.at_level(logging.WARNING, logger="caravan.parcels.tasks"):
        outcome = import_sdr_rate()

    # then it answers the feed's code, logs one line without a trace and writes nothing
    assert outcome == "feed_unavailable"
    assert [(record.levelno, record.exc_info) for record in caplog.records] == [
        (logging.WARNING, None)
    ]
    assert SdrRate.objects.count() == 0
