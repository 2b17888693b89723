"""Shipping profiles: where the shop ships from, its working calendar, zones, methods and
rate tables. Everything is fetched scoped to the seller: another shop's ids are 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.shipping.models import ProfileMethod, ShippingProfile, ShippingZone, ZoneRate
from caravan.shipping.profile_selectors import (
    get_seller_method,
    get_seller_profile,
    get_seller_zone,
    list_seller_profiles,
)
from caravan.shipping.profile_services import (
    remove_rate,
    save_method,
    save_profile,
    save_zone,
    set_rate,
)
from caravan.shipping.quotes import COUNTRY_TIMEZONES

from ..access import Permission, SellerRequest, seller_view
from ..shipping_forms import WEEKDAYS, MethodForm, ProfileForm, RateForm, ZoneForm

SECTION = "shipping_profiles"


def _data(request: SellerRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(
    request: SellerRequest, *, form: forms.Form, title: str, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "seller_portal/shipping_profiles/form.html",
        {"section": SECTION, "form": form, "title": title, "intro": intro},
        status=400 if form.errors else 200,
    )


def _saved(request: SellerRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("seller_portal:shipping_profiles")


@dataclass(frozen=True)
class MethodRows:
    method: ProfileMethod
    rows: list[tuple[ShippingZone, ZoneRate | None]]  # every zone of the profile, in order


@dataclass(frozen=True)
class ProfilePage:
    profile: ShippingProfile
    weekdays_off: list[str]
    methods: list[MethodRows]


def _page(profile: ShippingProfile) -> ProfilePage:
    names = dict(WEEKDAYS)
    zones = list(profile.zones.all())
    methods = []
    for method in profile.methods.all():
        rates = {rate.zone_id: rate for rate in method.rates.all()}
        methods.append(MethodRows(method, [(zone, rates.get(zone.id)) for zone in zones]))
    return ProfilePage(profile, [str(names[day]) for day in profile.weekdays_off], methods)


@seller_view(Permission.MANAGE_OFFERS)
def profile_list(request: SellerRequest) -> HttpResponse:
    profiles = list_seller_profiles(seller=request.seller_access.seller)
    return render(
        request,
        "seller_portal/shipping_profiles/list.html",
        {"section": SECTION, "pages": [_page(profile) for profile in profiles]},
    )


def _profile_page(request: SellerRequest, *, profile_id: int | None) -> HttpResponse:
    seller = request.seller_access.seller
    initial: dict[str, Any] = {
        "warehouse_country": seller.country,
        "warehouse_timezone": COUNTRY_TIMEZONES.get(seller.country, "UTC"),
        "handling_days": 1,
        "weekdays_off": [5, 6],
    }
    if profile_id is not None:
        profile = get_seller_profile(seller=seller, id=profile_id)
        initial = {
            "name": profile.name,
            "warehouse_country": profile.warehouse_country,
            "warehouse_city": profile.warehouse_city,
            "warehouse_timezone": profile.warehouse_timezone,
            "handling_days": profile.handling_days,
            "weekdays_off": profile.weekdays_off,
            "holidays": "\n".join(
                f"{day.date.isoformat()} {day.note}".strip() for day in profile.holidays.all()
            ),
        }
    form = ProfileForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(seller=seller, profile_id=profile_id, **form.cleaned_data)
        except ValidationFailed as error:
            form.add_service_error(error)
        else:
            return _saved(request, _("Shipping profile saved."))
    title = _("Add shipping profile") if profile_id is None else _("Edit shipping profile")
    return _form_page(request, form=form, title=title)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def profile_new(request: SellerRequest) -> HttpResponse:
    return _profile_page(request, profile_id=None)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def profile_edit(request: SellerRequest, profile_id: int) -> HttpResponse:
    return _profile_page(request, profile_id=profile_id)


def _zone_page(request: SellerRequest, *, profile_id: int, zone_id: int | None) -> HttpResponse:
    seller = request.seller_access.seller
    profile = get_seller_profile(seller=seller, id=profile_id)
    initial: dict[str, Any] = {}
    if zone_id is not None:
        zone = get_seller_zone(seller=seller, id=zone_id)
        initial = {
            "name": zone.name,
            "countries": ", ".join(zone.countries),
            "regions": ", ".join(zone.regions),
            "is_rest_of_world": zone.is_rest_of_world,
        }
    form = ZoneForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_zone(seller=seller, profile_id=profile.id, zone_id=zone_id, **form.cleaned_data)
        except ValidationFailed as error:
            form.add_service_error(error)
        else:
            return _saved(request, _("Shipping zone saved."))
    title = _("Add shipping zone") if zone_id is None else _("Edit shipping zone")
    return _form_page(request, form=form, title=title, intro=profile.name)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def zone_new(request: SellerRequest, profile_id: int) -> HttpResponse:
    return _zone_page(request, profile_id=profile_id, zone_id=None)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def zone_edit(request: SellerRequest, zone_id: int) -> HttpResponse:
    zone = get_seller_zone(seller=request.seller_access.seller, id=zone_id)
    return _zone_page(request, profile_id=zone.profile_id, zone_id=zone.id)


def _method_page(request: SellerRequest, *, profile_id: int, method_id: int | None) -> HttpResponse:
    seller = request.seller_access.seller
    profile = get_seller_profile(seller=seller, id=profile_id)
    initial: dict[str, Any] = {"is_active": True}
    if method_id is not None:
        method = get_seller_method(seller=seller, id=method_id)
        initial = {
            "name_ru": method.name_ru,
            "name_en": method.name_en,
            "carrier": method.carrier,
            "service_level": method.service_level,
            "basis": method.basis,
            "volumetric_divisor": method.volumetric_divisor,
            "free_threshold": method.free_threshold_amount,
            "is_active": method.is_active,
        }
    form = MethodForm(_data(request), initial=initial, currency=seller.currency)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        threshold = values.pop("free_threshold")
        try:
            save_method(
                seller=seller,
                profile_id=profile.id,
                method_id=method_id,
                free_threshold=None if threshold is None else Money(threshold, seller.currency),
                **values,
            )
        except ValidationFailed as error:
            form.add_service_error(error)
        else:
            return _saved(request, _("Delivery method saved."))
    title = _("Add delivery method") if method_id is None else _("Edit delivery method")
    return _form_page(request, form=form, title=title, intro=profile.name)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def method_new(request: SellerRequest, profile_id: int) -> HttpResponse:
    return _method_page(request, profile_id=profile_id, method_id=None)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def method_edit(request: SellerRequest, method_id: int) -> HttpResponse:
    method = get_seller_method(seller=request.seller_access.seller, id=method_id)
    return _method_page(request, profile_id=method.profile_id, method_id=method.id)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def rate_edit(request: SellerRequest, method_id: int, zone_id: int) -> HttpResponse:
    seller = request.seller_access.seller
    method = get_seller_method(seller=seller, id=method_id)
    zone = get_seller_zone(seller=seller, id=zone_id)
    current = ZoneRate.objects.filter(method=method, zone=zone).first()
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "transit_days_min": current.transit_days_min,
            "transit_days_max": current.transit_days_max,
            "bands": "\n".join(
                f"{'*' if band.up_to_grams is None else band.up_to_grams} {band.price_amount}"
                for band in current.bands.order_by(F("up_to_grams").asc(nulls_last=True))
            ),
        }
    form = RateForm(_data(request), initial=initial, currency=seller.currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["bands"]:
                set_rate(seller=seller, method_id=method.id, zone_id=zone.id, **data)
            else:
                remove_rate(seller=seller, method_id=method.id, zone_id=zone.id)
        except ValidationFailed as error:
            form.add_service_error(error)
        else:
            return _saved(request, _("Rates saved."))
    return _form_page(
        request,
        form=form,
        title=_("Rates: %(method)s to %(zone)s") % {"method": method.name, "zone": zone.name},
        intro=_("Prices in %(currency)s.") % {"currency": seller.currency},
    )
