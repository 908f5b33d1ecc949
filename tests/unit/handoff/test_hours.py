"""What a resident is told when the place is closed, with a fixed clock."""

from __future__ import annotations

from datetime import datetime

from bot.core.ports import OpeningStatus
from bot.directory import PlaceDirectory
from bot.handoff.hours import OutOfHours, out_of_hours
from bot.i18n import Catalogs
from bot.i18n.format import format_day_time

from .conftest import BERLIN, MONDAY_10, SATURDAY_18

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)


def test_closed_place_names_the_next_opening_and_the_emergency_numbers(
    directory: PlaceDirectory, texts: Catalogs
) -> None:
    status = directory.status("kaisers", SATURDAY_18)
    notice = out_of_hours(status, now=SATURDAY_18, language="de", texts=texts)
    assert notice == OutOfHours(
        "Der Stadtteiltreff ist gerade geschlossen. Die Mitarbeitenden lesen Ihre Nachricht, "
        "wenn wieder geöffnet ist: Montag 09:00 Uhr.\n\n" + texts.text("de", "emergency.numbers"),
        MONDAY_9,
    )
    assert "110" in notice.text


def test_the_notice_is_in_the_residents_language(
    directory: PlaceDirectory, texts: Catalogs
) -> None:
    status = directory.status("kaisers", SATURDAY_18)
    notice = out_of_hours(status, now=SATURDAY_18, language="en", texts=texts)
    assert notice is not None
    when = format_day_time(MONDAY_9, SATURDAY_18, "en")  # CLDR decides "9:00 AM" spacing
    assert when.startswith("Monday 9:00")
    assert notice.text.startswith(
        f"The centre is closed right now. The staff will read your message when it opens "
        f"again: {when}.\n\n"
    )
    assert notice.text.endswith(texts.text("en", "emergency.numbers"))


def test_open_place_or_unknown_hours_need_no_notice(
    directory: PlaceDirectory, texts: Catalogs
) -> None:
    for place in ("kaisers", "migration"):
        status = directory.status(place, MONDAY_10)
        assert out_of_hours(status, now=MONDAY_10, language="de", texts=texts) is None


def test_closed_without_a_known_reopening(texts: Catalogs) -> None:
    notice = out_of_hours(OpeningStatus(known=True), now=SATURDAY_18, language="de", texts=texts)
    assert notice is not None
    assert notice.next_open is None
    assert notice.text.startswith(
        "Der Stadtteiltreff ist gerade geschlossen. Die Mitarbeitenden lesen Ihre Nachricht, "
        "sobald sie wieder da sind.\n\n🚨"
    )
