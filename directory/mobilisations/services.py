"""Writes of requests to actors: send one, change its status, refer it to another actor,
erase its personal data. Mails go through Django's mail framework, after the commit."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.contributions.services import hourly_rate_limited
from directory.mobilisations.selectors import mobilisation_recipients_get
from directory.models import (
    FundingScheme,
    LegalFamily,
    Mobilisation,
    MobilisationKind,
    MobilisationStatus,
    Organisation,
    Sector,
    Stage,
    SupportOffer,
)

_FOLLOW_SALT = "cartess.mobilisation.follow"
#: The statuses after which a request waits only for its personal data to be erased.
FINISHED = (MobilisationStatus.REFERRED, MobilisationStatus.CLOSED)


@dataclass(frozen=True)
class MobilisationData:
    """What a project holder sends (the form's cleaned values)."""

    organisation: Organisation
    holder_name: str
    holder_email: str
    project: str
    kind: str = MobilisationKind.MOBILISATION
    holder_profile: str = ""
    holder_phone: str = ""
    stage: Stage | None = None
    legal_family: LegalFamily | None = None
    sector: Sector | None = None
    funding_scheme: FundingScheme | None = None
    support_offer: SupportOffer | None = None
    space: dict = field(default_factory=dict)


def mobilisation_rate_limited(*, ip_address: str) -> bool:
    """Count one request from `ip_address`; True past CARTESS_MOBILISATIONS_PER_HOUR."""
    return hourly_rate_limited(
        scope="mobiliser", ip_address=ip_address, per_hour=settings.CARTESS_MOBILISATIONS_PER_HOUR
    )


def mobilisation_follow_token(*, mobilisation: Mobilisation) -> str:
    """The signed, unguessable token of the holder's private follow link."""
    return signing.dumps(mobilisation.pk, salt=_FOLLOW_SALT)


def mobilisation_from_token(*, token: str) -> Mobilisation | None:
    """The request a follow token names, or None for a forged or unknown one."""
    try:
        pk = signing.loads(token, salt=_FOLLOW_SALT)
    except signing.BadSignature:
        return None
    return Mobilisation.objects.select_related("organisation").filter(pk=pk).first()


def mobilisation_follow_url(*, mobilisation: Mobilisation) -> str:
    token = mobilisation_follow_token(mobilisation=mobilisation)
    return settings.CARTESS_SITE_URL + reverse("mobilisations:follow", args=[token])


def mobilisation_submit(*, data: MobilisationData) -> Mobilisation:
    """Store the request and, after the commit, mail it to the actor's contact and the
    editors of its listing, and a copy with the private follow link to the holder."""
    values = {name: getattr(data, name) for name in data.__dataclass_fields__ if name != "space"}
    mobilisation = Mobilisation.objects.create(**values, **data.space, consent_at=timezone.now())
    transaction.on_commit(lambda: _mail_new_request(mobilisation))
    return mobilisation


def mobilisation_status_set(*, mobilisation: Mobilisation, status: str) -> Mobilisation:
    """Set the status an actor chose; "close" starts the retention period. The holder is
    told by mail."""
    mobilisation.status = status
    mobilisation.status_changed_at = timezone.now()
    mobilisation.closed_at = mobilisation.status_changed_at if status in FINISHED else None
    mobilisation.save(update_fields=["status", "status_changed_at", "closed_at"])
    transaction.on_commit(lambda: _mail_holder_status(mobilisation))
    return mobilisation


#: What a referral copies to the new request (the scheme or offer asked about stays as context).
_COPIED = (
    "kind",
    "funding_scheme",
    "support_offer",
    "holder_profile",
    "holder_name",
    "holder_email",
    "holder_phone",
    "project",
    "stage",
    "legal_family",
    "sector",
    "space_what",
    "space_from",
    "space_duration",
    "space_people",
    "space_budget",
    "consent_at",
)


@transaction.atomic
def mobilisation_refer(*, mobilisation: Mobilisation, to: Organisation, note: str) -> Mobilisation:
    """Refer `mobilisation` to the actor `to` with `note`: `to` gets a new request with the
    same content (sent to its contact and editors), the first one becomes "orientée", and
    the holder is told with the follow link of the new one."""
    referral = Mobilisation.objects.create(
        **{name: getattr(mobilisation, name) for name in _COPIED},
        organisation=to,
        referred_from=mobilisation,
        referral_note=note,
    )
    mobilisation_status_set(mobilisation=mobilisation, status=MobilisationStatus.REFERRED)
    transaction.on_commit(lambda: _mail_new_request(referral))
    return referral


def mobilisation_send_to_city(*, mobilisation: Mobilisation) -> Mobilisation:
    """A place says no place can serve this space request: the city services see it in
    their land workspace and may make it a premises need."""
    mobilisation.sent_to_city_at = timezone.now()
    mobilisation.save(update_fields=["sent_to_city_at"])
    return mobilisation


def mobilisations_purge(*, now: datetime | None = None) -> int:
    """Erase the personal data (Mobilisation.PERSONAL_FIELDS) of the requests closed or
    referred more than CARTESS_MOBILISATION_RETENTION_MONTHS ago, and of any request sent
    more than twice that long ago. Keeps what the anonymised flows count. Returns how many."""
    now = now or timezone.now()
    months = settings.CARTESS_MOBILISATION_RETENTION_MONTHS
    limit = now - timedelta(days=round(months * 30.44))
    late = now - timedelta(days=round(2 * months * 30.44))
    expired = Mobilisation.objects.filter(anonymised_at__isnull=True).filter(
        Q(closed_at__lt=limit) | Q(created_at__lt=late)
    )
    return expired.update(
        **dict.fromkeys(Mobilisation.PERSONAL_FIELDS, ""),
        holder_profile="",
        anonymised_at=now,
    )


def _mail_new_request(mobilisation: Mobilisation) -> None:
    recipients = mobilisation_recipients_get(organisation=mobilisation.organisation)
    inbox_url = settings.CARTESS_SITE_URL + reverse("mobilisations:detail", args=[mobilisation.pk])
    context = {
        "name": mobilisation.organisation.name,
        "holder": mobilisation.holder_name,
        "email": mobilisation.holder_email,
        "phone": mobilisation.holder_phone or "—",
        "project": mobilisation.project,
        "url": inbox_url,
    }
    if recipients:
        send_mail(
            subject=_("Cartess : une demande adressée à « %(name)s »") % context,
            message=_request_text(mobilisation, context),
            from_email=None,
            recipient_list=recipients,
        )
    holder_text = _(
        "Votre demande a été transmise à « %(name)s ». Voici votre lien privé pour "
        "suivre où elle en est (ne le partagez pas) :\n\n%(follow)s\n\nVotre projet :\n"
        "%(project)s"
    ) % (context | {"follow": mobilisation_follow_url(mobilisation=mobilisation)})
    if mobilisation.referral_note:
        holder_text += "\n\n" + _("Note de l'acteur qui vous oriente : %(note)s") % {
            "note": mobilisation.referral_note
        }
    if not mobilisation.holder_email:
        return
    send_mail(
        subject=_("Cartess : votre demande à « %(name)s »") % context,
        message=holder_text,
        from_email=None,
        recipient_list=[mobilisation.holder_email],
    )


def _request_text(mobilisation: Mobilisation, context: dict) -> str:
    text = (
        _(
            "%(holder)s sollicite « %(name)s » par Cartess.\n\nLe projet :\n%(project)s\n\n"
            "Pour répondre : %(email)s, téléphone : %(phone)s\n\n"
            "Suivre et orienter la demande (connexion requise) : %(url)s"
        )
        % context
    )
    if mobilisation.referral_note:
        text += "\n\n" + _("Note de l'acteur qui vous l'oriente : %(note)s") % {
            "note": mobilisation.referral_note
        }
    return text


def _mail_holder_status(mobilisation: Mobilisation) -> None:
    if not mobilisation.holder_email:
        return
    send_mail(
        subject=_("Cartess : votre demande à « %(name)s » est « %(status)s »")
        % {"name": mobilisation.organisation.name, "status": mobilisation.get_status_display()},
        message=_("Où en est votre demande :\n\n%(follow)s")
        % {"follow": mobilisation_follow_url(mobilisation=mobilisation)},
        from_email=None,
        recipient_list=[mobilisation.holder_email],
    )
