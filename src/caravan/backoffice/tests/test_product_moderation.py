"""The back office's product moderation queue: staff only, pending first, the proposal's
full record, approve / reject with a reason, and bulk decisions."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from tests.factories import default_rates, make_category, make_seller, make_user

from caravan.catalog.services import AttributeInput, ProductInput, VariantInput, ensure_attribute
from caravan.kernel.money import Money
from caravan.offers.models import ProductProposal
from caravan.offers.moderation import reject_proposal
from caravan.offers.proposals import OfferTerms, propose_product_with_offers

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    user = make_user(email="olga@caravan.example")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def leaf():
    default_rates()
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    ensure_attribute(code="material", name_ru="Материал", name_en="Material")
    return make_category(parent=make_category())


def png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 160, 60)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def propose(leaf, name="Garden Hose", seller=None):
    return propose_product_with_offers(
        seller=seller or make_seller(name=f"{name} Shop"),
        data=ProductInput(
            category=leaf,
            name_ru="Шланг",
            name_en=name,
            brand="Gardena",
            specs=[AttributeInput("material", "Резина", "Rubber")],
            variants=[
                VariantInput(
                    options=[AttributeInput("colour", "Зелёный", "Green")],
                    gtin="4006381333931" if name == "Garden Hose" else "",
                    mpn="GH-20" if name == "Garden Hose" else f"GH-{name}",
                )
            ],
        ),
        offers=[OfferTerms(price=Money("700", "RUB"), stock_quantity=5)],
        images=[png("hose.png")],
    ).proposal


def status(proposal):
    proposal.refresh_from_db()
    return proposal.status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("backoffice:product_queue"))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_buyers_and_sellers_are_refused(client, leaf):
    proposal = propose(leaf)
    client.force_login(make_user())

    assert client.get(reverse("backoffice:product_queue")).status_code == 403
    response = client.post(reverse("backoffice:product_approve", args=[proposal.product.public_id]))
    assert response.status_code == 403
    assert status(proposal) == "pending"


def test_the_queue_shows_waiting_products_oldest_first(client, operator, leaf):
    first, decided, second = (
        propose(leaf, "Hose A"),
        propose(leaf, "Hose B"),
        propose(leaf, "Hose C"),
    )
    reject_proposal(operator=operator, proposal_id=decided.id, reason="No")
    client.force_login(operator)

    waiting = client.get(reverse("backoffice:product_queue"))
    everything = client.get(reverse("backoffice:product_queue"), {"show": "all"})

    assert list(waiting.context["page"].object_list) == [first, second]
    assert list(everything.context["page"].object_list) == [first, second, decided]
    body = waiting.content.decode()
    assert "Waiting (2)" in body
    assert f'name="proposal" value="{first.id}"' in body


def test_the_detail_page_shows_images_specs_variants_and_offers(client, operator, leaf):
    proposal = propose(leaf)
    client.force_login(operator)

    response = client.get(reverse("backoffice:product_detail", args=[proposal.product.public_id]))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="moderation-image"') == 1
    assert "<th>Material</th><td>Rubber</td><td>Резина</td>" in body
    assert "Colour: Green / Зелёный" in body
    assert "<td>4006381333931</td><td>GH-20</td>" in body
    assert "Garden Hose Shop" in body
    assert 'data-testid="approve"' in body


def test_an_unknown_product_is_a_404(client, operator):
    client.force_login(operator)

    assert client.get(reverse("backoffice:product_detail", args=["nope"])).status_code == 404


def test_approving_from_the_detail_page(client, operator, leaf):
    proposal = propose(leaf)
    client.force_login(operator)

    response = client.post(reverse("backoffice:product_approve", args=[proposal.product.public_id]))

    assert response.status_code == 302
    assert status(proposal) == "approved"
    assert client.get(f"/p/{proposal.product.public_id}/").status_code == 200


def test_rejecting_needs_a_reason_the_seller_then_reads(client, operator, leaf):
    proposal = propose(leaf)
    client.force_login(operator)
    url = reverse("backoffice:product_reject", args=[proposal.product.public_id])

    refused = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "The photo shows a different hose"})

    assert refused.status_code == 400
    assert refused.context["reject_form"].errors == {"reason": ["This field is required."]}
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rejection_reason) == (
        "rejected",
        "The photo shows a different hose",
    )


def test_bulk_approve(client, operator, leaf):
    first, second, untouched = (
        propose(leaf, "Hose A"),
        propose(leaf, "Hose B"),
        propose(leaf, "Hose C"),
    )
    client.force_login(operator)

    response = client.post(
        reverse("backoffice:product_bulk"),
        {"proposal": [first.id, second.id], "action": "approve"},
    )

    assert response.status_code == 302
    assert [status(p) for p in (first, second, untouched)] == ["approved", "approved", "pending"]


def test_bulk_reject_with_a_reason(client, operator, leaf):
    first, second = propose(leaf, "Hose A"), propose(leaf, "Hose B")
    client.force_login(operator)

    client.post(
        reverse("backoffice:product_bulk"),
        {"proposal": [first.id, second.id], "action": "reject", "reason": "Prohibited item"},
    )

    assert list(
        ProductProposal.objects.order_by("id").values_list("status", "rejection_reason")
    ) == [("rejected", "Prohibited item"), ("rejected", "Prohibited item")]


@pytest.mark.parametrize(
    "post",
    [
        {"action": "approve"},
        {"action": "reject", "reason": ""},
        {"action": "destroy"},
    ],
    ids=["nothing ticked", "reject without a reason", "unknown action"],
)
def test_a_bad_bulk_request_changes_nothing(client, operator, leaf, post):
    proposal = propose(leaf)
    client.force_login(operator)
    data = {"proposal": [proposal.id], **post} if post != {"action": "approve"} else post

    response = client.post(reverse("backoffice:product_bulk"), data, follow=True)

    assert status(proposal) == "pending"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_stale_bulk_selection_changes_nothing(client, operator, leaf):
    waiting, decided = propose(leaf, "Hose A"), propose(leaf, "Hose B")
    reject_proposal(operator=operator, proposal_id=decided.id, reason="No")
    client.force_login(operator)

    response = client.post(
        reverse("backoffice:product_bulk"),
        {"proposal": [waiting.id, decided.id], "action": "approve"},
        follow=True,
    )

    assert (status(waiting), status(decided)) == ("pending", "rejected")
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was changed: Hose B is already rejected; reload the queue"
    ]


def test_the_back_office_navigation_links_the_queue(client, operator):
    client.force_login(operator)

    body = client.get(reverse("backoffice:home")).content.decode()

    assert f'href="{reverse("backoffice:product_queue")}"' in body
