import pytest
from tests.factories import default_rates, make_category, make_seller, make_user, project

from caravan.catalog.models import Product
from caravan.catalog.services import ProductInput, VariantInput
from caravan.kernel.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.models import ProductOfferSummary, ProductProposal, ProposalEvent
from caravan.offers.moderation import (
    QueueCounts,
    QueueFilter,
    approve_proposal,
    approve_proposals,
    count_moderation_queue,
    list_moderation_queue,
    reject_proposal,
    reject_proposals,
    resubmit_proposal,
)
from caravan.offers.proposals import OfferTerms, propose_product_with_offers, update_seller_product
from caravan.offers.selectors import get_buyable_offer

Status = ProductProposal.Status


@pytest.fixture
def leaf(db):
    default_rates()
    return make_category(parent=make_category())


def propose(leaf, *, name="Garden Hose", seller=None, gtin=""):
    return propose_product_with_offers(
        seller=seller or make_seller(),
        data=ProductInput(
            category=leaf, name_ru="Шланг", name_en=name, variants=[VariantInput(gtin=gtin)]
        ),
        offers=[OfferTerms(price=Money("700", "RUB"), stock_quantity=5)],
    )


def state(proposal):
    """The proposal, its product and its listing row as the change's commit leaves them."""
    proposal.refresh_from_db()
    product = Product.objects.get(id=proposal.product_id)
    project(product)
    summary = ProductOfferSummary.objects.get(product=product)
    return (proposal.status, product.is_approved, summary.is_buyable)


def history(proposal):
    return list(
        ProposalEvent.objects.filter(proposal=proposal)
        .order_by("id")
        .values_list("from_status", "to_status", "actor__email", "reason")
    )


def test_a_new_proposal_waits_and_buyers_cannot_see_or_buy_it(leaf, client):
    outcome = propose(leaf)
    product = outcome.product

    # Listings and search show only buyable listing rows (the storefront tests browse them).
    assert state(outcome.proposal) == (Status.PENDING, False, False)
    assert ProductOfferSummary.objects.filter(is_buyable=True).count() == 0
    assert client.get(f"/p/{product.public_id}/").status_code == 404
    with pytest.raises(NotFound):
        get_buyable_offer(public_id=outcome.offers[0].public_id)


def test_approval_shows_the_product_to_buyers(leaf, operator, client):
    outcome = propose(leaf)

    approve_proposal(operator=operator, proposal_id=outcome.proposal.id)

    assert state(outcome.proposal) == (Status.APPROVED, True, True)
    assert client.get(f"/p/{outcome.product.public_id}/").status_code == 200
    assert history(outcome.proposal) == [
        ("", "pending", None, ""),
        ("pending", "approved", "operator@example.com", ""),
    ]
    outcome.proposal.refresh_from_db()
    assert outcome.proposal.decided_by == operator


def test_rejection_keeps_the_product_hidden_and_tells_the_seller_why(leaf, operator, client):
    outcome = propose(leaf)

    reject_proposal(
        operator=operator, proposal_id=outcome.proposal.id, reason="  Photos  show another item "
    )

    assert state(outcome.proposal) == (Status.REJECTED, False, False)
    assert outcome.proposal.rejection_reason == "Photos show another item"
    assert client.get(f"/p/{outcome.product.public_id}/").status_code == 404
    assert history(outcome.proposal)[-1] == (
        "pending",
        "rejected",
        "operator@example.com",
        "Photos show another item",
    )


def test_the_author_fixes_and_resubmits_a_rejected_product(leaf, operator):
    seller = make_seller()
    outcome = propose(leaf, seller=seller)
    reject_proposal(operator=operator, proposal_id=outcome.proposal.id, reason="Name in caps")
    update_seller_product(
        seller=seller,
        public_id=outcome.product.public_id,
        name_ru="Шланг садовый",
        name_en="Garden hose, 20 m",
        description_ru="",
        description_en="",
        brand="",
    )

    resubmit_proposal(seller=seller, public_id=outcome.product.public_id, actor=None)

    assert state(outcome.proposal) == (Status.PENDING, False, False)
    assert [row[:2] for row in history(outcome.proposal)] == [
        ("", "pending"),
        ("pending", "rejected"),
        ("rejected", "pending"),
    ]


@pytest.mark.parametrize(
    ("decide_first", "then"),
    [
        ("approve", "approve"),
        ("approve", "reject"),
        ("reject", "approve"),
        ("reject", "reject"),
    ],
)
def test_a_decided_proposal_cannot_be_decided_again(leaf, operator, decide_first, then):
    outcome = propose(leaf)
    decide = {
        "approve": lambda: approve_proposal(operator=operator, proposal_id=outcome.proposal.id),
        "reject": lambda: reject_proposal(
            operator=operator, proposal_id=outcome.proposal.id, reason="No"
        ),
    }
    decide[decide_first]()
    before = (state(outcome.proposal), history(outcome.proposal))

    with pytest.raises(ValidationFailed) as error:
        decide[then]()

    assert error.value.code == "invalid_transition"
    assert (state(outcome.proposal), history(outcome.proposal)) == before


