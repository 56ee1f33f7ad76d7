"""Write services of the directory: organisations, funding schemes and support offers.

Every write to these models goes through a function here (STYLE rule 2). The inputs are
the frozen records of directory.records, which name taxonomy terms and reference areas by
their stable slugs and codes, so a caller (an importer's pure mapper, a form) never needs
the database to build one.
Each function validates the row it writes with `full_clean()` and raises Django's
`ValidationError` (with French messages) when the data breaks a rule of the model.
"""

import secrets
from collections.abc import Collection, Iterable
from datetime import date

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.areas import reference_areas_by_key_get
from directory.edit_credit import TEAM, EditCredit, organisation_edit_credit_note
from directory.history import REVERT_SCREEN_REASON
from directory.models import (
    FundingScheme,
    GeocodingQuality,
    LegalFamily,
    NetworkApiToken,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Sector,
    SupportOffer,
)
from directory.records import (
    FUNDING_SCHEME_PLAIN_FIELDS,
    FUNDING_SCHEME_TERMS,
    ORGANISATION_PLAIN_FIELDS,
    ORGANISATION_TERMS,
    SUPPORT_OFFER_PLAIN_FIELDS,
    SUPPORT_OFFER_TERMS,
    FundingSchemeData,
    OfferData,
    OrganisationData,
    SupportOfferData,
)
from directory.search_words import (  # search_words_refresh: re-exported for its callers
    search_words_add_on_commit,
    search_words_refresh,  # noqa: F401
)

#: Slug used when a name has no letter or digit to build one from.
FALLBACK_SLUG = "fiche"


def unique_slug(*, model: type[models.Model], name: str) -> str:
    """Return a slug for `name` that no row of `model` uses yet: "nom", "nom-2", "nom-3"...

    Reads the table; the caller's transaction should cover the insert that follows.
    """
    max_length = model._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 6].strip("-") or FALLBACK_SLUG
    taken = set(
        model.objects.filter(slug__startswith=base).values_list("slug", flat=True).iterator()
    )
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def organisation_create(
    *, data: OrganisationData, validate_constraints: bool = True
) -> Organisation:
    """Create an organisation from `data`, with a unique slug built from its name.

    Side effects: inserts the row and its kinds and sectors.
    Raises ValidationError when a value breaks a rule of the model (bad SIRET, URL...).
    With `validate_constraints=False` (the imports, row by row in a savepoint) the table's
    constraints are left to PostgreSQL, which checks them anyway: Django would check each
    one with its own query, five per row.
    """
    organisation = Organisation(slug=unique_slug(model=Organisation, name=data.name))
    _copy_fields(organisation, data, ORGANISATION_PLAIN_FIELDS)
    organisation.legal_family = _legal_family(data.legal_family)
    organisation.full_clean(validate_constraints=validate_constraints)
    # The creation's history row names the first kinds and sectors, credited as the rest.
    organisation_terms_note(
        organisation=organisation,
        terms={name: set(getattr(data, name)) for name in ORGANISATION_TERMS},
    )
    organisation.save()
    _add_terms(organisation, data, ORGANISATION_TERMS, ORGANISATION_TERMS)
    return organisation


def organisation_update(
    *,
    organisation: Organisation,
    data: OrganisationData,
    fields: Collection[str],
    validate_constraints: bool = True,
) -> Organisation:
    """Write the named `fields` of `data` onto `organisation`, and only those.

    For "kinds" and "sectors" the terms of `data` are added; none is ever removed. The
    history row of the change names the terms added (`organisation_terms_note`), so their
    credit is the source's.
    Raises ValidationError when the result breaks a rule of the model
    (`validate_constraints`: as `organisation_create`).
    """
    plain = [name for name in ORGANISATION_PLAIN_FIELDS if name in fields]
    _copy_fields(organisation, data, plain)
    if "legal_family" in fields:
        organisation.legal_family = _legal_family(data.legal_family)
        plain.append("legal_family")
    added = {
        name: set(getattr(data, name))
        for name in ORGANISATION_TERMS
        if name in fields and getattr(data, name)
    }
    noted = organisation_terms_note(organisation=organisation, terms=added, adding=True)
    if plain:
        organisation.full_clean(validate_constraints=validate_constraints)
    if plain or noted:
        organisation.save(update_fields=[*plain, "updated_at"])
    _add_terms(organisation, data, ORGANISATION_TERMS, fields)
    return organisation


