"""The CDEK adapter against the documented API v2 exchange (https://api-docs.cdek.ru,
"Order Details" and "Authorization"); never the network."""

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
import respx

from caravan.kernel.clock import now
from caravan.parcels.carriers.base import CarrierUnavailable, TrackedParcel
from caravan.parcels.carriers.cdek import CdekCarrier
from caravan.parcels.models import TrackingEvent
from caravan.parcels.tracking import poll_parcels

from .helpers import paid_order, seller_order_of, ship

BASE = "https://api.edu.cdek.ru"
MOMENT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
MSK = timezone(timedelta(hours=3))


def parcel(number="1106207236"):
    return TrackedParcel(
        tracking_number=number,
        shipped_at=MOMENT - timedelta(days=3),
        cross_border=False,
        origin="Russia",
        destination="Kazan",
    )


def token_route(router, token="token-1"):
    return router.post(f"{BASE}/v2/oauth/token").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": token,
                "token_type": "bearer",
                "expires_in": 3599,
                "scope": "order:all payment:all",
                "jti": "9adca50a-2ff7-4ba4-8c2a-4f8e1fbab6a9",
            },
        )
    )


def order_body(statuses):
    return {
        "entity": {
            "uuid": "72753031-3c87-4f5e-b6b5-7b9e1e1d5a0b",
            "type": 1,
            "is_return": False,
            "is_reverse": False,
            "cdek_number": "1106207236",
            "number": "CV-M96A-BMWX-1",
            "tariff_code": 139,
            "statuses": statuses,
        },
        "requests": [
            {
                "request_uuid": "1f0e5b1c-0000-4000-8000-000000000001",
                "type": "CREATE",
                "date_time": "2026-12-03T10:00:00+0300",
                "state": "SUCCESSFUL",
            }
        ],
    }


def adapter(router):
    return CdekCarrier(
        base_url=BASE,
        client_id="client-id",
        client_secret="client-secret",
        http=httpx.Client(transport=httpx.MockTransport(router.handler)),
    )


def test_the_adapter_takes_a_token_then_reads_the_orders_statuses_mapped():
    router = respx.Router(assert_all_called=True)
    token = token_route(router)
    orders = router.get(f"{BASE}/v2/orders", params={"cdek_number": "1106207236"}).mock(
        return_value=httpx.Response(
            200,
            json=order_body(
                [
                    {
                        "code": "DELIVERED",
                        "name": "Вручен",
                        "date_time": "2026-12-05T16:20:00+0300",
                        "city": "Казань",
                        "city_code": 424,
                    },
                    {
                        "code": "TAKEN_BY_COURIER",
                        "name": "Выдан на доставку",
                        "date_time": "2026-12-05T09:05:00+0300",
                        "city": "Казань",
                    },
                    {
                        "code": "IN_CUSTOMS_LOCAL",
                        "name": "Таможенное оформление в стране назначения",
                        "date_time": "2026-12-04T11:00:00+0300",
                        "city": "Москва",
                    },
                    {
                        "code": "RECEIVED_AT_SHIPMENT_WAREHOUSE",
                        "name": "Принят на склад отправителя",
                        "date_time": "2026-12-03T18:30:00+0300",
                        "city": "Москва",
                    },
                    {
                        "code": "CREATED",
                        "name": "Создан",
                        "date_time": "2026-12-03T10:00:00+0300",
                        "city": "Москва",
                    },
                ]
            ),
        )
    )

    events = adapter(router).fetch_events(parcel(), at=MOMENT)

    form = token.calls.last.request.content.decode()
    assert sorted(form.split("&")) == [
        "client_id=client-id",
        "client_secret=client-secret",
        "grant_type=client_credentials",
    ]
    assert orders.calls.last.request.headers["Authorization"] == "Bearer token-1"
    assert [(event.status, event.occurred_at, event.location) for event in events] == [
        ("delivered", datetime(2026, 12, 5, 16, 20, tzinfo=MSK), "Казань"),
        ("out_for_delivery", datetime(2026, 12, 5, 9, 5, tzinfo=MSK), "Казань"),
        ("customs", datetime(2026, 12, 4, 11, 0, tzinfo=MSK), "Москва"),
        ("accepted", datetime(2026, 12, 3, 18, 30, tzinfo=MSK), "Москва"),
        ("note", datetime(2026, 12, 3, 10, 0, tzinfo=MSK), "Москва"),
    ]
    assert events[0].description == "Вручен"
    assert events[4].description == "Создан (CREATED)"
    assert events[0].key == "DELIVERED:2026-12-05T16:20:00+03:00"


