"""Reads of requests to actors: who receives them, the inboxes, the anonymised flows."""

from django.db.models import Count, F, Q, QuerySet

from directory.models import (
    Mobilisation,
    MobilisationKind,
    NetworkEditor,
    Organisation,
    OrganisationEditor,
    PublicationStatus,
)

#: Kinds of actor a request can be referred to (besides any place of the ESS).
REFERRAL_KINDS = ("accompagnement", "financeur", "tiers-lieu", "reseau", "collectivite")


def mobilisation_recipients_get(*, organisation: Organisation) -> list[str]:
    """The addresses a request to `organisation` is mailed to: its public contact, the
    owners of its listing (accepted claims) and the editors of its networks; sorted, once
    each. Empty: nobody could receive it."""
    owners = OrganisationEditor.objects.filter(organisation=organisation).values_list(
        "user__email", flat=True
    )
    editors = NetworkEditor.objects.filter(
        network__memberships_as_network__member=organisation
    ).values_list("user__email", flat=True)
    addresses = {organisation.email, *owners, *editors}
    return sorted(address.lower() for address in addresses if address)


def _with_context(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "organisation", "stage", "funding_scheme", "support_offer", "referred_from__organisation"
    )


def mobilisation_inbox_get(*, user, is_moderator: bool) -> QuerySet:
    """The requests `user` handles, newest first: addressed to the listings they own or to
    the members of the networks they edit; every request for a moderator."""
    queryset = Mobilisation.objects.all()
    if not is_moderator:
        queryset = queryset.filter(
            Q(organisation__own_editors__user=user)
            | Q(organisation__memberships__network__editors__user=user)
        ).distinct()
    return _with_context(queryset)


def mobilisation_network_inbox_get(*, network: Organisation) -> QuerySet:
    """The requests addressed to the members of `network`, newest first."""
    return _with_context(Mobilisation.objects.filter(organisation__memberships__network=network))


def mobilisation_referrals_get(*, mobilisation: Mobilisation) -> list[Mobilisation]:
    """The requests `mobilisation` was referred to, and theirs, in order (for the holder's
    follow page and the actor's view)."""
    found, frontier = [], [mobilisation.pk]
    while frontier:
        step = list(
            Mobilisation.objects.filter(referred_from__in=frontier)
            .select_related("organisation")
            .order_by("created_at", "pk")
        )
        found += step
        frontier = [referral.pk for referral in step]
    return found


def referral_targets_get(*, mobilisation: Mobilisation) -> QuerySet:
    """The published, open actors a request can be referred to: support organisations,
    funders, places, networks, public bodies; not the one it is addressed to."""
    return (
        Organisation.objects.filter(publication_status=PublicationStatus.PUBLISHED)
        .filter(closed_on__isnull=True)
        .filter(Q(kinds__slug__in=REFERRAL_KINDS) | ~Q(place_roles=[]))
        .exclude(pk=mobilisation.organisation_id)
        .distinct()
        .order_by("name")
        .only("pk", "name")
    )


def mobilisation_flows_get() -> dict:
    """The anonymised coordination picture (staff): who refers to whom, and how many
    requests by kind, stage and sector. Counts only: no personal data is read."""
    referrals = (
        Mobilisation.objects.filter(referred_from__isnull=False)
        .values("referred_from__organisation__name", "organisation__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "referred_from__organisation__name", "organisation__name")
    )
    received = (
        Mobilisation.objects.values("organisation__name", "kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "organisation__name")
    )
    kinds = dict(MobilisationKind.choices)
    return {
        "referrals": list(referrals),
        "received": [row | {"kind_label": kinds[row["kind"]]} for row in received],
        "by_stage": _counted("stage__name"),
        "by_sector": _counted("sector__name"),
        "total": Mobilisation.objects.count(),
    }


def _counted(field: str) -> list[dict]:
    return list(
        Mobilisation.objects.values(name=F(field))
        .annotate(count=Count("pk"))
        .order_by("-count", "name")
    )
