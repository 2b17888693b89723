"""Who may do what in the seller portal: one helper resolves the seller behind every view.

Roles map to a small set of permissions. Views declare the permission they need with
`@seller_view(...)`; the decorator resolves the membership, refuses with a friendly 403 page
and turns a selector's NotFound (another seller's object) into a 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from caravan.kernel.errors import NotFound
from caravan.sellers.models import Membership, Seller
from caravan.sellers.selectors import get_membership


class Permission:
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_ORDERS = "view_orders"
    SHIP_ORDERS = "ship_orders"
    MANAGE_OFFERS = "manage_offers"
    MANAGE_PRODUCTS = "manage_products"
    MANAGE_STAFF = "manage_staff"
    MANAGE_PAYOUT = "manage_payout"
    MANAGE_PROFILE = "manage_profile"
    # Balances, the statement of every ledger entry and the payouts: the shop's money.
    VIEW_FINANCE = "view_finance"


_EVERYTHING = frozenset(
    {
        Permission.VIEW_DASHBOARD,
        Permission.VIEW_ORDERS,
        Permission.SHIP_ORDERS,
        Permission.MANAGE_OFFERS,
        Permission.MANAGE_PRODUCTS,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Membership.Role.OWNER: _EVERYTHING
    | {
        Permission.MANAGE_STAFF,
        Permission.MANAGE_PAYOUT,
        Permission.MANAGE_PROFILE,
        Permission.VIEW_FINANCE,
    },
    # A manager runs the shop day to day but never sees where its money goes.
    Membership.Role.MANAGER: _EVERYTHING | {Permission.MANAGE_STAFF, Permission.MANAGE_PROFILE},
    Membership.Role.CATALOG: frozenset(
        {Permission.MANAGE_OFFERS, Permission.MANAGE_PRODUCTS, Permission.MANAGE_PROFILE}
    ),
    # Fulfilment ships parcels but never touches prices or the catalog.
    Membership.Role.FULFILMENT: frozenset({Permission.VIEW_ORDERS, Permission.SHIP_ORDERS}),
    # Finance reads figures and orders and keeps the payout account; it changes nothing else.
    Membership.Role.FINANCE: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.VIEW_ORDERS,
            Permission.MANAGE_PAYOUT,
            Permission.VIEW_FINANCE,
        }
    ),
}

# What a staff invitation offers unless the owner picks otherwise: the role that may do the
# fewest things, so a careless click never hands out the shop's money or its staff.
LEAST_PRIVILEGED_ROLE: str = min(
    ROLE_PERMISSIONS, key=lambda role: (len(ROLE_PERMISSIONS[role]), role)
)

# Where a member lands when the dashboard is not theirs, first permitted section wins.
LANDING_PAGES: tuple[tuple[str, str], ...] = (
    (Permission.VIEW_DASHBOARD, "seller_portal:dashboard"),
    (Permission.VIEW_ORDERS, "seller_portal:orders"),
    (Permission.MANAGE_OFFERS, "seller_portal:offers"),
    (Permission.MANAGE_PRODUCTS, "seller_portal:products"),
    (Permission.MANAGE_PROFILE, "seller_portal:store_profile"),
    (Permission.VIEW_FINANCE, "seller_portal:finance"),
    (Permission.MANAGE_PAYOUT, "seller_portal:payout"),
)


@dataclass(frozen=True)
class SellerAccess:
    membership: Membership
    permissions: frozenset[str]

    @property
    def seller(self) -> Seller:
        return self.membership.seller

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    # Template-friendly flags for the navigation and the action buttons.
    @property
    def can_view_dashboard(self) -> bool:
        return self.can(Permission.VIEW_DASHBOARD)

    @property
    def can_view_orders(self) -> bool:
        return self.can(Permission.VIEW_ORDERS)

    @property
    def can_ship_orders(self) -> bool:
        return self.can(Permission.SHIP_ORDERS)

    @property
    def can_manage_offers(self) -> bool:
        return self.can(Permission.MANAGE_OFFERS)

    @property
    def can_manage_products(self) -> bool:
        return self.can(Permission.MANAGE_PRODUCTS)

    @property
    def can_manage_staff(self) -> bool:
        return self.can(Permission.MANAGE_STAFF)

    @property
    def can_manage_payout(self) -> bool:
        return self.can(Permission.MANAGE_PAYOUT)

    @property
    def can_manage_profile(self) -> bool:
        return self.can(Permission.MANAGE_PROFILE)

    @property
    def can_view_finance(self) -> bool:
        return self.can(Permission.VIEW_FINANCE)

    def landing_page(self) -> str | None:
        for permission, url_name in LANDING_PAGES:
            if self.can(permission):
                return url_name
        return None


class SellerRequest(HttpRequest):
    seller_access: SellerAccess


def resolve_seller_access(*, request: HttpRequest) -> SellerAccess:
    """The one place the portal learns which seller the signed-in user acts for."""
    membership = get_membership(user=request.user)  # type: ignore[arg-type]
    return SellerAccess(
        membership=membership, permissions=ROLE_PERMISSIONS.get(membership.role, frozenset())
    )


def forbidden(request: HttpRequest, access: SellerAccess) -> HttpResponse:
    return render(
        request,
        "seller_portal/forbidden.html",
        {"seller_access": access, "landing_page": access.landing_page()},
        status=403,
    )


P = ParamSpec("P")
View = Callable[Concatenate[SellerRequest, P], HttpResponse]


def seller_view(
    permission: str | None,
) -> Callable[[View[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    def decorate(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                access = resolve_seller_access(request=request)
            except NotFound:
                return render(request, "seller_portal/not_seller.html", status=403)
            if access.seller.is_applying:
                # Not approved yet: the application is the only page of the portal.
                return redirect("seller_portal:apply")
            if permission is not None and not access.can(permission):
                return forbidden(request, access)
            seller_request: Any = request
            seller_request.seller_access = access
            try:
                return view(seller_request, *args, **kwargs)
            except NotFound as error:
                # Another seller's object looks exactly like one that does not exist.
                raise Http404(error.message) from error

        return wrapper

    return decorate
