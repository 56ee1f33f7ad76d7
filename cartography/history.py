"""A site's history (`/foncier/<slug>/historique/`): the directory's history pages, for sites.

The pages and "revenir à cette version" are the directory's
(directory.contributions.history_views, directory.services.history_revert). A site's history
holds staff-only facts (owner, pipeline), so it is for the city services who run /foncier/,
not for the directory's moderators; a revert keeps the site's pipeline stage
(`Premises.HISTORY_REVERT_KEEPS`).
"""

from cartography.models import Premises
from directory.access import user_is_city_staff
from directory.contributions.history_views import HistoryKind

SITE_HISTORY = HistoryKind(
    model=Premises,
    public_url="cartography:land-site",
    history_url="contributions:premises-history",
    revert_url="contributions:premises-revert",
    rule=user_is_city_staff,
)