def organisation_terms_note(
    *, organisation: Organisation, terms: dict[str, set[str]], adding: bool = False
) -> bool:
    """Note on `organisation` the kinds and sectors its next save changes, for that save's
    history row (`history_terms`, directory.history.fill_change_reason): `terms` maps
    "kinds"/"sectors" to the slugs it will hold (`adding`: the slugs added to those it
    has). Returns whether anything changes. Reads the current terms (a query per field;
    none for an organisation not saved yet, which has none)."""
    changes = {}
    for name, slugs in terms.items():
        old = (
            []
            if organisation._state.adding
            else sorted(term.slug for term in getattr(organisation, name).all())
        )
        new = sorted(set(old) | set(slugs)) if adding else sorted(slugs)
        if new != old:
            changes[name] = {"old": old, "new": new}
    if changes:
        organisation._history_terms = changes
    return bool(changes)


def organisation_close(*, organisation: Organisation, closed_on: date | None) -> Organisation:
    """Record that `organisation` closed on `closed_on` (None: not closed): its page stays,
    it leaves the map and the directory. An importer's write; a person's goes through
    `organisation_listing_edit`."""
    organisation.closed_on = closed_on
    organisation.save(update_fields=["closed_on", "updated_at"])
    return organisation


#: The fields of a listing a person may know and correct by hand (its owner, an editor of
#: one of its networks, a moderator): `location` is a Point or None, `kinds` and `sectors`
#: taxonomy slugs (they replace the current terms).
LISTING_FIELDS = (
    "name",
    "siret",
    "description",
    "street",
    "address_complement",
    "postcode",
    "city",
    "location",
    "website",
    "email",
    "phone",
    "closed_on",
    "kinds",
    "sectors",
)
_LISTING_TERMS = {"kinds": OrganisationKind, "sectors": Sector}


def organisation_listing_edit(
    *, organisation: Organisation, values: dict, reason: str, credit: EditCredit
) -> Organisation:
    """Correct the public fields of a listing by hand.

    `values` maps names of `LISTING_FIELDS` to new values, and only the fields it names are
    written (a field the person did not touch is not in it). A moved point is "placed by
    hand"; a SIRET given to a listing without SIREN brings its SIREN (its first 9 digits).
    "Vérifié le" is left alone: only a confirmation sets it (directory.freshness); the edit
    counts as a person's update. `reason` says from which screen the change came
    ("édition structure", "édition réseau", "suggestion n°12"...) and is kept in the
    listing's history with the person who made it; `credit` (directory.edit_credit) is who
    the map credits the correction to.

    Raises ValidationError when the result breaks a rule of the model; nothing is written.
    """
    plain = [name for name in LISTING_FIELDS if name in values and name not in _LISTING_TERMS]
    for name in plain:
        setattr(organisation, name, values[name])
    if "location" in values:
        organisation.geocoding_quality, organisation.geocoding_score = organisation_point_precision(
            location=values["location"], quality="", score=None, quality_chosen=False
        )
        plain += ["geocoding_quality", "geocoding_score"]
    if values.get("siret") and not organisation.siren:
        organisation.siren = values["siret"][:9]
        plain.append("siren")
    organisation.full_clean()
    terms = {name: set(values[name]) for name in _LISTING_TERMS if name in values}
    with transaction.atomic():
        # The history row of this save names the kinds and sectors changed, with the person.
        organisation_terms_note(organisation=organisation, terms=terms)
        for name, taxonomy in _LISTING_TERMS.items():
            if name in values:
                getattr(organisation, name).set(_terms(taxonomy, values[name], name))
        organisation._change_reason = reason
        organisation.save(update_fields=[*plain, "updated_at"])
        organisation_edit_credit_note(organisation_ids=[organisation.pk], credit=credit)
        # The search corrects typos against the words of names and presentations.
        search_words_add_on_commit(organisation_ids=[organisation.pk])
    return organisation


def funding_scheme_create(*, data: FundingSchemeData) -> FundingScheme:
    """Create a funding scheme with a unique slug, its taxonomy terms, funders and areas.

    Raises ValidationError when a value breaks a rule of the model (amount range...).
    """
    scheme = FundingScheme(slug=unique_slug(model=FundingScheme, name=data.name))
    _copy_fields(scheme, data, FUNDING_SCHEME_PLAIN_FIELDS)
    scheme.full_clean()
    scheme.save()
    _add_offer_relations(scheme, data, FUNDING_SCHEME_TERMS, None)
    return scheme


