"""Template helpers for buyer pages: media URLs, flags, delivery estimates, status badges,
prices in the buyer currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caravan.catalog.renditions import rendition_name, rendition_widths
from caravan.catalog.translations import Shown
from caravan.kernel.csrf import page_token
from caravan.kernel.money import Money
from caravan.kernel.templatetags.countries import country, flag
from caravan.shipping.quotes import DeliveryDates
from caravan.shipping.selectors import DeliveryPromise

from ..chrome import do_once, menu_key, tiles_key
from ..currency import ShownPrice, buyer_quotes, show_price
from ..page_cache import CSRF_MARKER
from ..presenters import OfferRow, StockState
from ..user_nav import render_user_nav

register = template.Library()

STATUS_BADGES = {
    "pending_payment": "badge-warn",
    "awaiting_shipment": "badge-info",
    "shipped": "badge-info",
    "paid": "badge-ok",
    "delivered": "badge-ok",
    "completed": "badge-ok",
    "cancelled": "badge-bad",
}


@register.filter
def media(path: str) -> str:
    """A stored file's URL; the storage layer is the local disk or an object store."""
    return f"{settings.MEDIA_URL}{path}" if path else ""


@register.simple_tag
def picture(
    name: str,
    *,
    alt: str,
    width: int,
    height: int,
    sizes: str,
    load: str = "lazy",
    css_class: str = "",
) -> SafeString:
    """A stored product image with its WebP renditions (catalog.renditions) as a `<picture>`
    whose `srcset` lets the browser pick the width the layout needs, the original as the
    fallback `<img>`. `width`/`height` reserve the box before the image arrives (no layout
    shift). `load` is "lazy" (below the first screen), "eager" (the first visible row of
    cards) or "priority" (the product page's main image: eager, fetched first)."""
    loading = {"lazy": ' loading="lazy"', "eager": "", "priority": ' fetchpriority="high"'}[load]
    image = format_html(
        '<img{} src="{}" alt="{}" width="{}" height="{}"{} decoding="async">',
        format_html(' class="{}"', css_class) if css_class else "",
        media(name),
        alt,
        width,
        height,
        mark_safe(loading),
    )
    widths = rendition_widths(name)
    if not widths:
        return image
    srcset = ", ".join(f"{media(rendition_name(name, width))} {width}w" for width in widths)
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">{}</picture>',
        srcset,
        sizes,
        image,
    )


@register.simple_tag
def thumbnail(name: str, *, size: int, alt: str = "") -> SafeString:
    """A small square product image (cart, checkout and order lines): only the smallest WebP
    rendition still sharp on a 2x screen is offered, the original the fallback `<img>` when
    the image has none; lazy, its box reserved."""
    image = format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async">',
        media(name),
        alt,
        size,
        size,
    )
    widths = rendition_widths(name)
    if not widths:
        return image
    width = next((width for width in widths if width >= 2 * size), widths[-1])
    return format_html(
        '<picture><source type="image/webp" srcset="{} {}w" sizes="{}px">{}</picture>',
        media(rendition_name(name, width)),
        width,
        size,
        image,
    )


# Shared with the other interface apps; registered here so templates load one library.
register.filter("flag", flag)
register.filter("country", country)
# The page's chrome rendered once per process (storefront.chrome).
register.tag("once", do_once)
register.filter("menu_key", menu_key)
register.filter("tiles_key", tiles_key)


@register.filter
def days(promise: DeliveryPromise | None) -> str:
    """The delivery range ("3-7 days" with an en dash), in the active language's plural."""
    if promise is None:
        return ""
    if promise.days_min == promise.days_max:
        return ngettext("%(count)s day", "%(count)s days", promise.days_max) % {
            "count": promise.days_max
        }
    return ngettext("%(low)s–%(count)s day", "%(low)s–%(count)s days", promise.days_max) % {
        "low": promise.days_min,
        "count": promise.days_max,
    }


@register.simple_tag
def day_range(days_min: int, days_max: int) -> str:
    return days(DeliveryPromise(days_min=days_min, days_max=days_max))


