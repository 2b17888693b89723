from django.urls import path

from .views import account, cart, catalog, checkout, currency, messages, orders, suggest, threads

app_name = "storefront"
urlpatterns = [
    path("", catalog.home, name="home"),
    path("search/", catalog.search, name="search"),
    path("search/suggest/", suggest.suggest, name="search_suggest"),
    path("c/<slug:slug>/", catalog.category, name="category"),
    path("p/<str:public_id>/", catalog.product, name="product"),
    path("p/<str:public_id>/<slug:slug>/", catalog.product, name="product_slug"),
    path("cart/", cart.cart, name="cart"),
    path("cart/add/", cart.add, name="cart_add"),
    path("cart/delivery/", cart.delivery, name="cart_delivery"),
    path("cart/lines/<int:line_id>/", cart.update_line, name="cart_line"),
    path("cart/lines/<int:line_id>/remove/", cart.remove, name="cart_remove"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("checkout/delivery/", checkout.delivery, name="checkout_delivery"),
    path("checkout/address-fields/", checkout.address_fields, name="checkout_address_fields"),
    path("currency/", currency.set_currency, name="set_currency"),
    path("language/", currency.set_language, name="set_language"),
    path("country/", currency.set_country, name="set_country"),
    path("account/login/", account.login, name="login"),
    path("account/register/", account.register, name="register"),
    path("account/register/sent/", account.register_sent, name="register_sent"),
    path(
        "account/register/confirm/<str:token>/",
        account.register_confirm,
        name="register_confirm",
    ),
    path("account/password-reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        account.PasswordResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/logout/", account.logout, name="logout"),
    path("account/messages/", messages.mailbox, name="mailbox"),
    path("account/messages/settings/", messages.preferences, name="message_preferences"),
    path("account/messages/<str:public_id>/", messages.message_detail, name="mailbox_message"),
    path("account/messages/<str:public_id>/html/", messages.message_html, name="mailbox_html"),
    path("unsubscribe/<str:token>/", messages.unsubscribe_link, name="unsubscribe"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    path("orders/<str:number>/payment-status/", orders.payment_status, name="payment_status"),
    path("orders/<str:number>/pay/", orders.pay, name="order_pay"),
    path("orders/<str:number>/start-over/", orders.start_over, name="order_start_over"),
    path(
        "orders/<str:number>/confirm/<str:seller_order>/",
        orders.confirm,
        name="confirm_delivery",
    ),
    path(
        "orders/<str:number>/messages/<str:seller_order>/",
        threads.post,
        name="order_thread_post",
    ),
    path(
        "orders/<str:number>/cancel/<str:seller_order>/",
        orders.cancel,
        name="cancel_seller_order",
    ),
]
