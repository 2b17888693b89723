"""The synonym and hypernym table search expands queries with (search.synonyms): the list
with a filter, a new row, a row's edit and its deletion. A change reaches searches at once
and cached search pages within their time to live."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from caravan.kernel.errors import DomainError, NotFound
from caravan.search.models import SearchSynonym
from caravan.search.synonyms import (
    create_synonym,
    delete_synonym,
    get_synonym,
    list_synonyms,
    update_synonym,
)

from .access import operator_required

PER_PAGE = 50
# The service's error codes and the field each belongs to.
ERROR_FIELDS = {"synonym_relation": "relation"}


class SynonymForm(forms.Form):
    word = forms.CharField(
        label=gettext_lazy("Word"),
        max_length=64,
        help_text=gettext_lazy("One word, as buyers type it: TWS, кеды."),
    )
    relation = forms.ChoiceField(
        label=gettext_lazy("Relation"), choices=SearchSynonym.Relation.choices
    )
    other = forms.CharField(
        label=gettext_lazy("Other word"),
        max_length=64,
        help_text=gettext_lazy(
            "“Means the same as” works both ways; for “is a kind of”, a search for this word "
            "also finds the first."
        ),
    )


def _save(form: SynonymForm, synonym_id: int | None) -> bool:
    data = form.cleaned_data
    fields = {"word": data["word"], "relation": data["relation"], "other": data["other"]}
    try:
        if synonym_id is None:
            create_synonym(**fields)
        else:
            update_synonym(synonym_id=synonym_id, **fields)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        form.add_error(ERROR_FIELDS.get(error.code), error.message)
        return False
    return True


@require_http_methods(["GET", "POST"])
@operator_required
def synonyms(request: HttpRequest) -> HttpResponse:
    form = SynonymForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _save(form, None):
        messages.success(request, _("Synonym added."))
        return redirect("backoffice:search_synonyms")
    text = request.GET.get("q", "")[:64]
    page = Paginator(list_synonyms(text=text), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/search/synonyms.html",
        {"page": page, "text": text, "form": form},
        status=400 if form.errors else 200,
    )


def _synonym(synonym_id: int) -> SearchSynonym:
    try:
        return get_synonym(synonym_id=synonym_id)
    except NotFound as error:
        raise Http404(error.message) from error


@require_http_methods(["GET", "POST"])
@operator_required
def synonym_edit(request: HttpRequest, synonym_id: int) -> HttpResponse:
    synonym = _synonym(synonym_id)
    initial: dict[str, Any] = {
        "word": synonym.word,
        "relation": synonym.relation,
        "other": synonym.other,
    }
    form = SynonymForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(form, synonym.id):
        messages.success(request, _("Synonym saved."))
        return redirect("backoffice:search_synonyms")
    return render(
        request,
        "backoffice/search/synonym_edit.html",
        {"synonym": synonym, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@operator_required
def synonym_delete(request: HttpRequest, synonym_id: int) -> HttpResponse:
    try:
        delete_synonym(synonym_id=synonym_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, _("Synonym deleted."))
    return redirect("backoffice:search_synonyms")