@register.simple_tag
def date_range(earliest: date | None, latest: date | None) -> str:
    """Delivery dates in the active language, joined by an en dash: "12-16 December" within
    a month (Russian "12-16 декабря": MONTH_DAY_FORMAT takes the genitive), "28 December -
    3 January" across months, "12 December" for one day."""
    if earliest is None or latest is None:
        return ""
    last = date_format(latest, "MONTH_DAY_FORMAT")
    if earliest == latest:
        return last
    same_month = (earliest.year, earliest.month) == (latest.year, latest.month)
    day_first = get_format("MONTH_DAY_FORMAT")
    if same_month and day_first.startswith("j"):
        # German writes the day as an ordinal with its dot, the first one too: "18.-26.
        # Dezember" (with an en dash), never "18-26. Dezember".
        first = f"{earliest.day}." if day_first.startswith("j.") else str(earliest.day)
        return f"{first}–{last}"
    return f"{date_format(earliest, 'MONTH_DAY_FORMAT')} – {last}"


@register.filter
def delivery_dates(dates: DeliveryDates | None) -> str:
    """A quote's promise as dates (see date_range)."""
    return "" if dates is None else date_range(dates.earliest, dates.latest)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


@register.filter
def money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


@register.simple_tag
def seller_price(shown: ShownPrice | Money | None, seller: Money | None = None) -> SafeString:
    """The seller's own price as a secondary figure ("≈ 379 CN¥") next to a converted one;
    nothing when the two are in one currency. Either a ShownPrice, or the buyer-currency
    figure and the seller's (e.g. an order's frozen amounts):
    {% seller_price row.buyer_price %} or {% seller_price line.buyer_total line.total %}."""
    if isinstance(shown, Money):
        if seller is None:
            return mark_safe("")
        shown = ShownPrice(buyer=shown, seller=seller)
    if shown is None or not shown.is_converted:
        return mark_safe("")
    return format_html(
        '<span class="seller-price" title="{}" data-testid="seller-price">≈\u00a0{}</span>',
        _("The seller's own price; yours includes the currency conversion"),
        str(shown.seller),
    )


@register.simple_tag(takes_context=True)
def buyer_price(context: template.Context, money: Money | None) -> SafeString:
    """A seller-currency price in the visitor's currency, the seller's figure after it:
    {% buyer_price offer.price %}. The quote table is read once per request; without a
    rate the seller's price alone is shown."""
    if money is None:
        return mark_safe("")
    shown = show_price(money, quotes=buyer_quotes(context["request"]))
    secondary = seller_price(shown)
    if secondary:
        return format_html("{} {}", str(shown.buyer), secondary)
    return format_html("{}", str(shown.buyer))


@register.simple_tag(takes_context=True)
def user_nav(context: template.Context) -> SafeString:
    """The header's account area: {% user_nav %}. The per-shape copy a cached page is served
    with (storefront.user_nav), so a page that misses the cache does not render the menus
    of languages, currencies and countries again. A page rendered without a request (an
    error page) renders the template from its context."""
    request = context.get("request")
    if request is None:
        values = {str(key): value for key, value in context.flatten().items()}
        return mark_safe(get_template("_user_nav.html").render(values))
    return mark_safe(render_user_nav(request).replace(CSRF_MARKER, page_token(request)))


@register.simple_tag(takes_context=True)
def add_form(context: template.Context, row: OfferRow, *, wide: bool = False) -> SafeString:
    """The add-to-cart form of an offer row: {% add_form row %}. Built here rather than
    included, once per offer on a product page of twenty offers. The page's address (the form's
    `next`) is `next_path` in the context, else the request's."""
    next_path = context.get("next_path")
    if next_path is None:
        next_path = context["request"].get_full_path()
    action = reverse("storefront:cart_add")
    if row.stock_state == StockState.OUT:
        button = format_html(
            '<button class="button button-secondary" type="submit" disabled>{}</button>',
            _("Out of stock"),
        )
    elif row.refusal:
        # The cart would refuse it (views.cart.add): no button that looks like it works.
        code = str(context.get("country") or getattr(context.get("page"), "country", ""))
        button = format_html(
            '<button class="button button-secondary" type="submit" disabled'
            ' data-testid="no-delivery-button">{}</button>',
            _("Doesn't deliver to %(country)s") % {"country": country(code)},
        )
    else:
        button = format_html(
            '<input class="qty-input" type="number" name="quantity" value="{}" min="{}" max="{}"'
            ' aria-label="{}">\n    <button class="button" type="submit"'
            ' data-testid="add-to-cart">{}</button>',
            row.min_quantity,
            row.min_quantity,
            row.max_quantity,
            _("Quantity"),
            _("Add to cart"),
        )
    return format_html(
        '<form class="add-form{}" method="post" action="{}" hx-post="{}" hx-target="#cart-toast"'
        ' hx-swap="innerHTML">\n  <input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
        '  <input type="hidden" name="offer" value="{}">\n'
        '  <input type="hidden" name="next" value="{}">\n    {}\n</form>',
        " add-form-wide" if wide else "",
        action,
        action,
        str(context.get("csrf_token", "")),
        row.offer.public_id,
        next_path,
        button,
    )


