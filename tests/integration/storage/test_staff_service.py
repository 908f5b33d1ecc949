"""The console's records on SQLite and PostgreSQL: single-use login tokens kept only as a
hash, and the change log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.staff_service import LOGIN_LINK_VALID, StaffService
from bot.storage import Database
from bot.storage.staff_tables import LoginTokenRow

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


async def test_a_token_works_once_and_only_its_hash_is_stored(db: Database) -> None:
    staff = StaffService(db)
    token = await staff.new_login_token(4242, NOW)
    async with db.unit() as unit:
        stored = (await unit.db.scalars(select(LoginTokenRow.token_hash))).all()
    assert len(stored) == 1
    assert token not in stored[0]
    assert await staff.redeem_login_token(token, NOW + timedelta(minutes=1)) == 4242
    assert await staff.redeem_login_token(token, NOW + timedelta(minutes=2)) is None
    assert await staff.redeem_login_token("not a token", NOW) is None


async def test_a_token_expires_after_ten_minutes_and_is_removed(db: Database) -> None:
    staff = StaffService(db)
    token = await staff.new_login_token(4242, NOW)
    assert await staff.redeem_login_token(token, NOW + LOGIN_LINK_VALID) is None
    async with db.unit() as unit:
        assert (await unit.db.scalars(select(LoginTokenRow))).all() == []


async def test_the_change_log_lists_the_newest_first_by_file(db: Database) -> None:
    staff = StaffService(db)
    for number, file in enumerate(["locales/ar.yaml", "places/beratung.yaml", "locales/ar.yaml"]):
        await staff.log_change(
            at=NOW + timedelta(minutes=number),
            who="Amal (1)",
            file=file,
            key=f"k{number}",
            old="alt",
            new="neu",
        )
    arabic = await staff.changes(file="locales/ar.yaml")
    assert [c.key for c in arabic] == ["k2", "k0"]
    assert arabic[0].at == NOW + timedelta(minutes=2)
    assert [c.key for c in await staff.changes(after_id=arabic[1].id)] == ["k2", "k1"]
    assert [c.key for c in await staff.changes(limit=1)] == ["k2"]
