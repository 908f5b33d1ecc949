"""``/login``: a staff member gets a one-time console link privately (never in the group,
where every member would see it), without a link preview that would open it."""

from __future__ import annotations

import json

import pytest
from fakes import make_engine

from bot.channels.telegram.admin import StaffAdmin
from bot.outbox_service import OutboxService
from bot.service import ConversationService
from bot.source import IssueList
from bot.storage import Database

STAFF_GROUP = -1001
STAFF_USER = 4242


def admin_with(db: Database, *, links: bool) -> StaffAdmin:
    async def reload() -> IssueList:
        return IssueList()

    async def login_link(user_id: int) -> str:
        return f"https://lotse.example.org/staff/login/link?token=t-{user_id}"

    return StaffAdmin(
        ConversationService(make_engine(), db),
        OutboxService(db),
        staff_chats=[STAFF_GROUP],
        staff_users=[STAFF_USER],
        reload=reload,
        login_link=login_link if links else None,
    )


async def sent(admin: StaffAdmin) -> list[tuple[str, dict[str, object]]]:
    return [(q.chat, json.loads(q.payload)) for q in await admin.outbox.pending()]


async def test_in_a_group_the_link_goes_privately(db: Database) -> None:
    admin = admin_with(db, links=True)
    assert admin.wants(STAFF_GROUP, 777, "/login")
    await admin.on_command(
        update_id=1, chat_id=STAFF_GROUP, thread_id=None, text="/login", user_id=777
    )
    [(private, link), (group, note)] = await sent(admin)
    assert private == "777"
    assert "token=t-777" in str(link["text"])
    assert link["link_preview_options"] == {"is_disabled": True}
    assert group == str(STAFF_GROUP)
    assert "privat" in str(note["text"])
    assert "token" not in str(note["text"])


async def test_in_a_private_chat_of_staff_the_link_is_the_answer(db: Database) -> None:
    admin = admin_with(db, links=True)
    assert admin.wants(STAFF_USER, STAFF_USER, "/login")
    assert not admin.wants(555, 555, "/login")  # a resident's /login is no staff command
    await admin.on_command(
        update_id=1, chat_id=STAFF_USER, thread_id=None, text="/login", user_id=STAFF_USER
    )
    [(chat, answer)] = await sent(admin)
    assert chat == str(STAFF_USER)
    assert "token=t-4242" in str(answer["text"])
    assert answer["link_preview_options"] == {"is_disabled": True}


@pytest.mark.parametrize("user_id", [STAFF_USER, None])
async def test_without_a_console_the_command_says_so(db: Database, user_id: int | None) -> None:
    admin = admin_with(db, links=user_id is None)
    await admin.on_command(
        update_id=1, chat_id=STAFF_GROUP, thread_id=None, text="/login", user_id=user_id
    )
    [(_, answer)] = await sent(admin)
    assert "web.public_url" in str(answer["text"])