@register.filter
def initial(text: str) -> str:
    """The first letter, for a product without a photo."""
    return (text or "?").strip()[:1].upper() or "?"


@register.simple_tag
def stock_text(quantity: int) -> str:
    if quantity <= 0:
        return _("Out of stock")
    return ngettext("Only %(count)s left", "Only %(count)s left", quantity) % {"count": quantity}


@register.filter
def product_url(product: object) -> str:
    """The product page, with the readable slug when the product has one."""
    public_id = getattr(product, "public_id", "")
    slug = getattr(product, "slug", "")
    if slug:
        return reverse("storefront:product_slug", kwargs={"public_id": public_id, "slug": slug})
    return reverse("storefront:product", kwargs={"public_id": public_id})


# Line icons drawn inline (no icon font, no request, no emoji font needed), stroke in the
# text colour.
ICONS = {
    "truck": '<path d="M1 4h14v12H1z"/><path d="M15 8h4l4 4v4h-8z"/>'
    '<circle cx="5.5" cy="18.5" r="2"/><circle cx="18.5" cy="18.5" r="2"/>',
    "shield": '<path d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"/><path d="M9 12l2 2 4-4"/>',
    "globe": '<circle cx="12" cy="12" r="10"/>'
    '<path d="M2 12h20M12 2c3 3 4 6.5 4 10s-1 7-4 10M12 2c-3 3-4 6.5-4 10s1 7 4 10"/>',
    "lock": '<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "cart": '<circle cx="9" cy="20" r="1.5"/><circle cx="18" cy="20" r="1.5"/>'
    '<path d="M2 3h3l2.6 12.2a2 2 0 0 0 2 1.6h8.3a2 2 0 0 0 2-1.5L22 7H6"/>',
    "check": '<circle cx="12" cy="12" r="10"/><path d="M7.5 12.5l3 3 6-6"/>',
    "cross": '<circle cx="12" cy="12" r="10"/><path d="M15 9l-6 6M9 9l6 6"/>',
    "clock": '<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>',
    "card": '<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20M6 15h4"/>',
}


@register.simple_tag
def icon(name: str, size: int = 18) -> str:
    paths = ICONS[name]
    return mark_safe(
        f'<svg class="icon icon-{name}" width="{int(size)}" height="{int(size)}" '
        'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
        f'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{paths}</svg>'
    )


@register.simple_tag
def catalog_text(shown: Shown, *, note: bool = True) -> SafeString:
    """Catalog text in the buyer's language; when the buyer's language has none, the seller's
    original in an element that names its language (screen readers pronounce it right) and,
    with `note`, a small note saying so (docs/decisions/0016-languages.md)."""
    if not shown.is_original_fallback:
        return format_html("{}", shown.text)
    if not note:
        return format_html('<span lang="{}">{}</span>', shown.language, shown.text)
    return format_html(
        '<span lang="{}">{}</span> <span class="translation-note muted small"'
        ' data-testid="translation-note">{}</span>',
        shown.language,
        shown.text,
        missing_translation_note(shown),
    )


@register.filter
def missing_translation_note(shown: Shown) -> str:
    """The note under catalog text shown in another language than the buyer's."""
    if shown.in_original_language:
        return _("Shown in the seller’s language")
    return _("Not translated into your language yet")
