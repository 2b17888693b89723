"""Browsing: home, category listings and search (one template), the product page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caravan.catalog.selectors import CategoryNode
from caravan.fx.quotes import QuoteTable
from caravan.kernel.countries import country_name
from caravan.kernel.errors import NotFound
from caravan.kernel.money import CURRENCY_SYMBOLS
from caravan.offers.models import ProductOfferSummary
from caravan.offers.selectors import product_offer_rows
from caravan.search.facet_groups import FacetGroup
from caravan.search.results import card_rows
from caravan.search.selectors import (
    ProductListing,
    ProductQuery,
    copy_listing,
    list_shelves,
    relist,
)
from caravan.search.suggest import alternatives_for_no_results
from caravan.shipping.quotes import Destination, ShippingQuote

from ..card_cache import render_cards
from ..currency import buyer_country, buyer_currency, buyer_destination
from ..forms import SHIPS_TO_ANY, SORT_CHOICES, ListingForm, parse_page
from ..fragments import render_filters
from ..listing_pages import KeptPage, card_slots, keep_page, keeps_pages, kept_page, may_keep
from ..memo import (
    browsing_quotes,
    category_tree,
    facet_groups,
    product_entry,
    reference_rates,
    remembered_listing,
    shipping_tables,
    stats,
)
from ..offer_rows import render_offer_html
from ..offer_sheet import sheet_lines
from ..page_cache import (
    PAGE_TTL_SECONDS,
    RENDERING_FOR_CACHE,
    cache_anonymous_page,
    card_tag,
    listing_tag,
    personalised,
    product_tag,
    read_before,
    shows,
)
from ..presenters import (
    CategoryPlace,
    ProductCard,
    VariantChoice,
    listed,
    locate_category,
    product_cards,
    product_page,
)
from ..product_parts import product_parts
from ..product_shell import fill, shell_key, slots

HOME_SHELF_SIZE = 12
# The home page's shelves are six cards a row on a wide screen; the first row loads at once.
HOME_FIRST_ROW_CARDS = 6


@require_GET
@cache_anonymous_page()
def home(request: HttpRequest) -> HttpResponse:
    # Only what is delivered to the buyer's country, each card's offer the best for there.
    # Light rows, as on listings (_listing).
    shelves = list_shelves(country=buyer_country(request), limit=HOME_SHELF_SIZE, light=True)
    featured, newest = listed(shelves.featured), listed(shelves.newest)
    shows(request, [listing_tag(None)])
    quotes, destination = browsing_quotes(request), buyer_destination(request)
    # One delivery-methods query for both shelves' cards not in the cache (none for a buyer
    # abroad: their offers were quoted when picked).
    html = render_cards(
        request,
        [*featured, *newest],
        quotes=quotes,
        destination=destination,
        eager=HOME_FIRST_ROW_CARDS,
        shipping=shelves.shipping,
    )
    return render(
        request,
        "storefront/home.html",
        {
            "category_tree": category_tree(),
            "featured": _cards_as_data(
                featured, quotes=quotes, destination=destination, shipping=shelves.shipping
            ),
            "newest": _cards_as_data(
                newest, quotes=quotes, destination=destination, shipping=shelves.shipping
            ),
            "featured_html": html[: len(featured)],
            "newest_html": html[len(featured) :],
            "stats": stats(),
        },
    )


@require_GET
@cache_anonymous_page()
def category(request: HttpRequest, slug: str) -> HttpResponse:
    kept = _from_kept_page(request, view="category")
    if kept is not None:
        return kept
    tree = category_tree()
    try:
        place = locate_category(tree=tree, slug=slug)
    except NotFound as error:
        raise Http404(error.message) from error
    return _listing(request, tree=tree, place=place, view="category")


@require_GET
@cache_anonymous_page()
def search(request: HttpRequest) -> HttpResponse:
    kept = _from_kept_page(request, view="search")
    if kept is not None:
        return kept
    return _listing(request, tree=category_tree(), place=None, view="search")


def _from_kept_page(request: HttpRequest, *, view: str) -> HttpResponse | None:
    """The listing page kept a few seconds ago with its current cards (listing_pages,
    ADR 0023): its products read again by id, the cards from their copies."""
    if not keeps_pages(request):
        return None
    page = kept_page(request, view=view)
    if page is None:
        return None
    listing = relist(page.listing)
    cards = listed(listing.page.object_list)
    html = render_cards(
        request,
        cards,
        quotes=browsing_quotes(request),
        destination=buyer_destination(request),
        shipping=listing.shipping,
    )
    body = page.fill(html)
    if body is None:
        return None
    shows(request, [page.tag])
    read_before(request, page.read_at)
    return _marked_page(request, body)


def _marked_page(request: HttpRequest, body: str) -> HttpResponse:
    """A page rendered with the page cache's markers, as the page cache takes it (it puts
    the visitor's values in) or, outside it, with this visitor's values."""
    if getattr(request, RENDERING_FOR_CACHE, False):
        return HttpResponse(body)
    return HttpResponse(personalised(body, request))


def _listing(
    request: HttpRequest, *, tree: list[CategoryNode], place: CategoryPlace | None, view: str
) -> HttpResponse:
    form = ListingForm(request.GET)
    # Price bounds are typed in the buyer currency. Sorting by price orders by the reference
    # price (the marketplace currency at the mid rate); the cards show each price converted
    # at the same rates with one margin, so the order holds among offers in other currencies
    # than the buyer's. An offer already in the buyer's currency carries no margin and may
    # show up to FX_MARGIN_BPS cheaper than its place suggests (rounding aside).
    query = form.to_query(
        category_ids=place.ids if place else (),
        page=parse_page(request.GET.get("page")),
        currency=buyer_currency(request),
        country=buyer_country(request),
    )
    # A text typed with the wrong keyboard layout shows what the other layout finds, unless
    # the buyer asked for the text as typed.
    # Light rows: the cards come from their cached copies, and only those rendered again
    # read their whole rows (card_cache.render_cards).
    # The order and counts may be a few seconds old, the cards never are (ADR 0023).
    tag = listing_tag(place.category.id if place else None)
    listing, read_at = remembered_listing(
        query=query, as_typed=request.GET.get("as_typed") == "1", tag=tag
    )
    read_before(request, read_at)
    assert listing.facets is not None
    groups = facet_groups(
        listing.facets,
        query,
        currency=listing.currency,
        categories=[c for node in tree for c in (node.category, *node.children)],
    )
    delivery = _delivery_filter(request, query, listing)
    # An empty search is never a dead end: a corrected or relaxed query, or where to browse
    # (among what is delivered to the buyer, unless they asked for every seller).
    alternatives = (
        alternatives_for_no_results(
            query.text,
            category_ids=query.category_ids,
            country=delivery.country if delivery.applied else "",
        )
        if query.text and not listing.total
        else None
    )
    shows(request, [tag])
    if alternatives is not None:
        shows(request, [card_tag(summary.product_id) for summary in alternatives.popular])
    cards = listed(listing.page.object_list)
    quotes, destination = browsing_quotes(request), buyer_destination(request)
    card_html = render_cards(
        request, cards, quotes=quotes, destination=destination, shipping=listing.shipping
    )
    context = {
        "category_tree": tree,
        "place": place,
        "current_slug": _top_level_slug(place),
        "form": form,
        "errors": form.visible_errors(),
        "query": query,
        "search_text": query.text,
        "listing": listing,
        "cards": _cards_as_data(
            cards, quotes=quotes, destination=destination, shipping=listing.shipping
        ),
        "card_html": card_html,
        "page_range": listing.page.paginator.get_elided_page_range(
            listing.page.number, on_each_side=2, on_ends=1
        ),
        "facet_groups": groups,
        "chosen": _chosen(request, groups, query, scoped=place is not None),
        "currency_symbol": CURRENCY_SYMBOLS.get(listing.currency, listing.currency),
        "sort_choices": SORT_CHOICES,
        "alternatives": alternatives,
        "delivery_filter": delivery,
    }
    context["filters_html"] = render_filters(request, context)
    if alternatives is not None or not keeps_pages(request):
        return render(request, "storefront/listing.html", context)
    # Rendered with a slot for each card and the page cache's markers, kept for the
    # listing's seconds, then filled (listing_pages).
    marked = _render_marked(
        request, "storefront/listing.html", {**context, "card_html": card_slots(len(card_html))}
    )
    page = KeptPage(read_at=read_at, tag=tag, listing=copy_listing(listing), html=marked)
    keep_page(request, view=view, page=page)
    body = page.fill(card_html)
    assert body is not None
    return _marked_page(request, body)


def _cards_as_data(
    summaries: list[ProductOfferSummary],
    *,
    quotes: QuoteTable,
    destination: Destination,
    shipping: Mapping[int, ShippingQuote],
) -> list[ProductCard]:
    """The page's cards as data in its context, built only if something reads them: the
    template prints the cards' HTML (card_cache), which for cached cards needs no card data."""
    return SimpleLazyObject(  # type: ignore[return-value]
        lambda: product_cards(
            card_rows(summaries),
            quotes=quotes,
            destination=destination,
            shipping=shipping,
            tables=shipping_tables,
        )
    )


