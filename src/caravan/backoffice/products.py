"""Operator pages: the moderation queue of proposed products, one proposal's full record,
approve / reject with a reason, and the same for a batch ticked in the queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from caravan.kernel.errors import DomainError, NotFound
from caravan.offers.models import ProductProposal
from caravan.offers.moderation import (
    MAX_BULK,
    MAX_REASON_LENGTH,
    QueueFilter,
    approve_proposals,
    count_moderation_queue,
    get_proposal_for_moderation,
    list_moderation_queue,
    reject_proposals,
)

from .access import operator_required

PER_PAGE = 25


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason the seller will read"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkForm(forms.Form):
    proposal = forms.TypedMultipleChoiceField(coerce=int, choices=())
    action = forms.ChoiceField(choices=(("approve", "approve"), ("reject", "reject")))
    reason = forms.CharField(max_length=MAX_REASON_LENGTH, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id may be posted; the services refuse what is not in the queue.
        ids = self.data.getlist("proposal") if hasattr(self.data, "getlist") else []
        field = self.fields["proposal"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(value, value) for value in ids[:MAX_BULK]]
        field.error_messages["required"] = _("Tick at least one product.")


def _filter_labels() -> list[tuple[str, str]]:
    return [
        (QueueFilter.PENDING, _("Waiting")),
        (QueueFilter.REJECTED, _("Rejected")),
        (QueueFilter.APPROVED, _("Approved")),
        (QueueFilter.ALL, _("All")),
    ]


@require_GET
@operator_required
def product_queue(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", QueueFilter.PENDING)
    if show not in QueueFilter.CHOICES:
        show = QueueFilter.PENDING
    page = Paginator(list_moderation_queue(show=show), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/products/queue.html",
        {
            "page": page,
            "show": show,
            "filters": _filter_labels(),
            "counts": count_moderation_queue(),
            "reject_form": RejectForm(),
        },
    )


def _proposal_or_404(public_id: str) -> ProductProposal:
    try:
        return get_proposal_for_moderation(public_id=public_id[:16])
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
@operator_required
def product_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = _proposal_or_404(public_id)
    return _detail(request, proposal=proposal, reject_form=RejectForm())


def _detail(
    request: HttpRequest,
    *,
    proposal: ProductProposal,
    reject_form: RejectForm,
    status: int = 200,
) -> HttpResponse:
    product = proposal.product
    values = list(product.attribute_values.all())
    options: dict[int, list[object]] = {}
    for value in values:
        if value.variant_id is not None:
            options.setdefault(value.variant_id, []).append(value)
    return render(
        request,
        "backoffice/products/detail.html",
        {
            "proposal": proposal,
            "product": product,
            "specs": [value for value in values if value.variant_id is None],
            "variants": [
                (variant, options.get(variant.id, [])) for variant in product.variants.all()
            ],
            "offers": list(product.offers.all()),
            "events": list(proposal.events.all()),
            "reject_form": reject_form,
        },
        status=status,
    )


@require_POST
@operator_required
def product_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = _proposal_or_404(public_id)
    try:
        approve_proposals(operator=request.user, proposal_ids=[proposal.id])  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(product)s is approved and visible to buyers.")
            % {"product": proposal.product.name},
        )
    return redirect("backoffice:product_queue")


@require_POST
@operator_required
def product_reject(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = _proposal_or_404(public_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            reject_proposals(
                operator=request.user,  # type: ignore[arg-type]
                proposal_ids=[proposal.id],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(product)s is rejected; the seller sees your reason.")
                % {"product": proposal.product.name},
            )
            return redirect("backoffice:product_queue")
    return _detail(request, proposal=proposal, reject_form=form, status=400)


@require_POST
@operator_required
def product_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    back = redirect(f"{reverse('backoffice:product_queue')}?show={QueueFilter.PENDING}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back
    ids = form.cleaned_data["proposal"]
    try:
        if form.cleaned_data["action"] == "approve":
            count = approve_proposals(operator=request.user, proposal_ids=ids)  # type: ignore[arg-type]
            messages.success(request, _("%(count)s product(s) approved.") % {"count": count})
        else:
            count = reject_proposals(
                operator=request.user,  # type: ignore[arg-type]
                proposal_ids=ids,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("%(count)s product(s) rejected.") % {"count": count})
    except DomainError as error:
        messages.error(request, _("Nothing was changed: %(error)s") % {"error": error.message})
    return back
