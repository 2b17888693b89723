"""What the operator must look at: refunds not yet through (retry a refused one), payment
anomalies and reconciliation mismatches (mark resolved, reconcile a day)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from caravan.finance.reconciliation import reconcile
from caravan.kernel.errors import DomainError, NotFound
from caravan.payments.gateways.registry import available_gateways
from caravan.payments.models import PaymentAnomaly, Refund
from caravan.payments.refunds import retry_failed_refund
from caravan.payments.services import resolve_anomaly

from ..access import operator_required
from .forms import ReconcileForm, query_without_page
from .selectors import list_anomalies, list_refund_queue

PER_PAGE = 30


@require_GET
@operator_required
def finance_refunds(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in (Refund.Status.PENDING, Refund.Status.FAILED):
        status = ""
    page = Paginator(list_refund_queue(status=status or None), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "backoffice/finance/refunds.html",
        {"page": page, "query": query_without_page(request.GET), "status": status},
    )


@require_POST
@operator_required
def finance_refund_retry(request: HttpRequest, public_id: str) -> HttpResponse:
    if not Refund.objects.filter(public_id=public_id).exists():
        raise Http404(_("Refund not found"))
    try:
        refund = retry_failed_refund(refund_public_id=public_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if refund.status == Refund.Status.SUCCEEDED:
            messages.success(request, _("Refund %(id)s went through.") % {"id": public_id})
        elif refund.status == Refund.Status.FAILED:
            messages.error(
                request,
                _("The provider refused refund %(id)s again: %(error)s")
                % {"id": public_id, "error": refund.last_error},
            )
        else:
            messages.info(request, _("Refund %(id)s is sent again.") % {"id": public_id})
    return redirect("backoffice:finance_refunds")


def _anomalies_page(
    request: HttpRequest,
    form: ReconcileForm,
    *,
    report_lines: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    resolved = request.GET.get("resolved") == "1"
    source = request.GET.get("source", "")
    if source not in PaymentAnomaly.Source.values:
        source = ""
    page = Paginator(list_anomalies(resolved=resolved, source=source or None), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "backoffice/finance/anomalies.html",
        {
            "page": page,
            "query": query_without_page(request.GET),
            "resolved": resolved,
            "source": source,
            "sources": PaymentAnomaly.Source.choices,
            "form": form,
            "report_lines": report_lines,
        },
        status=status,
    )


@require_GET
@operator_required
def finance_anomalies(request: HttpRequest) -> HttpResponse:
    return _anomalies_page(request, ReconcileForm(providers=available_gateways()))


@require_POST
@operator_required
def finance_anomaly_resolve(request: HttpRequest, anomaly_id: int) -> HttpResponse:
    try:
        resolve_anomaly(anomaly_id=anomaly_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, _("Marked resolved."))
    return redirect("backoffice:finance_anomalies")


@require_POST
@operator_required
def finance_reconcile(request: HttpRequest) -> HttpResponse:
    form = ReconcileForm(request.POST, providers=available_gateways())
    if not form.is_valid():
        return _anomalies_page(request, form, status=400)
    try:
        report = reconcile(provider=form.cleaned_data["provider"], day=form.cleaned_data["day"])
    except (DomainError, ImproperlyConfigured) as error:
        # The provider is unreachable, refused, or not configured here: nothing was flagged.
        message = error.message if isinstance(error, DomainError) else str(error)
        form.add_error(None, _("Reconciliation failed: %(error)s") % {"error": message})
        return _anomalies_page(request, form, status=502)
    messages.info(
        request,
        ngettext(
            "%(payments)d payments and %(refunds)d refunds checked: %(count)d mismatch.",
            "%(payments)d payments and %(refunds)d refunds checked: %(count)d mismatches.",
            len(report.mismatches),
        )
        % {
            "payments": report.payments_checked,
            "refunds": report.refunds_checked,
            "count": len(report.mismatches),
        },
    )
    return _anomalies_page(
        request, ReconcileForm(providers=available_gateways()), report_lines=report.mismatches
    )
