"""Reads of the directory app (STYLE rule 2): keyword-only functions named `<entity>_<action>`.

By subject: `search` (the directory's pages, its exports, the filters' choices),
`organisations` (one organisation, the home page's figures), `networks` (a network's page
and dashboard). The names below are the ones the rest of Cartess imports from here.
"""

from directory.selectors.networks import (
    FreshnessRow,
    NetworkPage,
    network_closed_members_get,
    network_freshness_get,
    network_page_get,
)
from directory.selectors.organisations import (
    DirectorySummary,
    FactSource,
    KindCount,
    OrganisationDetail,
    database_postgis_version_get,
    directory_summary_get,
    organisation_api_get,
    organisation_detail_get,
)
from directory.selectors.search import (
    DIRECTORY_COUNT_CAP,
    DIRECTORY_PAGE_SIZE,
    EXPORT_HEADER,
    FilterChoices,
    OrganisationSearchPage,
    Origin,
    organisation_card_search,
    organisation_export_rows,
    organisation_filter_choices_get,
    organisation_search,
    organisation_sort_resolve,
)

__all__ = [
    "DIRECTORY_COUNT_CAP",
    "DIRECTORY_PAGE_SIZE",
    "EXPORT_HEADER",
    "DirectorySummary",
    "FactSource",
    "FilterChoices",
    "FreshnessRow",
    "KindCount",
    "NetworkPage",
    "OrganisationDetail",
    "OrganisationSearchPage",
    "Origin",
    "database_postgis_version_get",
    "directory_summary_get",
    "network_closed_members_get",
    "network_freshness_get",
    "network_page_get",
    "organisation_api_get",
    "organisation_card_search",
    "organisation_detail_get",
    "organisation_export_rows",
    "organisation_filter_choices_get",
    "organisation_search",
    "organisation_sort_resolve",
]
