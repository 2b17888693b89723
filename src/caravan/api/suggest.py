"""Search suggestions as the buyer types: the same completions and categories as the
storefront's search box."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from caravan.search.analysis import MAX_QUERY_LENGTH
from caravan.search.suggest import CategorySuggestion, suggest

router = Router(tags=["search"])


class QuerySuggestionOut(Schema):
    text: str


class CategorySuggestionOut(Schema):
    slug: str
    name: str
    parent_name: str | None = None
    product_count: int


class SuggestionsOut(Schema):
    queries: list[QuerySuggestionOut]
    categories: list[CategorySuggestionOut]


def _category(category: CategorySuggestion) -> CategorySuggestionOut:
    return CategorySuggestionOut(
        slug=category.slug,
        name=category.name,
        parent_name=category.parent_name or None,
        product_count=category.count,
    )


@router.get(
    "/search/suggest",
    response=SuggestionsOut,
    summary="Query completions and categories for the text typed so far",
    description=(
        "Completions are phrases from the catalog (product names, brands, brands in their "
        "categories) that a search for them finds, the most products first; the text may be "
        "transliterated, mistyped by a letter or cut short. Categories come with how many "
        "products can be bought in them. Fewer than two characters give empty lists."
    ),
)
def search_suggest(request: HttpRequest, q: str = "") -> SuggestionsOut:
    suggestions = suggest(q[:MAX_QUERY_LENGTH])
    return SuggestionsOut(
        queries=[QuerySuggestionOut(text=query.text) for query in suggestions.queries],
        categories=[_category(category) for category in suggestions.categories],
    )
