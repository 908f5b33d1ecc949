"""Staff group membership asked with getChatMember over HTTP, answered by the fake Bot API."""

from __future__ import annotations

import pytest

from bot.console.membership import bot_api_member_check
from tests.e2e.fake_bot_api import FakeBotApi

GROUP = -100777


@pytest.mark.parametrize(
    ("status", "member"),
    [
        ("creator", True),
        ("administrator", True),
        ("member", True),
        ("left", False),
        ("kicked", False),
    ],
)
async def test_members_of_the_group_are_staff(
    fake_api: FakeBotApi, status: str, member: bool
) -> None:
    fake_api.add_chat(GROUP)
    fake_api.set_member_status(GROUP, 5151, status)
    is_member = bot_api_member_check(fake_api.token, fake_api.base_url)
    assert await is_member(GROUP, 5151) is member


async def test_an_unreachable_bot_api_means_no(fake_api: FakeBotApi) -> None:
    is_member = bot_api_member_check(fake_api.token, "http://127.0.0.1:9")
    assert await is_member(GROUP, 5151) is False
