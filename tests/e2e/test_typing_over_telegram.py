"""A resident types a need in their own words, then the quarter: help within three turns.

Over Telegram (the real bot process, the fake Bot API), in each of the 13 languages. The
messages are the first held-out evaluation messages (bench/data/nlu_eval/) of each language
whose topic is answered with places, so no one chose them for passing. A "turn" is the bot's
answer to one resident message or button; the need's own answer is turn 1. The resident
answers "where do you live?" with the quarter's name, presses the right topic when Lotse
asks which one was meant, and otherwise presses the first button.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.i18n import Catalogs
from tests.e2e.conftest import ROOT, BotFactory
from tests.e2e.fake_bot_api import ApiCall, FakeBotApi, buttons

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LANGUAGES = ("de", "en", "uk", "ru", "ar", "fa", "ps", "tr", "ku", "ro", "bg", "pl", "sq")
PLACE_TOPICS = ("letters", "money", "housing", "residence", "german", "work", "treff")
CASES_PER_LANGUAGE = 2
TURN_BUDGET = 3
"""Issue: the first referral within 3 bot turns after the need, for at least 90 % of cases."""
MAX_TURNS = 6
QUARTER = "Nordstadt"
MENU_TOPICS = {
    "letter": {"letters"},
    "money": {"money", "food"},
    "housing": {"housing"},
    "residence": {"residence"},
    "learn_work": {"german", "work"},
    "treff": {"treff"},
}


@dataclass(frozen=True)
class Case:
    language: str
    text: str
    topic: str


def cases() -> list[Case]:
    """The first held-out messages of each language with a topic answered by places."""
    found = []
    for language in LANGUAGES:
        path = ROOT / "bench" / "data" / "nlu_eval" / f"{language}.yaml"
        messages = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["messages"]
        chosen = [m for m in messages if m["topic"] in PLACE_TOPICS][:CASES_PER_LANGUAGE]
        found += [Case(language, str(m["text"]), str(m["topic"])) for m in chosen]
    return found


def _callbacks(call: ApiCall) -> list[str]:
    return [data for row in buttons(call) for _, data in row if data]


async def _turn(api: FakeBotApi, chat: int) -> tuple[bool, ApiCall]:
    """The bot's answer to one event: (a place card came, the question it ends with)."""
    helped = False
    while True:
        call = await api.next_call("sendMessage", chat_id=chat, timeout=15)
        text = call.params["text"]
        helped = helped or "\n📍 " in text
        if "inline_keyboard" in (call.params.get("reply_markup") or {}):
            return helped, call


def _choice(call: ApiCall, topic: str) -> str:
    """The button a resident who needs ``topic`` presses."""
    data = _callbacks(call)
    for item in data:
        option = item.rpartition("|")[2]
        if option == topic or topic in MENU_TOPICS.get(option, ()):
            return item
    return data[0]


async def _walk(api: FakeBotApi, case: Case, chat: int, quarter_question: str) -> int | None:
    """Turns from the need to the first place card, or None when it never came."""
    api.user_sends(chat, "/start", language_code=case.language)

    _, language = await _turn(api, chat)
    api.user_clicks(chat, f"_lang|{case.language}", message_id=int(language.result["message_id"]))
    _, consent = await _turn(api, chat)
    api.user_clicks(chat, "_consent|agree", message_id=int(consent.result["message_id"]))
    await _turn(api, chat)
    api.user_sends(chat, case.text, language_code=case.language)
    for turn in range(1, MAX_TURNS + 1):
        helped, question = await _turn(api, chat)
        if helped:
            return turn
        if question.params["text"].endswith(quarter_question):
            api.user_sends(chat, QUARTER, language_code=case.language)
        else:
            data = _choice(question, case.topic)
            api.user_clicks(chat, data, message_id=int(question.result["message_id"]))
    return None


async def test_typed_need_then_quarter_reaches_places_within_three_turns(
    fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
) -> None:
    """13 languages × 2 held-out needs: at least 90 % within 3 turns, every one within 6."""
    chosen = cases()
    async with lotse():
        # Residents write at the same time, as they do: Telegram paces each chat on its own.
        turns = await asyncio.gather(
            *(
                _walk(fake_api, case, chat, texts.text(case.language, "quarter.which"))
                for chat, case in enumerate(chosen, start=9000)
            )
        )
    results = dict(zip(chosen, turns, strict=True))
    slow = {f"[{c.language}] {c.text}": t for c, t in results.items() if not t or t > TURN_BUDGET}
    assert all(results.values()), f"never reached places: {slow}"
    within = sum(1 for t in results.values() if t is not None and t <= TURN_BUDGET)
    assert within >= 0.9 * len(results), f"{within}/{len(results)} within budget; slow: {slow}"
