"""Facet counts as the buyer reads them: titled groups of labelled options, in the current
language, the same for the storefront and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from caravan.catalog.models import Attribute, Category
from caravan.catalog.selectors import attach_attribute_names, attribute_value_labels
from caravan.kernel.countries import country_name
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.sellers.models import Seller

from .facets import FacetCounts
from .selectors import ProductQuery

# Sellers listed in the seller facet, the most products first (a ticked one always shows).
MAX_SELLERS = 12


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    depth: int = 0  # categories: 0 top level, 1 child
    slug: str = ""  # categories
    low: Decimal | None = None  # price ranges, in the listing currency
    high: Decimal | None = None


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the query parameter it sets
    title: str
    kind: str  # "link" (categories, prices), "multi" (checkboxes), "single" (radio)
    options: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


def describe_facets(
    counts: FacetCounts,
    query: ProductQuery,
    *,
    currency: str,
    categories: list[Category] | None = None,
) -> list[FacetGroup]:
    """The groups worth showing (an empty group is left out), in the order a buyer scans
    them: where, how much, from where, how fast, what exactly, from whom, what state."""
    groups = [
        _categories(counts, query, categories or list(Category.objects.all())),
        _prices(counts, query, currency),
        _ships_to(counts, query),
        _ships_from(counts, query),
        _delivery(counts, query),
        *_attributes(counts, query),
        _sellers(counts, query),
        _conditions(counts, query),
    ]
    # The price group always shows: its inputs take any range, even when nothing matches.
    return [group for group in groups if group.options or group.name == "price"]


def _categories(counts: FacetCounts, query: ProductQuery, listed: list[Category]) -> FacetGroup:
    categories = {category.id: category for category in listed}
    scope = set(query.category_ids)
    options: list[FacetOption] = []

    def option(category: Category, depth: int) -> FacetOption:
        return FacetOption(
            value=str(category.id),
            label=category.name,
            count=counts.categories.get(category.id, 0),
            selected=category.id == query.category,
            depth=depth,
            slug=category.slug,
        )

    def children(parent_id: int | None) -> list[Category]:
        return sorted(
            (
                c
                for c in categories.values()
                if c.parent_id == parent_id and counts.categories.get(c.id)
            ),
            key=lambda c: (-counts.categories.get(c.id, 0), c.position, c.slug),
        )

    if scope:
        # A category page: its subcategories, as links to their own pages.
        roots = [c for c in categories.values() if c.id in scope and c.parent_id not in scope]
        for root in roots:
            options += [option(child, 0) for child in children(root.id)]
    elif query.category is not None and query.category in categories:
        chosen = categories[query.category]
        path = []
        current: Category | None = chosen
        while current is not None:
            path.append(current)
            current = categories.get(current.parent_id) if current.parent_id else None
        options += [option(item, depth) for depth, item in enumerate(reversed(path))]
        options += [option(child, len(path)) for child in children(chosen.id)]
    else:
        tops = children(None)
        options += [option(top, 0) for top in tops]
        if len(tops) == 1:
            # Everything found is in one department: its subcategories are the choice.
            options += [option(child, 1) for child in children(tops[0].id)]
    return FacetGroup(name="category", title=_("Category"), kind="link", options=options)


def _prices(counts: FacetCounts, query: ProductQuery, currency: str) -> FacetGroup:
    options = []
    for low, high, count in counts.prices:
        if low is None and high is not None:
            label = _("up to %(price)s") % {"price": Money(high, currency)}
        elif high is None and low is not None:
            label = _("from %(price)s") % {"price": Money(low, currency)}
        else:
            label = f"{Money(low or 0, currency)} – {Money(high or 0, currency)}"
        options.append(
            FacetOption(
                value=f"{low or ''}-{high or ''}",
                label=label,
                count=count,
                selected=query.price_min == low and query.price_max == upper_bound(high),
                low=low,
                high=upper_bound(high),
            )
        )
    return FacetGroup(name="price", title=_("Price"), kind="link", options=options)


def upper_bound(high: Decimal | None) -> Decimal | None:
    """The inclusive filter bound of a range whose upper edge is exclusive: a product at
    exactly 2 000 belongs to the range that starts there."""
    return None if high is None else high - Decimal("0.01")


def _ships_to(counts: FacetCounts, query: ProductQuery) -> FacetGroup:
    """One check box: only what a seller delivers to the buyer's country (and any country
    already chosen, so a choice can be undone)."""
    codes = sorted({*([query.country] if query.country else []), *query.ships_to})
    return FacetGroup(
        name="ships_to",
        title=_("Delivers to"),
        kind="multi",
        options=[
            FacetOption(
                value=code,
                label=country_name(code),
                count=counts.ships_to.get(code, 0),
                selected=code in query.ships_to,
            )
            for code in codes
        ],
    )


def _ships_from(counts: FacetCounts, query: ProductQuery) -> FacetGroup:
    codes = sorted(
        {*counts.ships_from, *query.ships_from}, key=lambda c: (-counts.ships_from.get(c, 0), c)
    )
    return FacetGroup(
        name="ships_from",
        title=_("Ships from"),
        kind="multi",
        options=[
            FacetOption(
                value=code,
                label=country_name(code),
                count=counts.ships_from.get(code, 0),
                selected=code in query.ships_from,
            )
            for code in codes
        ],
    )


def _delivery(counts: FacetCounts, query: ProductQuery) -> FacetGroup:
    options = []
    for within, count in sorted(counts.delivery.items()):
        if count or within == query.delivery_within:
            options.append(
                FacetOption(
                    value=str(within),
                    label=ngettext("within %(days)d day", "within %(days)d days", within)
                    % {"days": within},
                    count=count,
                    selected=within == query.delivery_within,
                )
            )
    return FacetGroup(name="delivery", title=_("Delivery"), kind="single", options=options)


def _attributes(counts: FacetCounts, query: ProductQuery) -> list[FacetGroup]:
    attributes = {a.code: a for a in Attribute.objects.filter(code__in=list(counts.attributes))}
    attach_attribute_names(attributes.values())
    chosen = set(query.attributes)
    russian = (get_language() or "").startswith("ru")
    # German and Chinese labels: the sellers' translations of each value, found by the
    # value's normalised English form, which the filter keeps carrying (one query; none in
    # Russian or English, whose labels the facet keys hold).
    translated = attribute_value_labels(
        keys=[
            (code, value.value.split(":", 1)[1])
            for code, values in counts.attributes.items()
            for value in values
        ]
    )
    groups = []
    for code, values in counts.attributes.items():
        attribute = attributes.get(code)
        groups.append(
            FacetGroup(
                name="attr",
                title=attribute.name if attribute else code,
                kind="multi",
                options=[
                    FacetOption(
                        value=value.value,
                        label=translated.get(
                            (code, value.value.split(":", 1)[1]),
                            (value.label_ru if russian else value.label_en) or value.label_en,
                        ),
                        count=value.count,
                        selected=value.value in chosen,
                    )
                    for value in values
                ],
            )
        )
    return groups


def _sellers(counts: FacetCounts, query: ProductQuery) -> FacetGroup:
    ranked = sorted(counts.sellers.items(), key=lambda item: (-item[1], item[0]))
    ids = [seller_id for seller_id, _count in ranked[:MAX_SELLERS]]
    ids += [seller_id for seller_id in query.sellers if seller_id not in ids]
    names = dict(Seller.objects.filter(id__in=ids).values_list("id", "name"))
    return FacetGroup(
        name="seller",
        title=_("Seller"),
        kind="multi",
        options=[
            FacetOption(
                value=str(seller_id),
                label=names[seller_id],
                count=counts.sellers.get(seller_id, 0),
                selected=seller_id in query.sellers,
            )
            for seller_id in ids
            if seller_id in names
        ],
    )


def _conditions(counts: FacetCounts, query: ProductQuery) -> FacetGroup:
    labels = dict(Offer.Condition.choices)
    shown = [c for c in Offer.Condition.values if counts.conditions.get(c) or c in query.conditions]
    if len(shown) < 2 and not query.conditions:
        # Everything new: nothing to choose between.
        shown = []
    return FacetGroup(
        name="condition",
        title=_("Condition"),
        kind="multi",
        options=[
            FacetOption(
                value=condition,
                label=str(labels[condition]),
                count=counts.conditions.get(condition, 0),
                selected=condition in query.conditions,
            )
            for condition in shown
        ],
    )