def test_an_unknown_code_is_kept_as_a_note_with_cdeks_words():
    router = respx.Router()
    token_route(router)
    router.get(f"{BASE}/v2/orders").mock(
        return_value=httpx.Response(
            200,
            json=order_body(
                [
                    {
                        "code": "SOMETHING_NEW",
                        "name": "Новый статус",
                        "date_time": "2026-12-05T10:00:00+0300",
                        "city": "Тверь",
                    },
                    {"code": "", "name": "без кода", "date_time": "2026-12-05T10:00:00+0300"},
                    {"code": "DELIVERED", "name": "Вручен", "date_time": "not a date"},
                ]
            ),
        )
    )

    events = adapter(router).fetch_events(parcel(), at=MOMENT)

    assert [(event.status, event.description) for event in events] == [
        ("note", "Новый статус (SOMETHING_NEW)")
    ]


def test_a_shop_number_is_asked_as_im_number():
    router = respx.Router()
    token_route(router)
    orders = router.get(f"{BASE}/v2/orders", params={"im_number": "CV-1"}).mock(
        return_value=httpx.Response(200, json=order_body([]))
    )

    events = adapter(router).fetch_events(parcel("CV-1"), at=MOMENT)

    assert events == []
    assert orders.call_count == 1


def test_an_order_cdek_does_not_know_yet_has_no_events():
    router = respx.Router()
    token_route(router)
    router.get(f"{BASE}/v2/orders").mock(
        return_value=httpx.Response(
            404,
            json={
                "requests": [
                    {
                        "type": "GET",
                        "state": "INVALID",
                        "errors": [
                            {"code": "v2_entity_not_found", "message": "Entity is not found"}
                        ],
                    }
                ]
            },
        )
    )

    assert adapter(router).fetch_events(parcel(), at=MOMENT) == []


def test_an_expired_token_is_renewed_once():
    router = respx.Router()
    token = router.post(f"{BASE}/v2/oauth/token").mock(
        side_effect=[
            httpx.Response(200, json={"access_token": "old", "expires_in": 3599}),
            httpx.Response(200, json={"access_token": "new", "expires_in": 3599}),
        ]
    )
    orders = router.get(f"{BASE}/v2/orders").mock(
        side_effect=[httpx.Response(401), httpx.Response(200, json=order_body([]))]
    )

    assert adapter(router).fetch_events(parcel(), at=MOMENT) == []
    assert token.call_count == 2
    assert [call.request.headers["Authorization"] for call in orders.calls] == [
        "Bearer old",
        "Bearer new",
    ]


def test_one_token_serves_several_parcels():
    router = respx.Router()
    token = token_route(router)
    router.get(f"{BASE}/v2/orders").mock(return_value=httpx.Response(200, json=order_body([])))
    carrier = adapter(router)

    carrier.fetch_events(parcel("1"), at=MOMENT)
    carrier.fetch_events(parcel("2"), at=MOMENT)

    assert token.call_count == 1


@pytest.mark.parametrize(
    "response",
    [httpx.Response(502, text="Bad gateway"), httpx.Response(200, text="<html>maintenance")],
)
def test_a_carrier_outage_is_reported_not_swallowed(response):
    router = respx.Router()
    token_route(router)
    router.get(f"{BASE}/v2/orders").mock(return_value=response)

    with pytest.raises(CarrierUnavailable):
        adapter(router).fetch_events(parcel(), at=MOMENT)


def test_a_network_failure_is_reported():
    router = respx.Router()
    token_route(router)
    router.get(f"{BASE}/v2/orders").mock(side_effect=httpx.ConnectTimeout("timed out"))

    with pytest.raises(CarrierUnavailable):
        adapter(router).fetch_events(parcel(), at=MOMENT)


@pytest.mark.django_db
def test_a_polled_cdek_delivery_delivers_the_seller_order_and_an_outage_records_nothing(market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=1), market.seller_ru)
    parcel = ship(seller_order, tracking="1106207236", carrier="cdek")
    delivered = (now() - timedelta(hours=1)).astimezone(MSK).replace(microsecond=0)
    router = respx.Router()
    token_route(router)
    router.get(f"{BASE}/v2/orders").mock(
        side_effect=[
            httpx.Response(503, text="Service unavailable"),
            httpx.Response(
                200,
                json=order_body(
                    [
                        {
                            "code": "DELIVERED",
                            "name": "Вручен",
                            "date_time": delivered.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            "city": "Москва",
                        }
                    ]
                ),
            ),
        ]
    )
    adapters = {"cdek": adapter(router)}

    outage = poll_parcels(adapters=adapters)
    events_after_outage = TrackingEvent.objects.count()
    answered = poll_parcels(adapters=adapters)

    seller_order.refresh_from_db()
    parcel.refresh_from_db()
    assert (outage.parcels, outage.events, outage.failures) == (1, 0, 1)
    assert events_after_outage == 0
    assert (answered.parcels, answered.events, answered.failures) == (1, 1, 0)
    assert (parcel.status, seller_order.status, seller_order.delivered_at) == (
        "delivered",
        "delivered",
        delivered,
    )
    assert TrackingEvent.objects.get().source == "carrier"
