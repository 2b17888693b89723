"""The synonym table in Django's admin; the back office has its own page for it
(backoffice.search). Saving goes through search.synonyms, as everywhere else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from caravan.kernel.errors import ValidationFailed

from .models import SearchSynonym
from .synonyms import create_synonym, delete_synonym, update_synonym, word_lexeme


class SearchSynonymForm(forms.ModelForm):
    class Meta:
        model = SearchSynonym
        fields = ("word", "relation", "other")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("word", "other"):
            if data.get(name):
                try:
                    word_lexeme(data[name])
                except ValidationFailed as error:
                    self.add_error(name, error.message)
        return data


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    form = SearchSynonymForm
    list_display = ("word", "relation", "other", "updated_at")
    list_filter = ("relation",)
    search_fields = ("word", "other")
    ordering = ("word_lexeme", "relation", "other_lexeme")

    def save_model(self, request: HttpRequest, obj: SearchSynonym, form: Any, change: bool) -> None:
        fields = {"word": obj.word, "relation": obj.relation, "other": obj.other}
        saved = update_synonym(synonym_id=obj.pk, **fields) if change else create_synonym(**fields)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: SearchSynonym) -> None:
        delete_synonym(synonym_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for synonym_id in queryset.values_list("pk", flat=True):
            delete_synonym(synonym_id=synonym_id)
