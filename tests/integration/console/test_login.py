"""Login to the console: Telegram Login data checked as Telegram documents it, the one-time
link, the session cookie, CSRF, the attempt limit and the security headers."""

from __future__ import annotations

from datetime import timedelta

from bot.staff_service import LOGIN_LINK_VALID
from tests.integration.console.staff_console import GROUP_MEMBER_ID, STAFF_GROUP, STAFF_ID, Console


async def test_no_page_without_login(console: Console) -> None:
    for path in ("/staff/", "/staff/texts", "/staff/places", "/staff/cases", "/staff/stats"):
        response = await console.client.get(path, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/staff/login"


async def test_the_login_page_explains_the_link_and_has_no_external_script(
    console: Console,
) -> None:
    response = await console.client.get("/staff/login")
    html = await response.text()
    assert response.status == 200
    assert "/login" in html
    assert "telegram.org" not in html  # no public_url: no widget, no external script
    assert "script-src" not in response.headers["Content-Security-Policy"]


async def test_a_signed_widget_login_of_staff_opens_a_session(console: Console) -> None:
    response = await console.client.get(
        "/staff/login/telegram", params=console.login_fields(STAFF_ID)
    )
    assert response.status == 200
    assert "Willkommen, Amal" in await response.text()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/staff" in cookie
    page = await console.client.get("/staff/texts")
    assert page.status == 200
    assert "Texte" in await page.text()


async def test_a_tampered_payload_is_refused(console: Console) -> None:
    fields = console.login_fields(STAFF_ID)
    fields["id"] = str(STAFF_ID + 1)
    response = await console.client.get("/staff/login/telegram", params=fields)
    assert response.status == 403
    assert "Set-Cookie" not in response.headers


async def test_a_payload_signed_with_another_token_is_refused(console: Console) -> None:
    from bot.console.auth import sign_telegram_login

    fields = sign_telegram_login({"id": str(STAFF_ID), "auth_date": "1796637600"}, "1:other")
    response = await console.client.get("/staff/login/telegram", params=fields)
    assert response.status == 403


async def test_a_stale_payload_is_refused(console: Console) -> None:
    stale = int((console.now - timedelta(days=1, minutes=1)).timestamp())
    fields = console.login_fields(STAFF_ID, auth_date=str(stale))
    response = await console.client.get("/staff/login/telegram", params=fields)
    assert response.status == 403
    assert "älter als einen Tag" in await response.text()


async def test_a_valid_login_of_someone_not_staff_is_refused(console: Console) -> None:
    response = await console.client.get("/staff/login/telegram", params=console.login_fields(99))
    assert response.status == 403
    assert "nicht auf der Liste" in await response.text()


async def test_a_member_of_a_staff_group_may_log_in(console: Console) -> None:
    console.members.add((STAFF_GROUP, GROUP_MEMBER_ID))
    await console.login(GROUP_MEMBER_ID)
    assert (await console.client.get("/staff/cases")).status == 200


async def test_a_one_time_link_logs_in_once(console: Console) -> None:
    token = await console.app.staff.new_login_token(STAFF_ID, console.now)
    form = await console.client.get("/staff/login/link", params={"token": token})
    assert "Jetzt anmelden" in await form.text()  # opening the link alone logs nobody in
    assert "Set-Cookie" not in form.headers
    first = await console.client.post("/staff/login/link", data={"token": token})
    assert first.status == 200
    assert (await console.client.get("/staff/texts")).status == 200
    console.client.session.cookie_jar.clear()
    again = await console.client.post("/staff/login/link", data={"token": token})
    assert again.status == 403
    assert "schon benutzt" in await again.text()


async def test_an_expired_link_is_refused(console: Console) -> None:
    token = await console.app.staff.new_login_token(STAFF_ID, console.now)
    console.now += LOGIN_LINK_VALID + timedelta(seconds=1)
    response = await console.client.post("/staff/login/link", data={"token": token})
    assert response.status == 403


async def test_login_attempts_are_limited_per_address(console: Console) -> None:
    statuses = []
    for _ in range(11):
        response = await console.client.post("/staff/login/link", data={"token": "guess"})
        statuses.append(response.status)
    assert statuses == [403] * 10 + [429]
    response = await console.client.get("/staff/login/telegram", params=console.login_fields())
    assert response.status == 429  # the widget's way in counts against the same limit
    console.now += timedelta(minutes=10)
    await console.login()


async def test_a_form_without_the_csrf_token_is_refused(console: Console) -> None:
    await console.login()
    path = "/staff/texts/edit?lang=ar&key=system.help"
    before = (console.site / "locales" / "ar.yaml").read_bytes()
    data = {"lang": "ar", "key": "system.help", "text": "x", "version": "", "seen": "0"}
    refused = await console.client.post("/staff/texts/edit", data=data)
    assert refused.status == 403
    wrong = await console.client.post("/staff/texts/edit", data={**data, "csrf": "0" * 64})
    assert wrong.status == 403
    assert (console.site / "locales" / "ar.yaml").read_bytes() == before
    assert await console.csrf(path)


async def test_a_forged_or_expired_cookie_is_no_session(console: Console) -> None:
    await console.login()
    jar = console.client.session.cookie_jar
    value = next(c.value for c in jar if c.key == "lotse_staff")
    jar.clear()
    jar.update_cookies({"lotse_staff": value[:-1] + ("0" if value[-1] != "0" else "1")})
    forged = await console.client.get("/staff/texts", allow_redirects=False)
    assert forged.status == 303
    jar.clear()
    jar.update_cookies({"lotse_staff": value})
    assert (await console.client.get("/staff/texts", allow_redirects=False)).status == 200
    console.now += timedelta(hours=9)
    assert (await console.client.get("/staff/texts", allow_redirects=False)).status == 303


async def test_logout_ends_the_session(console: Console) -> None:
    await console.login()
    token = await console.csrf("/staff/texts")
    response = await console.client.post("/staff/logout", data={"csrf": token})
    assert "abgemeldet" in await response.text()
    assert (await console.client.get("/staff/texts", allow_redirects=False)).status == 303


async def test_every_answer_carries_the_security_headers(console: Console) -> None:
    for path in ("/staff/login", "/staff/texts"):
        response = await console.client.get(path, allow_redirects=False)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
