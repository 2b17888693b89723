"""Commission rules: the list (active, and the deactivated ones on request), a new rule, a
rule's new rate, deactivate and activate. Placed orders keep the commission they froze."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.catalog.models import Category
from caravan.commissions.models import CommissionRule
from caravan.commissions.selectors import list_rules
from caravan.commissions.services import activate_rule, create_rule, deactivate_rule, update_rule
from caravan.kernel.errors import DomainError, NotFound
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from ..access import operator_required
from .forms import COMMISSION_ERROR_FIELDS, CommissionRateForm, CommissionRuleForm


def _new_rule_form(data: Any = None) -> CommissionRuleForm:
    return CommissionRuleForm(
        data,
        categories=Category.objects.order_by("slug"),
        sellers=Seller.objects.filter(status=Seller.Status.ACTIVE).order_by("name"),
    )


def _add_service_error(form: CommissionRateForm, error: DomainError) -> None:
    form.add_error(COMMISSION_ERROR_FIELDS.get(error.code), error.message)


@require_http_methods(["GET", "POST"])
@operator_required
def finance_commissions(request: HttpRequest) -> HttpResponse:
    form = _new_rule_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_rule(
                category=data["category"],
                seller=data["seller"],
                percent=data["percent"],
                minimum_fee=Money(data["minimum_fee"], data["minimum_fee_currency"]),
                note=data["note"],
            )
        except DomainError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Commission rule created."))
            return redirect("backoffice:finance_commissions")
    show_inactive = request.GET.get("inactive") == "1"
    return render(
        request,
        "backoffice/finance/commissions.html",
        {
            "rules": list_rules(include_inactive=show_inactive),
            "show_inactive": show_inactive,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _rule(rule_id: int) -> CommissionRule:
    rule = list_rules(include_inactive=True).filter(id=rule_id).first()
    if rule is None:
        raise Http404(_("Commission rule not found"))
    return rule


@require_http_methods(["GET", "POST"])
@operator_required
def finance_commission_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = _rule(rule_id)
    if request.method == "POST":
        form = CommissionRateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_rule(
                    rule_id=rule.id,
                    percent=data["percent"],
                    minimum_fee=Money(data["minimum_fee"], data["minimum_fee_currency"]),
                    note=data["note"],
                )
            except DomainError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Commission rule saved."))
                return redirect("backoffice:finance_commissions")
    else:
        form = CommissionRateForm(
            initial={
                "percent": rule.percent,
                "minimum_fee": rule.minimum_fee_amount,
                "minimum_fee_currency": rule.minimum_fee_currency,
                "note": rule.note,
            }
        )
    return render(
        request,
        "backoffice/finance/commission_edit.html",
        {"rule": rule, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@operator_required
def finance_commission_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = _rule(rule_id)
    try:
        if rule.is_active:
            deactivate_rule(rule_id=rule.id)
            messages.success(request, _("Commission rule deactivated."))
        else:
            activate_rule(rule_id=rule.id)
            messages.success(request, _("Commission rule active again."))
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("backoffice:finance_commissions")
