"""`/embed/carte/`: the map of organisations, light, for a partner's site to show in a frame
(directory.browser_policy.frame_embeddable); same filters as `/carte/` (`kind`, `quartier`,
`reseau`...), every link opening full Cartess in a new tab."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cartography.selectors import map_config_get
from directory.browser_policy import frame_embeddable
from directory.filters import OrganisationFilterForm


@require_safe
@frame_embeddable
def embed_map(request: HttpRequest) -> HttpResponse:
    """The embeddable map: points (or clusters) of the organisations the query selects, and
    the same list as text. An invalid filter is said in French, with a 400."""
    form = OrganisationFilterForm(request.GET)
    valid = form.is_valid()
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    context = {
        "form": form,
        "map_config": map_config_get(),
        "api_url": reverse("api:organisations") + query,
        "full_url": request.build_absolute_uri(reverse("cartography:map") + query),
        "detail_url": request.build_absolute_uri(
            reverse("directory:organisation", kwargs={"slug": "__slug__"})
        ),
    }
    return render(request, "embed/carte.html", context, status=200 if valid else 400)
