"""The ESS thesaurus of the search, kept by moderators: a term added to a concept is found
by the next search (directory/synonyms.py reads the table at each query)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from directory.models import SearchSynonym
from directory.synonyms import search_synonym_clean


class SearchSynonymForm(forms.ModelForm):
    """A term and its concept, checked as the search reads them (`search_synonym_clean`);
    an error names the field and keeps what was typed."""

    class Meta:
        model = SearchSynonym
        fields = ("concept", "term")
        widgets = {
            "concept": forms.TextInput(attrs={"size": 30}),
            "term": forms.TextInput(attrs={"size": 60}),
        }

    def clean(self) -> dict:
        data = super().clean()
        if "concept" in data and "term" in data:
            try:
                data["concept"], data["term"] = search_synonym_clean(
                    concept=data["concept"], term=data["term"], pk=self.instance.pk
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data

    def _post_clean(self) -> None:
        # The model's unique check on the exact text comes after ours, which compares the
        # words as the search reads them and says which concept holds them.
        if not self.errors:
            super()._post_clean()


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    form = SearchSynonymForm
    list_display = ("term", "concept")
    list_filter = ("concept",)
    search_fields = ("term", "concept")
    ordering = ("concept", "term")