@dataclass(frozen=True)
class DeliveryFilter:
    """The "delivers to" default of a listing as the buyer sees it and undoes it."""

    country: str
    # Only what is delivered to the buyer's country is listed.
    applied: bool
    # Products left out only because nothing of them is delivered there.
    hidden: int
    # The same listing with every seller's goods, and back to the buyer's country only.
    show_all_url: str
    only_url: str


def _delivery_filter(
    request: HttpRequest, query: ProductQuery, listing: ProductListing
) -> DeliveryFilter:
    params = request.GET.copy()
    params.pop("page", None)
    params.setlist("ships_to", [SHIPS_TO_ANY])
    show_all = f"?{params.urlencode()}"
    params.pop("ships_to", None)
    applied = query.country in query.ships_to
    counts = listing.facets
    return DeliveryFilter(
        country=query.country,
        applied=applied,
        hidden=counts.excluded.get("ships_to", 0) if applied and counts is not None else 0,
        show_all_url=show_all,
        only_url=f"?{params.urlencode()}",
    )


def _chosen(
    request: HttpRequest, groups: list[FacetGroup], query: ProductQuery, *, scoped: bool
) -> list[tuple[str, str]]:
    """Each ticked facet value with the address of the same listing without it."""
    chosen = []
    for group in groups:
        if group.name == "category" and scoped:
            continue
        for option in group.selected:
            if group.name == "ships_to" and option.value == query.country:
                # The default, not a choice: the line under the title says it and undoes it.
                continue
            params = request.GET.copy()
            params.pop("page", None)
            if group.name == "price":
                params.pop("price_min", None)
                params.pop("price_max", None)
            elif group.name == "ships_to":
                # Without any country the listing would fall back to the buyer's own.
                kept = [
                    v for v in params.getlist("ships_to") if v not in (option.value, SHIPS_TO_ANY)
                ]
                params.setlist("ships_to", kept or [SHIPS_TO_ANY])
            elif group.kind == "multi":
                params.setlist(
                    group.name, [v for v in params.getlist(group.name) if v != option.value]
                )
            else:
                params.pop(group.name, None)
            label = option.label if group.name != "attr" else f"{group.title}: {option.label}"
            if group.name == "ships_to":
                label = _("Delivers to %(country)s") % {"country": country_name(option.value)}
            chosen.append((f"?{params.urlencode()}", label))
    return chosen


