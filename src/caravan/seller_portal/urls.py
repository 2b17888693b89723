from django.urls import path

from .views import apply, bulk, dashboard, delivery, offers, orders, products, staff, store

app_name = "seller_portal"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:public_id>/", orders.order_detail, name="order"),
    path("offers/", offers.offer_list, name="offers"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<str:public_id>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<str:public_id>/inline/", offers.offer_inline_update, name="offer_inline"),
    path("products/", products.product_list, name="products"),
    path("products/new/", products.product_new, name="product_new"),
    path("products/<str:public_id>/edit/", products.product_edit, name="product_edit"),
    path("imports/", bulk.bulk_home, name="bulk"),
    path("imports/export/", bulk.bulk_export, name="bulk_export"),
    path("imports/template/", bulk.bulk_template, name="bulk_template"),
    path("imports/<str:public_id>/", bulk.bulk_preview, name="bulk_preview"),
    path("imports/<str:public_id>/apply/", bulk.bulk_apply, name="bulk_apply"),
    path("imports/<str:public_id>/discard/", bulk.bulk_discard, name="bulk_discard"),
    path("apply/", apply.apply, name="apply"),
    path(
        "apply/documents/<str:public_id>/remove/",
        apply.apply_document_remove,
        name="apply_document_remove",
    ),
    path("invitations/<str:token>/", apply.invitation, name="invitation"),
    path("staff/", staff.staff, name="staff"),
    path("staff/<int:membership_id>/role/", staff.member_role, name="member_role"),
    path("staff/<int:membership_id>/remove/", staff.member_remove, name="member_remove"),
    path(
        "staff/invitations/<str:public_id>/revoke/",
        staff.invitation_revoke,
        name="invitation_revoke",
    ),
    path("store/", store.store_profile, name="store_profile"),
    path("payout/", store.payout, name="payout"),
    path("delivery/", delivery.delivery_list, name="delivery"),
    path("delivery/new/", delivery.delivery_new, name="delivery_new"),
    path("delivery/<int:method_id>/edit/", delivery.delivery_edit, name="delivery_edit"),
    path("delivery/<int:method_id>/toggle/", delivery.delivery_toggle, name="delivery_toggle"),
]
