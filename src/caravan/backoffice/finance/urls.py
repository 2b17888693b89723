"""The finance area's URLs, included under /backoffice/finance/ in the back office's
namespace."""

from django.urls import path

from . import commissions, orders, overview, payouts, queues

urlpatterns = [
    path("", overview.finance_overview, name="finance"),
    path("fx/", overview.finance_fx, name="finance_fx"),
    path("orders/", orders.finance_order_find, name="finance_order_find"),
    path("orders/<str:public_id>/", orders.finance_order, name="finance_order"),
    path(
        "orders/<str:public_id>/refund/", orders.finance_order_refund, name="finance_order_refund"
    ),
    path("refunds/", queues.finance_refunds, name="finance_refunds"),
    path(
        "refunds/<str:public_id>/retry/", queues.finance_refund_retry, name="finance_refund_retry"
    ),
    path("anomalies/", queues.finance_anomalies, name="finance_anomalies"),
    path(
        "anomalies/<int:anomaly_id>/resolve/",
        queues.finance_anomaly_resolve,
        name="finance_anomaly_resolve",
    ),
    path("anomalies/reconcile/", queues.finance_reconcile, name="finance_reconcile"),
    path("payouts/", payouts.finance_payouts, name="finance_payouts"),
    path("payouts/run/", payouts.finance_payouts_run, name="finance_payouts_run"),
    path("payouts/import/", payouts.finance_payouts_import, name="finance_payouts_import"),
    path(
        "payouts/batches/<int:batch_id>/file/",
        payouts.finance_batch_file,
        name="finance_batch_file",
    ),
    path(
        "payouts/<str:public_id>/settle/",
        payouts.finance_payout_settle,
        name="finance_payout_settle",
    ),
    path("payouts/<str:public_id>/fail/", payouts.finance_payout_fail, name="finance_payout_fail"),
    path("commissions/", commissions.finance_commissions, name="finance_commissions"),
    path(
        "commissions/<int:rule_id>/",
        commissions.finance_commission_edit,
        name="finance_commission_edit",
    ),
    path(
        "commissions/<int:rule_id>/toggle/",
        commissions.finance_commission_toggle,
        name="finance_commission_toggle",
    ),
]
