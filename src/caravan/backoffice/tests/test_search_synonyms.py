from django.urls import reverse
from tests.factories import (
    default_rates,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_user,
)
from tests.finance_factories import make_operator

from caravan.search.models import SearchSynonym
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index
from caravan.search.synonyms import create_synonym

KIND_OF = SearchSynonym.Relation.KIND_OF
SAME = SearchSynonym.Relation.SAME


def found(text):
    listing = list_products(query=ProductQuery(text=text))
    return [summary.product.name_en for summary in listing.page.object_list]


def rows():
    return list(SearchSynonym.objects.order_by("id").values_list("word", "relation", "other"))


def test_the_operator_sees_the_table_and_finds_a_word(client, db):
    create_synonym(word="TWS", relation=KIND_OF, other="earbuds")
    create_synonym(word="кеды", relation=KIND_OF, other="обувь")
    client.force_login(make_operator())

    everything = client.get(reverse("backoffice:search_synonyms"))
    found = client.get(reverse("backoffice:search_synonyms"), {"q": "обувь"})

    assert everything.status_code == 200
    assert everything.content.decode().count('data-testid="synonym-row"') == 2
    assert [str(synonym) for synonym in found.context["page"]] == ["кеды is a kind of обувь"]


def test_the_operator_adds_a_row(client, db):
    client.force_login(make_operator())

    response = client.post(
        reverse("backoffice:search_synonyms"),
        {"word": "вкладыши", "relation": SAME, "other": "earbuds"},
    )

    assert response.status_code == 302
    assert rows() == [("вкладыши", SAME, "earbuds")]


def test_a_row_of_two_words_is_refused_with_the_reason_and_nothing_saved(client, db):
    client.force_login(make_operator())

    response = client.post(
        reverse("backoffice:search_synonyms"),
        {"word": "true wireless", "relation": KIND_OF, "other": "earbuds"},
    )

    assert response.status_code == 400
    assert "Enter one word (letters and digits, no spaces): true wireless" in (
        response.content.decode()
    )
    assert rows() == []


def test_a_duplicate_is_refused(client, db):
    create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    client.force_login(make_operator())

    response = client.post(
        reverse("backoffice:search_synonyms"),
        {"word": "TWS", "relation": KIND_OF, "other": "Earbuds"},
    )

    assert response.status_code == 400
    assert "This pair is in the table already." in response.content.decode()
    assert rows() == [("tws", KIND_OF, "earbuds")]


def test_the_operator_edits_a_row(client, db):
    synonym = create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    client.force_login(make_operator())

    form = client.get(reverse("backoffice:search_synonym_edit", args=[synonym.id]))
    response = client.post(
        reverse("backoffice:search_synonym_edit", args=[synonym.id]),
        {"word": "tws", "relation": KIND_OF, "other": "headphones"},
    )

    assert form.status_code == 200
    assert form.context["form"].initial == {"word": "tws", "relation": KIND_OF, "other": "earbuds"}
    assert response.status_code == 302
    assert rows() == [("tws", KIND_OF, "headphones")]


def test_the_operator_deletes_a_row(client, db):
    synonym = create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    client.force_login(make_operator())

    response = client.post(reverse("backoffice:search_synonym_delete", args=[synonym.id]))

    assert response.status_code == 302
    assert rows() == []


def test_a_missing_row_is_a_404(client, db):
    client.force_login(make_operator())

    assert client.get(reverse("backoffice:search_synonym_edit", args=[404])).status_code == 404
    assert client.post(reverse("backoffice:search_synonym_delete", args=[404])).status_code == 404


def test_deleting_needs_a_post(client, db):
    synonym = create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:search_synonym_delete", args=[synonym.id]))

    assert response.status_code == 405
    assert len(rows()) == 1


def test_only_operator_staff_see_or_change_the_table(client, db):
    synonym = create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    client.force_login(make_user(email="buyer@example.com"))

    listing = client.get(reverse("backoffice:search_synonyms"))
    added = client.post(
        reverse("backoffice:search_synonyms"), {"word": "a", "relation": SAME, "other": "b"}
    )
    deleted = client.post(reverse("backoffice:search_synonym_delete", args=[synonym.id]))

    assert (listing.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    assert rows() == [("tws", KIND_OF, "earbuds")]


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("backoffice:search_synonyms"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_row_the_operator_corrects_in_the_back_office_changes_what_a_search_finds(client, db):
    default_rates()
    seller = make_seller(name="Kazan Goods", country="RU", currency="RUB")
    for name_en, name_ru in (
        ("Klang Headphones", "Наушники Klang"),
        ("Trail Sneakers", "Кроссовки Trail"),
    ):
        product = make_product(category=make_category(), name_en=name_en, name_ru=name_ru)
        make_offer(seller=seller, variant=product.variants.get(), price="2500", stock=4)
    rebuild_index()
    # A slip: 鞋 (shoes) entered as a synonym of headphones.
    synonym = create_synonym(word="鞋", relation=SAME, other="наушники")
    assert found("鞋") == ["Klang Headphones"]
    client.force_login(make_operator())

    response = client.post(
        reverse("backoffice:search_synonym_edit", args=[synonym.id]),
        {"word": "鞋", "relation": SAME, "other": "кроссовки"},
    )

    assert response.status_code == 302
    assert found("鞋") == ["Trail Sneakers"]
    assert found("运动鞋") == []
