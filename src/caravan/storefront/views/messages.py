"""The signed-in user's mailbox (every message Caravan sent them, as it was sent), their
choice of messages, and the unsubscribe link that works without signing in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from caravan.kernel.errors import NotFound
from caravan.notifications.kinds import KINDS, OPTIONAL
from caravan.notifications.selectors import get_mailbox_message, get_preference, list_mailbox
from caravan.notifications.services import unsubscribe, update_preferences
from caravan.notifications.tokens import user_id_from_token

from ..forms import parse_page
from .common import buyer

MESSAGES_PER_PAGE = 25


@login_required
@require_GET
def mailbox(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(list_mailbox(user=buyer(request)), MESSAGES_PER_PAGE)
    page = paginator.get_page(parse_page(request.GET.get("page")))
    return render(
        request,
        "storefront/messages/mailbox.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "mail": page.object_list,
        },
    )


@login_required
@require_GET
def message_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        message = get_mailbox_message(user=buyer(request), public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "storefront/messages/message.html", {"message": message})


@login_required
@require_GET
def message_html(request: HttpRequest, public_id: str) -> HttpResponse:
    """The mail's HTML part as sent, shown in a sandboxed frame of the message page."""
    try:
        message = get_mailbox_message(user=buyer(request), public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if not message.body_html:
        raise Http404("no HTML part")
    response = HttpResponse(message.body_html, content_type="text/html; charset=utf-8")
    # The frame may show this page; its links open in a new tab, and no script runs in it.
    response["Content-Security-Policy"] = (
        "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
        "style-src 'unsafe-inline'; img-src 'self'"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _optional_choices() -> list[tuple[str, str]]:
    return [(code, str(KINDS[code].label)) for code in sorted(OPTIONAL)]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of messages"),
        required=False,
        choices=[("", gettext_lazy("The site's language"))],
    )
    optional = forms.MultipleChoiceField(
        label=gettext_lazy("Optional messages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sms_enabled = forms.BooleanField(
        label=gettext_lazy("Text messages when a parcel ships"), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("The site's language")), *settings.LANGUAGES]
        optional = self.fields["optional"]
        assert isinstance(optional, forms.MultipleChoiceField)
        optional.choices = _optional_choices()


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = buyer(request)
    current = get_preference(user=user)
    initial = {
        "language": current.language,
        "optional": sorted(OPTIONAL - set(current.muted_kinds)),
        "sms_enabled": current.sms_enabled,
    }
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        update_preferences(
            user=user,
            language=form.cleaned_data["language"],
            optional_kinds_on=form.cleaned_data["optional"],
            sms_enabled=form.cleaned_data["sms_enabled"],
        )
        messages.success(request, _("Your choice of messages is saved."))
        return redirect("storefront:message_preferences")
    required = [kind for kind in KINDS.values() if not kind.optional]
    return render(
        request, "storefront/messages/preferences.html", {"form": form, "required": required}
    )


# The token is the credential (a mail client's one-click POST carries no CSRF cookie).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners only GET); POST unsubscribes."""
    user_id = user_id_from_token(token)
    if user_id is None:
        return render(
            request, "storefront/messages/unsubscribe.html", {"invalid": True}, status=404
        )
    done = False
    if request.method == "POST":
        try:
            unsubscribe(user_id=user_id)
        except NotFound as error:
            raise Http404(error.message) from error
        done = True
    return render(
        request,
        "storefront/messages/unsubscribe.html",
        {"done": done, "token": token, "optional": [KINDS[code] for code in sorted(OPTIONAL)]},
    )
