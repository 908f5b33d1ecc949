"""The directory of places: Stadtteiltreffs, counselling services, authorities, helplines.

Staff keep the data in ``places/*.yaml``; :func:`load_directory` checks it and builds a
:class:`PlaceDirectory`, which implements :class:`bot.core.ports.Directory`: ranking places
for a need, opening hours with Lower Saxony's public holidays, and finding a resident's
quarter from a street name or a shared location. Everything here is pure: no I/O after
loading, no clock (callers pass the moment in).
"""

from bot.directory.codes import AUDIENCES, KINDS, LANGUAGES, TOPICS, known_topics
from bot.directory.directory import PlaceDirectory
from bot.directory.holidays import easter_sunday, holiday_name, public_holidays
from bot.directory.hours import BERLIN, next_occurrence, opening_status
from bot.directory.load import load_directory
from bot.directory.model import Place, Quarter
from bot.directory.streets import street_key

__all__ = [
    "AUDIENCES",
    "BERLIN",
    "KINDS",
    "LANGUAGES",
    "TOPICS",
    "Place",
    "PlaceDirectory",
    "Quarter",
    "easter_sunday",
    "holiday_name",
    "known_topics",
    "load_directory",
    "next_occurrence",
    "opening_status",
    "public_holidays",
    "street_key",
]
