"""The loader of network members (importers.sources.network_csv): an organisation, then
its membership of the network, through the directory services."""

from dataclasses import replace
from typing import Any

from directory.models import Organisation
from directory.services import network_membership_add
from importers.base import Mapped
from importers.loaders import LOADERS, OrganisationLoader
from importers.sources.network_csv import MemberData, network_get, scope_check_member


class MemberLoader(OrganisationLoader):
    """Loads the member like any organisation, and records its membership when the member
    is created or first matched (a membership a person removed later is not re-added
    while the row stays unchanged)."""

    def resolve(self, mapped: Mapped, context: Any) -> MemberData:
        data: MemberData = mapped.data
        organisation = super().resolve(Mapped(data.organisation), context)
        return replace(data, organisation=organisation)

    def match(self, data: MemberData, context: Any, external_id: str) -> Organisation | None:
        network = network_get(data.network)
        member = super().match(data.organisation, context, external_id)
        if member is not None:
            scope_check_member(member=member)
            network_membership_add(network=network, member=member, since=data.since)
        return member

    def create(self, data: MemberData) -> Organisation:
        network = network_get(data.network)
        member = super().create(data.organisation)
        network_membership_add(network=network, member=member, since=data.since)
        return member

    def update(self, instance: Organisation, data: MemberData, write: dict) -> None:
        scope_check_member(member=instance)
        super().update(instance, data.organisation, write)

    def snapshot_data(self, data: MemberData) -> dict[str, Any]:
        return super().snapshot_data(data.organisation)


LOADERS[MemberData] = MemberLoader()
