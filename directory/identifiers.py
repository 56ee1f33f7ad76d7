"""Checks of the French identifiers an organisation carries (SIRET), shared by the forms
and the importers."""

#: La Poste's establishments share SIREN 356000000; their SIRET follow another check rule.
LA_POSTE_SIREN = "356000000"


def siret_is_valid(siret: str) -> bool:
    """Whether `siret` has 14 digits and a correct check key (Luhn, or La Poste's rule)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(int(digit) for digit in siret) % 5 == 0
    total = 0
    for position, digit in enumerate(reversed(siret)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
