"""GET /api/v1/search/suggest: the search box's completions and categories as JSON."""

import pytest

pytestmark = pytest.mark.django_db


def test_completions_and_categories_for_a_partly_typed_word(client, market):
    leaf = market.product.category

    response = client.get("/api/v1/search/suggest", {"q": "naushn"})

    assert response.status_code == 200
    assert response.json() == {
        "queries": [{"text": "беспроводные наушники"}],
        "categories": [],
    }

    response = client.get("/api/v1/search/suggest", {"q": "categ"})

    # Equally large categories come in the catalog's order (position, then slug).
    assert response.json()["categories"] == sorted(
        [
            {
                "slug": leaf.parent.slug,
                "name": leaf.parent.name_en,
                "parent_name": None,
                "product_count": 1,
            },
            {
                "slug": leaf.slug,
                "name": leaf.name_en,
                "parent_name": leaf.parent.name_en,
                "product_count": 1,
            },
        ],
        key=lambda category: category["slug"],
    )


def test_category_names_follow_the_language_asked_for(client, market):
    leaf = market.product.category

    response = client.get("/api/v1/search/suggest", {"q": "категор"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert sorted(category["name"] for category in response.json()["categories"]) == sorted(
        [leaf.parent.name_ru, leaf.name_ru]
    )


def test_too_little_text_gives_empty_lists(client, market):
    for text in ("", "w", "?!"):
        response = client.get("/api/v1/search/suggest", {"q": text})

        assert response.status_code == 200
        assert response.json() == {"queries": [], "categories": []}
