"""A saved search's criteria: the page's own query string, validated by the page's own form,
and the funding schemes they match today. Reads only.

The criteria are stored as a normalised query string (`criteria_clean`): the form's fields
only, empty values dropped, sorted, without the date a shared link may fix or a page number.
A pathway's typed address is stored with the point it was placed at, so that a digest never
asks the address service.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from directory.models import FundingScheme, SavedSearch, SavedSearchPage
from directory.pathway.forms import (
    WHERE_ADDRESS,
    FundingFilterForm,
    PathwayForm,
    pathway_form_is_placed,
)
from directory.pathway.selectors import pathway_get
from directory.selectors.funding import funding_scheme_list

logger = logging.getLogger(__name__)

#: The page of each kind of saved search (URL names).
PAGE_URL_NAMES = {
    SavedSearchPage.PATHWAY: "directory:pathway",
    SavedSearchPage.FUNDING: "directory:funding-schemes",
}
#: Query parameters a saved search never keeps: a fixed date, a page number.
DROPPED = frozenset({"date", "page"})


def _form(*, page: str, query: str) -> PathwayForm | FundingFilterForm:
    data = QueryDict(query)
    if page == SavedSearchPage.PATHWAY:
        return PathwayForm(data)
    return FundingFilterForm(data)


def _is_valid(form: PathwayForm | FundingFilterForm) -> bool:
    if isinstance(form, PathwayForm):
        return pathway_form_is_placed(form)
    return form.is_valid()


def criteria_clean(*, page: str, query: str) -> str:
    """`query` (a query string of `page`) validated by the page's form and normalised.

    Raises ValidationError (in French, naming each wrong answer) when the page's form refuses
    it, or when a pathway has no stage (it has no results to follow). May ask the address
    service once, as the pathway page does, for a typed address the browser did not place.
    """
    if page not in SavedSearchPage.values:
        raise ValidationError(_("Cette page ne peut pas être suivie."))
    form = _form(page=page, query=query)
    if not _is_valid(form):
        raise ValidationError(
            _("Ces critères de recherche ne sont pas valides : %(errors)s"),
            params={"errors": form.error_text().replace("\n", " ; ")},
        )
    kept = QueryDict(mutable=True)
    for name, values in form.data.lists():
        if name in form.fields and name not in DROPPED:
            kept.setlist(name, [value.strip() for value in values if value.strip()])
    if page == SavedSearchPage.PATHWAY and form.cleaned_data["where"] == WHERE_ADDRESS:
        for name in ("address", "lat", "lon"):
            kept.setlist(name, [str(form.cleaned_data[name])])
    pairs = sorted((name, value) for name, values in kept.lists() for value in values)
    return urlencode(pairs)


def criteria_path(*, page: str, query: str) -> str:
    """The path of `page` (a SavedSearchPage) showing the results of `query`."""
    path = reverse(PAGE_URL_NAMES[page])
    return f"{path}?{query}" if query else path


def criteria_url(*, saved_search: SavedSearch) -> str:
    """The absolute URL of the page showing `saved_search`'s results today (e-mails)."""
    return settings.CARTESS_SITE_URL + criteria_path(
        page=saved_search.page, query=saved_search.query
    )


def saved_search_schemes_get(*, saved_search: SavedSearch, today: date) -> list[FundingScheme]:
    """The published funding schemes `saved_search`'s page shows for its criteria on `today`.

    For a pathway: the schemes that fit now and those that fit but open later (`soon`); for
    the funding landscape: its filtered list. Criteria the page no longer accepts (a
    category since removed) match nothing, and are logged.
    """
    form = _form(page=saved_search.page, query=saved_search.query)
    if not form.is_valid() or (isinstance(form, PathwayForm) and form.unplaced_address()):
        logger.warning("Saved search %s: its criteria are no longer valid", saved_search.pk)
        return []
    if isinstance(form, FundingFilterForm):
        return list(funding_scheme_list(filters=form.filters(today=today)))
    pathway = pathway_get(project=form.project(), today=today)
    pks = [match.offer.pk for match in (*pathway.schemes, *pathway.soon)]
    schemes = FundingScheme.objects.in_bulk(pks)
    return [schemes[pk] for pk in pks if pk in schemes]