def funding_scheme_update(
    *, scheme: FundingScheme, data: FundingSchemeData, fields: Collection[str]
) -> FundingScheme:
    """Write the named `fields` of `data` onto `scheme`; many-to-many fields only gain terms.

    Raises ValidationError when the result breaks a rule of the model.
    """
    plain = [name for name in FUNDING_SCHEME_PLAIN_FIELDS if name in fields]
    _copy_fields(scheme, data, plain)
    if plain:
        scheme.full_clean()
        scheme.save(update_fields=[*plain, "updated_at"])
    _add_offer_relations(scheme, data, FUNDING_SCHEME_TERMS, fields)
    return scheme


def support_offer_create(*, data: SupportOfferData) -> SupportOffer:
    """Create a support offer with a unique slug, its kinds, stages, provider and areas.

    Raises ValidationError when a value breaks a rule of the model.
    """
    offer = SupportOffer(slug=unique_slug(model=SupportOffer, name=data.name))
    _copy_fields(offer, data, SUPPORT_OFFER_PLAIN_FIELDS)
    offer.provider_id = data.provider
    offer.full_clean()
    offer.save()
    _add_offer_relations(offer, data, SUPPORT_OFFER_TERMS, None)
    return offer


def support_offer_update(
    *, offer: SupportOffer, data: SupportOfferData, fields: Collection[str]
) -> SupportOffer:
    """Write the named `fields` of `data` onto `offer`; many-to-many fields only gain terms.

    Raises ValidationError when the result breaks a rule of the model.
    """
    plain = [name for name in SUPPORT_OFFER_PLAIN_FIELDS if name in fields]
    _copy_fields(offer, data, plain)
    if "provider" in fields:
        offer.provider_id = data.provider
        plain.append("provider")
    if plain:
        offer.full_clean()
        offer.save(update_fields=[*plain, "updated_at"])
    _add_offer_relations(offer, data, SUPPORT_OFFER_TERMS, fields)
    return offer


def network_membership_add(
    *, network: Organisation, member: Organisation, since: date | None = None
) -> NetworkMembership:
    """Record that `member` belongs to `network` (kept as it is when already recorded).

    Raises ValidationError when an organisation would be a member of itself.
    """
    if network.pk == member.pk:
        raise ValidationError(_("Un réseau ne peut pas être membre de lui-même."))
    membership, created = NetworkMembership.objects.get_or_create(
        network=network, member=member, defaults={"since": since}
    )
    if not created and since and membership.since is None:
        membership.since = since
        membership.save(update_fields=["since"])
    return membership


def organisation_point_precision(
    *, location: Point | None, quality: str, score: float | None, quality_chosen: bool
) -> tuple[str, float | None]:
    """The precision to store with a point a person has just moved or removed.

    A removed point has no precision; a moved point is "placed by hand" (no BAN score)
    unless the person chose a precision too (`quality_chosen`). Returns (quality, score).
    Pure; keeps the constraint `organisation_point_has_quality` satisfied.
    """
    if location is None:
        return "", None
    if quality_chosen:
        return quality, score
    return GeocodingQuality.MANUAL, None


def _copy_fields(instance: models.Model, data: object, names: Iterable[str]) -> None:
    for name in names:
        setattr(instance, name, getattr(data, name))


def _legal_family(slug: str) -> LegalFamily | None:
    if not slug:
        return None
    family = LegalFamily.objects.filter(slug=slug).first()
    if family is None:
        raise ValidationError(_("Famille juridique inconnue : %(slug)s.") % {"slug": slug})
    return family


def _add_terms(
    instance: models.Model,
    data: object,
    taxonomies: dict[str, type[models.Model]],
    fields: Collection[str],
) -> None:
    """Add the taxonomy terms that `data` names for each many-to-many field in `fields`."""
    for name, taxonomy in taxonomies.items():
        slugs = set(getattr(data, name))
        if name not in fields or not slugs:
            continue
        getattr(instance, name).add(*_terms(taxonomy, slugs, name))


def _terms(taxonomy: type[models.Model], slugs: Iterable[str], field: str) -> list:
    """The terms of `taxonomy` named by `slugs`; ValidationError when one is unknown."""
    slugs = set(slugs)
    terms = list(taxonomy.objects.filter(slug__in=slugs))
    unknown = slugs - {term.slug for term in terms}
    if unknown:
        raise ValidationError(
            _("Terme inconnu pour %(field)s : %(slugs)s.")
            % {"field": field, "slugs": ", ".join(sorted(unknown))}
        )
    return terms


