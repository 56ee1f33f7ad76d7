"""English dates spelled out: "December 4, 2026" and "Dec 4, 2026", never Django's short
"12/04/2026", which a reader in Lille takes for the 12th of April. Django's other English
formats (input formats, numbers) stay."""

DATE_FORMAT = "F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "F j, Y, H:i"
SHORT_DATETIME_FORMAT = "M j, Y, H:i"
