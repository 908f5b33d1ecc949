"""The texts pages: filter by review state, edit a translation and mark it reviewed (written
back with comments and order kept, logged, hot-reloaded), conflicts and invalid edits."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.integration.console.staff_console import STAFF_ID, Console

KEY = "system.choose_language"
EDIT = f"/staff/texts/edit?lang=ar&key={KEY}"
NEW = "أهلًا! أنا Lotse. أساعدك في Hameln. بأي لغة نكتب؟"


def field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # type: ignore[union-attr]


async def form_of(console: Console, path: str = EDIT) -> dict[str, str]:
    html = await (await console.client.get(path)).text()
    return {name: field(html, name) for name in ("csrf", "version", "seen")}


def arabic(site: Path) -> Path:
    return site / "locales" / "ar.yaml"


async def test_the_list_filters_by_state_and_search(console: Console) -> None:
    await console.login()
    everything = await (await console.client.get("/staff/texts?lang=ar")).text()
    assert KEY in everything
    assert "handoff.staff." not in everything  # German-only staff texts are not translated
    machine = await (await console.client.get("/staff/texts?lang=ar&filter=machine")).text()
    assert KEY in machine
    reviewed = await (await console.client.get("/staff/texts?lang=ar&filter=reviewed")).text()
    assert KEY not in reviewed
    found = await (await console.client.get("/staff/texts?lang=ar&q=choose_lang")).text()
    assert KEY in found
    assert "system.help" not in found
    assert 'dir="rtl"' in found
    unknown = await console.client.get("/staff/texts?lang=xx")
    assert unknown.status == 404


async def test_a_reviewed_edit_is_written_back_keeping_comments_and_order(
    console: Console,
) -> None:
    await console.login()
    before = arabic(console.site).read_text(encoding="utf-8")
    form = await form_of(console)
    response = await console.client.post(
        "/staff/texts/edit",
        data={**form, "lang": "ar", "key": KEY, "text": NEW, "action": "review"},
    )
    assert response.status == 200
    assert "Gespeichert" in await response.text()
    after = arabic(console.site).read_text(encoding="utf-8")
    old_line = next(line for line in before.splitlines() if "choose_language:" in line)
    expected = before.replace(
        old_line + "\n",
        "    choose_language:\n"
        f'      text: "{NEW}"\n'
        "      review: ok\n"
        f'      reviewed: "Amal ({STAFF_ID}), 2026-12-07"\n',
    )
    assert after == expected  # comments, quotes and the order of every other line kept
    entry = console.app.content.texts.catalogues["ar"].entries[KEY]
    assert entry.text == NEW  # hot-reloaded into the running bot
    assert entry.review == "ok"
    listed = await (await console.client.get("/staff/texts?lang=ar&filter=reviewed")).text()
    assert KEY in listed
    changes = await console.app.staff.changes(file="locales/ar.yaml")
    assert [(c.key, c.new, c.who) for c in changes] == [
        (f"{KEY} (review)", "ok", f"Amal ({STAFF_ID})"),
        (KEY, NEW, f"Amal ({STAFF_ID})"),
    ]


async def test_a_plain_save_keeps_the_line_a_text(console: Console) -> None:
    await console.login()
    form = await form_of(console)
    await console.client.post(
        "/staff/texts/edit", data={**form, "lang": "ar", "key": KEY, "text": NEW, "action": "save"}
    )
    text = arabic(console.site).read_text(encoding="utf-8")
    assert f'    choose_language: "{NEW}"\n' in text
    assert yaml.safe_load(text)["meta"]["review"] == "machine"


async def test_an_invalid_edit_is_refused_and_nothing_changes(console: Console) -> None:
    await console.login()
    before = arabic(console.site).read_bytes()
    running = console.app.content
    form = await form_of(console, "/staff/texts/edit?lang=ar&key=system.language_set")
    response = await console.client.post(
        "/staff/texts/edit",
        data={**form, "lang": "ar", "key": "system.language_set", "text": "حسنًا {sprache}"},
    )
    html = await response.text()
    assert response.status == 422
    assert "L103" in html  # the placeholder must match the German text
    assert "{sprache}" in html  # what was typed stays in the form
    assert arabic(console.site).read_bytes() == before
    assert console.app.content is running
    assert await console.app.staff.changes() == []


async def test_a_second_save_of_the_same_file_gets_a_conflict_not_a_lost_edit(
    console: Console,
) -> None:
    await console.login()
    first = await form_of(console)
    second = await form_of(console, "/staff/texts/edit?lang=ar&key=system.back_button")
    await console.client.post(
        "/staff/texts/edit", data={**first, "lang": "ar", "key": KEY, "text": NEW}
    )
    response = await console.client.post(
        "/staff/texts/edit",
        data={**second, "lang": "ar", "key": "system.back_button", "text": "◀ عودة"},
    )
    html = await response.text()
    assert response.status == 409
    assert "Jemand anderes hat diese Datei inzwischen geändert" in html
    assert NEW in html  # the other change is shown
    assert "◀ عودة" in html  # and this one is still in the form
    text = arabic(console.site).read_text(encoding="utf-8")
    assert NEW in text
    assert "◀ عودة" not in text
    retry = {name: field(html, name) for name in ("csrf", "version", "seen")}
    saved = await console.client.post(
        "/staff/texts/edit",
        data={**retry, "lang": "ar", "key": "system.back_button", "text": "◀ عودة"},
    )
    assert saved.status == 200
    text = arabic(console.site).read_text(encoding="utf-8")
    assert NEW in text
    assert "◀ عودة" in text


async def test_a_change_made_outside_the_console_is_a_conflict_too(console: Console) -> None:
    await console.login()
    form = await form_of(console)
    path = arabic(console.site)
    path.write_text(path.read_text(encoding="utf-8") + "# edited over ssh\n", encoding="utf-8")
    response = await console.client.post(
        "/staff/texts/edit", data={**form, "lang": "ar", "key": KEY, "text": NEW}
    )
    assert response.status == 409
    assert "außerhalb der Konsole" in await response.text()
    assert NEW not in path.read_text(encoding="utf-8")


async def test_a_missing_translation_can_be_added(console: Console) -> None:
    await console.login()
    path = arabic(console.site)
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("    back_button:"))
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    from bot.app import reload_content

    assert not reload_content(console.app).errors  # a missing translation falls back
    missing = await (await console.client.get("/staff/texts?lang=ar&filter=missing")).text()
    assert "system.back_button" in missing
    form = await form_of(console, "/staff/texts/edit?lang=ar&key=system.back_button")
    response = await console.client.post(
        "/staff/texts/edit",
        data={**form, "lang": "ar", "key": "system.back_button", "text": "◀ رجوع"},
    )
    assert response.status == 200
    assert console.app.content.texts.catalogues["ar"].entries["system.back_button"].text == (
        "◀ رجوع"
    )


async def test_the_preview_runs_the_unsaved_edit_and_the_bot_keeps_the_saved_text(
    console: Console,
) -> None:
    await console.login()
    before = arabic(console.site).read_bytes()
    form = await form_of(console)
    response = await console.client.post(
        "/staff/texts/edit",
        data={**form, "lang": "ar", "key": KEY, "text": NEW, "action": "preview"},
    )
    html = await response.text()
    assert response.status == 200
    link = re.search(r'href="(/staff/preview/[^"]+)"', html).group(1)  # type: ignore[union-attr]
    page = await console.client.get(link.replace("&amp;", "&"))
    assert page.status == 200
    assert 'lang="ar"' in await page.text()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    api = link.split("?")[0] + "api/event"
    answer = await console.client.post(api, json={"type": "start", "payload": ""})
    assert answer.status == 200, await answer.text()
    shown = str(await answer.json())
    assert NEW in shown  # the draft's text …
    assert arabic(console.site).read_bytes() == before  # … not saved
    running = console.app.content.texts.catalogues["ar"].entries[KEY].text
    assert running != NEW  # and the bot still runs on the saved one


async def test_a_preview_of_an_invalid_edit_is_refused(console: Console) -> None:
    await console.login()
    form = await form_of(console, "/staff/texts/edit?lang=ar&key=system.language_set")
    response = await console.client.post(
        "/staff/texts/edit",
        data={
            **form,
            "lang": "ar",
            "key": "system.language_set",
            "text": "{x}",
            "action": "preview",
        },
    )
    assert response.status == 422
    assert "L103" in await response.text()
    gone = await console.client.get("/staff/preview/unknown/")
    assert gone.status == 404


async def test_a_file_broken_by_hand_is_named_not_a_crash(console: Console) -> None:
    await console.login()
    path = arabic(console.site)
    path.write_text(path.read_text(encoding="utf-8") + "  broken: [\n", encoding="utf-8")
    form = await form_of(console)  # the form of the broken file's version
    response = await console.client.post(
        "/staff/texts/edit", data={**form, "lang": "ar", "key": KEY, "text": NEW}
    )
    html = await response.text()
    assert response.status == 409
    assert "kein gültiges YAML" in html
    assert "locales/ar.yaml" in html
    places = console.site / "places" / "beratung.yaml"
    places.write_text("places: [\n", encoding="utf-8")
    listed = await console.client.get("/staff/places/edit?file=beratung.yaml&id=x")
    assert listed.status == 409