def _top_level_slug(place: CategoryPlace | None) -> str:
    if place is None:
        return ""
    return place.parent.slug if place.parent else place.category.slug


@require_GET
@cache_anonymous_page()
def product(request: HttpRequest, public_id: str, slug: str = "") -> HttpResponse:
    # The offers' statement reads the product's version too: the entry is kept under it.
    offers = product_offer_rows(public_id=public_id)
    try:
        entry = product_entry(public_id=public_id, version=offers.version)
    except NotFound as error:
        raise Http404(error.message) from error
    item = entry.product
    shows(request, [product_tag(item.id)])
    quotes, destination = browsing_quotes(request), buyer_destination(request)
    lines = sheet_lines(
        offers.for_product(item),
        quotes=quotes,
        destination=destination,
        rates=reference_rates(),
        tables=shipping_tables,
    )
    page = product_page(
        product=item,
        lines=lines,
        quotes=quotes,
        destination=destination,
        variant_public_id=request.GET.get("variant", "")[:16],
    )
    parts = product_parts(entry, specs=page.specs, specs_fallback=page.specs_fallback)
    # The page around its offers is kept and filled with the current ones (product_shell).
    key = shell_key(request, product=item, parts=parts, page=page) if may_keep(request) else ""
    offer_html = render_offer_html(request, page, also=key)
    if isinstance(offer_html.also, str):
        body = fill(offer_html.also, offer_html)
        if body is not None:
            return _marked_page(request, body)
    context = {
        "page": page,
        "product": item,
        "offer_html": offer_html,
        "parts": parts,
        "variant_links": _variant_links(request, page.variants),
    }
    if not key:
        return render(request, "storefront/product.html", context)
    shell = _render_marked(
        request, "storefront/product.html", {**context, "offer_html": slots(offer_html)}
    )
    cache.set(key, shell, timeout=PAGE_TTL_SECONDS)
    body = fill(shell, offer_html)
    assert body is not None
    return _marked_page(request, body)


def _render_marked(request: HttpRequest, template: str, context: dict[str, object]) -> str:
    """The template rendered with the page cache's markers where the visitor's values go
    (their header and token): a page kept for every visitor, filled per request."""
    rendering_for_cache = getattr(request, RENDERING_FOR_CACHE, False)
    setattr(request, RENDERING_FOR_CACHE, True)
    try:
        return render_to_string(template, context, request)
    finally:
        setattr(request, RENDERING_FOR_CACHE, rendering_for_cache)


@dataclass(frozen=True)
class VariantLinks:
    """The variant chips' addresses: this page's query with the variant chosen, or without
    one ("all"), as {% querystring %} writes them (built here: one tag a chip cost more)."""

    all: str
    each: list[tuple[VariantChoice, str]]


def _variant_links(request: HttpRequest, variants: list[VariantChoice]) -> VariantLinks:
    params = request.GET.copy()
    each = []
    for variant in variants:
        params["variant"] = variant.public_id
        each.append((variant, f"?{params.urlencode()}"))
    params.pop("variant", None)
    everything = f"?{params.urlencode()}" if params or request.GET else ""
    return VariantLinks(all=everything, each=each)
