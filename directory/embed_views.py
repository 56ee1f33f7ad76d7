"""Embeds for partners' sites: `/embed/parcours/` (the pathway, light and frameable by
directory.browser_policy.frame_embeddable) and `/reseaux/<slug>/integrer/`, where a
network's editors copy the snippet that shows its members' map (`/embed/carte/`, served by
cartography) or the pathway on their own site."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from directory.access import network_edited_or_403, signed_in_required
from directory.browser_policy import frame_embeddable
from directory.pathway.forms import PathwayForm, pathway_form_is_placed
from directory.pathway.selectors import pathway_get


@require_safe
@frame_embeddable
def embed_pathway(request: HttpRequest) -> HttpResponse:
    """The pathway's first question (the stage) and its result, for a frame: the other
    answers (sector, legal_family, where, quartier...) come from the embedding site's URL
    and are kept; every link opens full Cartess in a new tab."""
    form = PathwayForm(request.GET or None)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    context = {
        "form": form,
        "kept": [(key, value) for key, value in request.GET.lists() if key != "stage"],
        "full_url": request.build_absolute_uri(reverse("directory:pathway") + query),
    }
    if "stage" not in request.GET:
        return render(request, "embed/parcours.html", context)
    if not pathway_form_is_placed(form):
        return render(request, "embed/parcours.html", context, status=400)
    context["result"] = pathway_get(project=form.project(), today=form.today())
    return render(request, "embed/parcours.html", context)


@require_safe
@signed_in_required
def network_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """`/reseaux/<slug>/integrer/`: the iframe snippets of the network's members' map and
    of the pathway, for its editors (404 unknown network, 403 anybody else)."""
    network = network_edited_or_403(user=request.user, slug=slug)
    members_map = request.build_absolute_uri(reverse("cartography:embed-map") + f"?reseau={slug}")
    pathway = request.build_absolute_uri(reverse("directory:embed-pathway"))
    context = {
        "network": network,
        "members_map": members_map,
        "pathway": pathway,
        "frame_ancestors": settings.CARTESS_EMBED_FRAME_ANCESTORS,
    }
    return render(request, "directory/network_embed.html", context)
