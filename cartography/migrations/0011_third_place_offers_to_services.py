"""The old tick boxes of `ThirdPlaceOffer` (issue 17) become the place's own data.

- Each ticked kind the place does not offer yet becomes a `PlaceService` (same slugs as
  `PlaceServiceKind`, as migration 0009 did once), without conditions: nobody said them.
- The totem flag already became the organisation's `lieu-totem` place role (migration 0007
  removed the column), so there is nothing left to move for it.
- The free-text description ("précisions") is never lost nor does it overwrite anything:
  it becomes the organisation's description when that is empty (it is the only public text
  of a place with no service); otherwise it is appended as a paragraph to the details of
  the place's first service (the same "précisions", shown next to what the place offers);
  a place with a description but neither an empty description nor any service gets it
  appended as a paragraph to its description. Text already there is not added twice.

Then the old model is removed: nothing reads it any more. Reverse: the table comes back
empty (what was copied stays on the places).
"""

from django.db import migrations

#: Where an old description is appended: a blank line, then the text.
PARAGRAPH = "\n\n"


def _appended(current: str, text: str) -> str:
    """`current` with `text` as a new paragraph, unless it already holds it."""
    if text in current:
        return current
    return f"{current.rstrip()}{PARAGRAPH}{text}" if current.strip() else text


def _description_keep(*, organisation, services, text: str) -> None:
    """Put an old offer's description where the place's new data holds it (module doc);
    `services` are the place's services, first one first."""
    if text in organisation.description or any(text in s.details for s in services):
        return
    if not organisation.description.strip():
        organisation.description = text
        organisation.save(update_fields=["description"])
    elif services:
        services[0].details = _appended(services[0].details, text)
        services[0].save(update_fields=["details"])
    else:
        organisation.description = _appended(organisation.description, text)
        organisation.save(update_fields=["description"])


def third_place_offers_to_services(apps, schema_editor):
    """Copy every `ThirdPlaceOffer` onto `PlaceService` rows and its description onto the
    place (module docstring). Idempotent: a second run adds nothing."""
    ThirdPlaceOffer = apps.get_model("cartography", "ThirdPlaceOffer")
    PlaceService = apps.get_model("cartography", "PlaceService")
    PlaceServiceKind = apps.get_model("cartography", "PlaceServiceKind")
    kinds = {kind.slug: kind for kind in PlaceServiceKind.objects.all()}
    offers = ThirdPlaceOffer.objects.select_related("organisation").order_by("pk")
    for offer in offers.iterator():
        organisation = offer.organisation
        for slug in offer.offers:
            if slug in kinds:
                PlaceService.objects.get_or_create(organisation=organisation, kind=kinds[slug])
        text = offer.description.strip()
        if text:
            services = list(
                PlaceService.objects.filter(organisation=organisation).order_by(
                    "kind__position", "kind__name", "pk"
                )
            )
            _description_keep(organisation=organisation, services=services, text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0010_map_cells"),
        ("directory", "0033_reader_api_token"),
    ]

    operations = [
        migrations.RunPython(third_place_offers_to_services, migrations.RunPython.noop),
        migrations.DeleteModel(name="ThirdPlaceOffer"),
    ]
