"""The shop's staff: members with their roles, pending invitations, inviting by email."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.kernel.errors import DomainError, NotFound
from caravan.sellers.selectors import list_members, list_pending_invitations
from caravan.sellers.services.staff import (
    change_member_role,
    invite_member,
    remove_member,
    revoke_invitation,
)

from ..access import Permission, SellerRequest, seller_view
from ..shop_forms import InviteForm, RoleForm
from .apply import site_url


def _page(request: SellerRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    seller = request.seller_access.seller
    return render(
        request,
        "seller_portal/staff.html",
        {
            "section": "staff",
            "members": list_members(seller=seller),
            "invitations": list_pending_invitations(seller=seller),
            "form": form,
            "role_form": RoleForm(),
            "is_owner": request.seller_access.role == "owner",
        },
        status=status,
    )


@seller_view(Permission.MANAGE_STAFF)
@require_http_methods(["GET", "POST"])
def staff(request: SellerRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, InviteForm())
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = invite_member(
                seller=request.seller_access.seller,
                actor=request.user,  # type: ignore[arg-type]
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                site_url=site_url(request),
            )
        except NotFound:
            raise
        except DomainError as error:
            form.add_error("email" if error.code != "owner_only" else "role", error.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("seller_portal:staff")
    return _page(request, form, status=400)


@seller_view(Permission.MANAGE_STAFF)
@require_POST
def member_role(request: SellerRequest, membership_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("seller_portal:staff")
    try:
        membership = change_member_role(
            seller=request.seller_access.seller,
            actor=request.user,  # type: ignore[arg-type]
            membership_id=membership_id,
            role=form.cleaned_data["role"],
        )
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": membership.get_role_display()},
        )
    return redirect("seller_portal:staff")


@seller_view(Permission.MANAGE_STAFF)
@require_POST
def member_remove(request: SellerRequest, membership_id: int) -> HttpResponse:
    try:
        remove_member(
            seller=request.seller_access.seller,
            actor=request.user,  # type: ignore[arg-type]
            membership_id=membership_id,
        )
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("seller_portal:staff")
    messages.success(request, _("Removed from the staff."))
    if membership_id == request.seller_access.membership.id:
        return redirect("storefront:home")  # the member removed themselves
    return redirect("seller_portal:staff")


@seller_view(Permission.MANAGE_STAFF)
@require_POST
def invitation_revoke(request: SellerRequest, public_id: str) -> HttpResponse:
    try:
        revoke_invitation(
            seller=request.seller_access.seller,
            actor=request.user,  # type: ignore[arg-type]
            public_id=public_id,
        )
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("seller_portal:staff")
