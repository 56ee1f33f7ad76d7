"""The one exception to the browser policy of config/settings/base.py: embed pages.

Every page refuses to be shown in another site's frame (CSP `frame-ancestors 'none'` and
`X-Frame-Options: DENY`). A page made to be embedded (a map or a listing on a partner's
site) says so with `frame_embeddable`, and nothing else relaxes that rule.
"""

from collections.abc import Callable
from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt


def frame_embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets the sites of `settings.CARTESS_EMBED_FRAME_ANCESTORS` show `view` in a frame:
    its CSP `frame-ancestors` lists them instead of `'none'`, and it sends no
    X-Frame-Options (which cannot name several sites). The rest of the policy is kept."""

    @wraps(view)
    def embeddable(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        relaxed = csp_replace({"frame-ancestors": settings.CARTESS_EMBED_FRAME_ANCESTORS})
        return xframe_options_exempt(relaxed(view))(request, *args, **kwargs)

    return embeddable
