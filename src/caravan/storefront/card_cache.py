"""Product cards rendered once per card change, language and buyer currency, and reused by
every listing and shelf that shows them (docs/decisions/0008-page-cache-per-product.md)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caravan.catalog.selectors import attach_product_translations
from caravan.fx.quotes import QuoteTable
from caravan.kernel.bounded import Bounded
from caravan.offers.models import ProductOfferSummary
from caravan.search.results import card_rows
from caravan.shipping.quotes import Destination, ShippingQuote

from .currency import buyer_country, buyer_currency
from .memo import keeps_in_process, shipping_tables
from .page_cache import (
    PAGE_TTL_SECONDS,
    card_caching_enabled,
    card_tag,
    fresh,
    listed_keys,
    remember_listed,
    render_started,
    seen_listed,
    shows,
    stamp_key,
)
from .presenters import ProductCard, product_cards

CARD_TEMPLATE = "storefront/_card.html"
# The listing's grid shows four cards a row on a wide screen (a phone two): the first row's
# images load at once, the rest when they scroll near (issue 11).
FIRST_ROW_CARDS = 4


def _fragment_key(
    product_id: int,
    *,
    shown: tuple[int | None, int],
    language: str,
    currency: str,
    country: str,
    eager: bool,
) -> str:
    # A card's image loads eagerly in the first row and lazily below it: two copies, so a
    # card cached at one position is never served at the other with the wrong attribute.
    # Its delivery dates are quoted to the visitor's country. `shown`, its offer and seller
    # count, are picked for the visitor's country and filters
    # (search.picked_offers.show_offers_for), so a card picked otherwise is another copy.
    position = "eager" if eager else "lazy"
    offer_id, seller_count = shown
    return (
        f"storefront:card:{product_id}:{offer_id}:{seller_count}:"
        f"{language}:{currency}:{country}:{position}"
    )


def render_cards(
    request: HttpRequest,
    summaries: Sequence[ProductOfferSummary],
    *,
    quotes: QuoteTable,
    destination: Destination,
    eager: int = FIRST_ROW_CARDS,
    shipping: Mapping[int, ShippingQuote] | None = None,
) -> list[SafeString]:
    """Each listed product's card HTML (the summaries have a best offer: `listed`), from the
    cache while its card tag has not changed since the copy was rendered; the page being
    rendered records that it shows these cards. One cache round trip reads every card's copy,
    change stamp and listed record. Only the cards rendered again are built (their delivery
    dates quoted, their prices converted): a page of cached cards quotes nothing. The first
    `eager` cards are the first visible row: their images are not lazy. `shipping`: the
    best offers already quoted to the destination (search.picked_offers.show_offers_for)."""
    product_ids = [summary.product_id for summary in summaries]
    tags = [card_tag(product_id) for product_id in product_ids]
    shows(request, tags)
    eagerness = [position < eager for position in range(len(summaries))]
    if not card_caching_enabled():
        cards = product_cards(
            card_rows(list(summaries)), quotes=quotes, destination=destination, shipping=shipping
        )
        attach_product_translations(card.product for card in cards)
        return [_render(card, eager=first) for card, first in zip(cards, eagerness, strict=True)]
    language, currency, country = get_language(), buyer_currency(request), buyer_country(request)
    keys = [
        _fragment_key(
            summary.product_id,
            shown=(summary.best_offer_id, summary.seller_count),
            language=language,
            currency=currency,
            country=country,
            eager=first,
        )
        for summary, first in zip(summaries, eagerness, strict=True)
    ]
    listed = listed_keys(product_ids)
    held = _held(keys)
    found = cache.get_many(
        [*(key for key in keys if key not in held), *listed, *(stamp_key(tag) for tag in tags)]
    )
    _hold({key: found[key] for key in keys if key in found})
    found.update(held)
    changed = {tag: float(found[stamp_key(tag)]) for tag in tags if stamp_key(tag) in found}
    unknown = [key for key in listed if key not in found]
    if unknown:
        remember_listed(unknown)
    seen_listed(listed.values())
    started = render_started(request)
    stale = [
        position
        for position, (tag, key) in enumerate(zip(tags, keys, strict=True))
        if not (
            (entry := found.get(key)) is not None
            and fresh(tags=[tag], rendered=entry[0], known=changed)
        )
    ]
    # The cards rendered again, with their names in the buyer's language: one query for the
    # names and the shipping engine's two for their delivery dates (none for cached cards).
    cards = product_cards(
        card_rows([summaries[position] for position in stale]),
        quotes=quotes,
        destination=destination,
        shipping=shipping,
        tables=shipping_tables,
    )
    attach_product_translations(card.product for card in cards)
    rebuilt = dict(zip(stale, cards, strict=True))
    html: list[SafeString] = []
    fresh_copies: dict[str, tuple[float, str]] = {}
    for position, (tag, key, first) in enumerate(zip(tags, keys, eagerness, strict=True)):
        card = rebuilt.get(position)
        if card is None:
            html.append(mark_safe(found[key][1]))
            continue
        rendered = _render(card, eager=first)
        html.append(rendered)
        # The card's data was read after `started`; a change stamped since then may be
        # missing from it, and the next page renders the card again.
        if fresh(tags=[tag], rendered=started, known=changed):
            fresh_copies[key] = (started, str(rendered))
    if fresh_copies:
        cache.set_many(fresh_copies, timeout=PAGE_TTL_SECONDS)
    for position in stale:
        _cards.pop(keys[position])
    _hold(fresh_copies)
    return html


# This process's copies of cards as the shared cache holds them (when rendered, HTML), kept
# no longer than it keeps them and checked against the cards' change stamps, read on every
# use, as the shared copies are: only the copies themselves are not read again.
_cards: Bounded[str, tuple[float, str]] = Bounded(limit=8192)


def forget_cards() -> None:
    _cards.clear()


def _held(keys: Sequence[str]) -> dict[str, tuple[float, str]]:
    if not keeps_in_process():
        return {}
    now = time.time()
    held = {}
    for key in keys:
        copy = _cards.get(key)
        if copy is not None and copy[0] + PAGE_TTL_SECONDS > now:
            held[key] = copy
    return held


def _hold(copies: Mapping[str, tuple[float, str]]) -> None:
    if keeps_in_process():
        _cards.keep(copies)


def _render(card: ProductCard, *, eager: bool) -> SafeString:
    # No request: a card needs no context processor, and skipping them keeps a miss cheap.
    return mark_safe(get_template(CARD_TEMPLATE).render({"card": card, "eager": eager}))