@pytest.mark.parametrize("decision", ["pending", "approved"])
def test_only_a_rejected_product_can_be_resubmitted(leaf, operator, decision):
    seller = make_seller()
    outcome = propose(leaf, seller=seller)
    if decision == "approved":
        approve_proposal(operator=operator, proposal_id=outcome.proposal.id)
    before = (state(outcome.proposal), history(outcome.proposal))

    with pytest.raises(InvalidTransition):
        resubmit_proposal(seller=seller, public_id=outcome.product.public_id, actor=None)

    assert (state(outcome.proposal), history(outcome.proposal)) == before


def test_another_seller_cannot_resubmit_a_proposal(leaf, operator):
    outcome = propose(leaf)
    reject_proposal(operator=operator, proposal_id=outcome.proposal.id, reason="No")

    with pytest.raises(NotFound):
        resubmit_proposal(seller=make_seller(), public_id=outcome.product.public_id, actor=None)

    assert state(outcome.proposal) == (Status.REJECTED, False, False)


def test_only_operator_staff_moderate(leaf):
    outcome = propose(leaf)
    buyer = make_user()

    with pytest.raises(PermissionDenied):
        approve_proposal(operator=buyer, proposal_id=outcome.proposal.id)
    with pytest.raises(PermissionDenied):
        reject_proposal(operator=buyer, proposal_id=outcome.proposal.id, reason="No")

    assert state(outcome.proposal) == (Status.PENDING, False, False)
    assert len(history(outcome.proposal)) == 1


@pytest.mark.parametrize(
    ("reason", "code"),
    [("", "reason_required"), ("  \n ", "reason_required"), ("x" * 501, "reason_too_long")],
)
def test_a_rejection_needs_a_reason(leaf, operator, reason, code):
    outcome = propose(leaf)

    with pytest.raises(ValidationFailed) as error:
        reject_proposal(operator=operator, proposal_id=outcome.proposal.id, reason=reason)

    assert error.value.code == code
    assert state(outcome.proposal) == (Status.PENDING, False, False)


def test_bulk_approval_approves_every_ticked_proposal(leaf, operator):
    first, second, untouched = propose(leaf), propose(leaf), propose(leaf)

    count = approve_proposals(
        operator=operator, proposal_ids=[second.proposal.id, first.proposal.id]
    )

    assert count == 2
    assert [state(o.proposal)[0] for o in (first, second, untouched)] == [
        Status.APPROVED,
        Status.APPROVED,
        Status.PENDING,
    ]


def test_bulk_rejection_gives_each_the_reason(leaf, operator):
    first, second = propose(leaf), propose(leaf)

    reject_proposals(
        operator=operator,
        proposal_ids=[first.proposal.id, second.proposal.id],
        reason="Not allowed on the marketplace",
    )

    for outcome in (first, second):
        assert state(outcome.proposal) == (Status.REJECTED, False, False)
        assert outcome.proposal.rejection_reason == "Not allowed on the marketplace"


def test_a_batch_with_one_decided_proposal_changes_nothing(leaf, operator):
    decided, waiting = propose(leaf), propose(leaf)
    reject_proposal(operator=operator, proposal_id=decided.proposal.id, reason="No")

    with pytest.raises(ValidationFailed) as error:
        approve_proposals(
            operator=operator, proposal_ids=[waiting.proposal.id, decided.proposal.id]
        )

    assert error.value.code == "invalid_transition"
    assert state(waiting.proposal) == (Status.PENDING, False, False)
    assert state(decided.proposal) == (Status.REJECTED, False, False)


def test_a_batch_with_an_unknown_proposal_changes_nothing(leaf, operator):
    waiting = propose(leaf)

    with pytest.raises(NotFound):
        approve_proposals(operator=operator, proposal_ids=[waiting.proposal.id, 999_999])

    assert state(waiting.proposal) == (Status.PENDING, False, False)


def test_the_queue_lists_waiting_proposals_first_oldest_first(leaf, operator):
    oldest, rejected, newest = propose(leaf), propose(leaf), propose(leaf)
    reject_proposal(operator=operator, proposal_id=rejected.proposal.id, reason="No")

    everything = list(list_moderation_queue(show=QueueFilter.ALL))
    waiting = list(list_moderation_queue())

    assert everything == [oldest.proposal, newest.proposal, rejected.proposal]
    assert waiting == [oldest.proposal, newest.proposal]
    assert count_moderation_queue() == QueueCounts(pending=2, rejected=1, approved=0)


def test_approving_makes_the_offer_buyable_and_publishes_the_change(
    leaf, operator, monkeypatch, django_capture_on_commit_callbacks
):
    outcome = propose(leaf)
    project(outcome.product)
    announced = []
    monkeypatch.setattr("caravan.search.projection.publish", announced.append)

    with django_capture_on_commit_callbacks(execute=True):
        approve_proposal(operator=operator, proposal_id=outcome.proposal.id)

    assert get_buyable_offer(public_id=outcome.offers[0].public_id) == outcome.offers[0]
    assert ProductOfferSummary.objects.get(product=outcome.product).is_buyable is True
    assert [(e.product_public_id, e.listing_changed) for e in announced] == [
        (outcome.product.public_id, True)
    ]