#: The relations to other records an offer's data may carry (ids or area keys).
_OFFER_LINKS = ("funders", "co_financeable_with", "territory_areas")


def _add_offer_relations(
    offer: FundingScheme | SupportOffer,
    data: OfferData,
    taxonomies: dict[str, type[models.Model]],
    fields: Collection[str] | None,
) -> None:
    """Add terms, funders, co-financeable schemes and areas; `fields=None` means all of
    them (a new offer)."""
    names = fields if fields is not None else {*taxonomies, *_OFFER_LINKS}
    _add_terms(offer, data, taxonomies, names)
    if "funders" in names and getattr(data, "funders", ()):
        offer.funders.add(*Organisation.objects.filter(pk__in=data.funders))
    if "co_financeable_with" in names and getattr(data, "co_financeable_with", ()):
        others = FundingScheme.objects.filter(pk__in=data.co_financeable_with).exclude(pk=offer.pk)
        offer.co_financeable_with.add(*others)
    if "territory_areas" in names and data.territory_areas:
        offer.territory_areas.add(*reference_areas_by_key_get(keys=data.territory_areas))


def network_api_token_create(
    *, network: Organisation, name: str, user
) -> tuple[NetworkApiToken, str]:
    """Create an API token of `network`, named `name`, by `user`.

    Returns the token and its secret `<prefix>.<key>`: the secret is not stored (only its
    hash), so this is the only time it can be shown. Raises ValidationError for a blank or
    too long name.
    """
    prefix = secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = NetworkApiToken(
        network=network,
        name=name.strip(),
        prefix=prefix,
        hashed_key=NetworkApiToken.hash_secret(secret),
        created_by=user,
    )
    token.full_clean()
    token.save()
    return token, secret


def network_api_token_used(*, token: NetworkApiToken) -> None:
    """Record that `token` was just used (its `last_used_at`), without touching the rest."""
    NetworkApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def network_api_token_revoke(*, token: NetworkApiToken, user) -> NetworkApiToken:
    """Revoke `token` for good (it stays listed, revoked, for the record); idempotent."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def history_revert(*, record: models.Model, reason: str) -> models.Model:
    """Bring the object of the historical `record` back to that version, and save it.

    Uses django-simple-history's own way (`record.instance.save()`): a new history row is
    written, with the person of the request and the change reason "annulation : <reason>".
    Many-to-many terms (sectors, kinds...) are not part of the history and stay as they are,
    and so do the fields the model lists in `HISTORY_REVERT_KEEPS` (a site's pipeline stage:
    the pipeline moves only through /foncier/, which logs each move and allows only some).
    Raises ValidationError (nothing written) when `reason` is blank, the record is a
    deletion, or the old values break a rule of today (a SIRET taken since, say).
    """
    if not reason.strip():
        raise ValidationError(_("Dites pourquoi vous revenez à cette version."))
    if record.history_type == "-":
        raise ValidationError(_("Une suppression ne peut pas être rétablie d'ici."))
    instance = record.instance
    instance._state.adding = False  # the row exists: unique checks must not count it twice
    _keep_current_values(instance)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ValidationError(
            _("Cette version ne peut pas être rétablie : %(why)s")
            % {"why": " ".join(error.messages)}
        ) from error
    instance._change_reason = f"{REVERT_SCREEN_REASON} : {reason.strip()}"[:100]
    with transaction.atomic():
        instance.save()
        if isinstance(instance, Organisation):  # the map credits the team's correction
            organisation_edit_credit_note(organisation_ids=[instance.pk], credit=TEAM)
        _search_words_add_for(instance)
    return instance


def _search_words_add_for(instance: models.Model) -> None:
    """The words of a reverted organisation, scheme or offer join the typo dictionary."""
    ids = {Organisation: "organisation_ids", FundingScheme: "scheme_ids", SupportOffer: "offer_ids"}
    if type(instance) in ids:
        search_words_add_on_commit(**{ids[type(instance)]: [instance.pk]})


def _keep_current_values(instance: models.Model) -> None:
    """Give `instance` today's values of the fields its model keeps through a revert
    (`HISTORY_REVERT_KEEPS`); one query when there are any, none otherwise."""
    kept = getattr(type(instance), "HISTORY_REVERT_KEEPS", ())
    if not kept:
        return
    current = type(instance)._default_manager.filter(pk=instance.pk).values(*kept).first()
    for name, value in (current or {}).items():
        setattr(instance, name, value)
