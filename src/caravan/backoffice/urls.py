"""Operator pages under /backoffice/. Each area keeps its own module of views and urls."""

from django.urls import include, path

from . import customs, products, search, sellers, threads, views
from .finance import urls as finance_urls

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/", products.product_queue, name="product_queue"),
    path("products/bulk/", products.product_bulk, name="product_bulk"),
    path("products/<str:public_id>/", products.product_detail, name="product_detail"),
    path("products/<str:public_id>/approve/", products.product_approve, name="product_approve"),
    path("products/<str:public_id>/reject/", products.product_reject, name="product_reject"),
    path("finance/", include(finance_urls)),
    path("orders/<str:public_id>/messages/", threads.order_thread, name="order_thread"),
    path("customs/", customs.customs_rules, name="customs_rules"),
    path("search/synonyms/", search.synonyms, name="search_synonyms"),
    path("search/synonyms/<int:synonym_id>/", search.synonym_edit, name="search_synonym_edit"),
    path(
        "search/synonyms/<int:synonym_id>/delete/",
        search.synonym_delete,
        name="search_synonym_delete",
    ),
    path("sellers/", sellers.seller_queue, name="seller_queue"),
    path("sellers/bulk/", sellers.seller_bulk, name="seller_bulk"),
    path("sellers/<str:public_id>/", sellers.seller_detail, name="seller_detail"),
    path(
        "sellers/<str:public_id>/documents/<str:document_id>/",
        sellers.seller_document,
        name="seller_document",
    ),
]
urlpatterns += [
    path(
        f"sellers/<str:public_id>/{action}/",
        sellers.seller_action,
        {"action": action},
        name=f"seller_{action}",
    )
    for action in sellers.ACTIONS
]
