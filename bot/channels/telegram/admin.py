"""Staff-only commands: ``/reload``, ``/stats [FROM TO]``, ``/resend`` and ``/login``, from staff
groups or staff user ids (``/stats`` gives the funder figures, ``/resend`` queues undelivered
calls, the dead letters, again, ``/login`` sends a one-time link to the web console).

Everyone else who types them is a resident, and the engine answers as it answers any
unknown command.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime

from bot.channels.telegram.delivery import REFUSED, UNDELIVERED
from bot.channels.telegram.render import Outgoing, escape, serialise
from bot.outbox_service import OutboxService
from bot.report import Names, PeriodError, build_report, parse_period
from bot.report.render import as_lines
from bot.service import ConversationService
from bot.source import Issue, IssueList

log = logging.getLogger("bot.telegram.admin")
COMMANDS = ("reload", "stats", "resend", "login")
MAX_ISSUE_LINES = 15
STATS_ROWS = 10
"""Rows per breakdown in /stats; the command line shows them all."""
STATS_LABEL_WIDTH = 40
"""Place names are cut to this length, to fit a phone and Telegram's 4096 characters."""

Reload = Callable[[], Awaitable[IssueList]]
NO_PREVIEW = {"is_disabled": True}
"""A link preview would open the login link on Telegram's servers."""
LoginLink = Callable[[int], Awaitable[str]]
"""A fresh one-time link to the staff console for a Telegram user id."""


class StaffAdmin:
    """Answers staff commands; the replies are German texts from the catalogue."""

    def __init__(
        self,
        service: ConversationService,
        outbox: OutboxService,
        *,
        staff_chats: Iterable[int],
        staff_users: Iterable[int],
        reload: Reload,
        login_link: LoginLink | None = None,
    ) -> None:
        self.service = service
        self.login_link = login_link
        self.outbox = outbox
        self.staff_chats = frozenset(staff_chats)
        self.staff_users = frozenset(staff_users)
        self.reload = reload

    def wants(self, chat_id: int, user_id: int | None, text: str | None) -> bool:
        """True for a staff command from a staff group or a staff member's private chat."""
        if not text or not text.startswith("/"):
            return False
        name = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
        staff = chat_id in self.staff_chats or (
            user_id is not None and user_id in self.staff_users
        )
        return name in COMMANDS and staff

    def _text(self, key: str, **params: object) -> str:
        return self.service.engine.texts.text("de", f"admin.{key}", **params)

    async def on_command(
        self,
        *,
        update_id: int,
        chat_id: int,
        thread_id: int | None,
        text: str,
        user_id: int | None = None,
    ) -> None:
        """Run a staff command and answer in the same chat (and topic)."""
        name = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()
        log.info("staff command /%s in chat %s", name, chat_id)
        if name == "login":
            reply = await self._login(chat_id, user_id)
        elif name == "reload":
            reply = await self._reload()
        elif name == "resend":
            reply = await self._resend()
        else:
            reply = await self._stats(text.split()[1:])
        params: dict[str, object] = {"chat_id": chat_id, "text": reply, "parse_mode": "HTML"}
        if name == "login":
            params["link_preview_options"] = NO_PREVIEW
        if thread_id is not None:
            params["message_thread_id"] = thread_id
        await self.service.enqueue(
            str(chat_id),
            serialise([Outgoing("sendMessage", params)]),
            datetime.now(UTC),
            update_id=update_id,
        )

    async def _login(self, chat_id: int, user_id: int | None) -> str:
        """Send the link privately (in a group every member would see it); say so here."""
        if self.login_link is None or user_id is None:
            return escape(self._text("login_unavailable"))
        text = escape(self._text("login_link", link=await self.login_link(user_id)))
        if chat_id == user_id:
            return text
        params: dict[str, object] = {
            "chat_id": user_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": NO_PREVIEW,
        }
        # Not claimed here: the group's answer claims the update. A redelivered /login
        # sends a second link, which is as harmless as asking twice.
        await self.service.enqueue(
            str(user_id), serialise([Outgoing("sendMessage", params)]), datetime.now(UTC)
        )
        return escape(self._text("login_link_sent"))

    async def _resend(self) -> str:
        calls = await self.outbox.requeue_dead_letters(UNDELIVERED, datetime.now(UTC))
        log.info("staff queued %d undelivered calls again", len(calls))
        return escape(self._text("resend_done", count=len(calls)))

    async def _reload(self) -> str:
        issues = await self.reload()
        if not issues.errors:
            return escape(self._text("reload_ok", warnings=len(issues.warnings)))
        return self.problems(issues.errors)

    def problems(self, errors: list[Issue]) -> str:
        """The notice for staff when edited content has errors (file:line, as validate)."""
        lines = [escape(str(issue)) for issue in errors[:MAX_ISSUE_LINES]]
        more = len(errors) - MAX_ISSUE_LINES
        head = escape(self._text("reload_failed", errors=len(errors)))
        tail = f"\n{escape(self._text('more_issues', count=more))}" if more > 0 else ""
        return f"{head}\n<pre>{chr(10).join(lines)}</pre>{tail}"

    async def notify(self, html_text: str) -> None:
        """Post a notice into every staff group (e.g. a failed automatic reload)."""
        calls = [
            Outgoing("sendMessage", {"chat_id": chat, "text": html_text, "parse_mode": "HTML"})
            for chat in self.staff_chats
        ]
        for call in calls:
            await self.service.enqueue(
                str(call.params["chat_id"]), serialise([call]), datetime.now(UTC)
            )

    async def _stats(self, args: list[str]) -> str:
        """The funder figures (same as ``python -m bot stats``) and the dead letters."""
        engine = self.service.engine
        if len(args) > 2:
            return escape(self._text("stats_usage"))
        start, end, *_ = [*args, None, None]  # /stats, /stats FROM or /stats FROM TO
        try:
            period = parse_period(start, end, datetime.now(engine.tz).date())
        except PeriodError as exc:
            error = self._text(f"report.{exc.key}", **exc.params)
            return escape(f"{error}\n{self._text('stats_usage')}")
        figures = await self.service.funder_figures(*period.bounds(engine.tz))
        dead = await self.outbox.dead_letter_counts()
        report = build_report(figures, period, engine.texts, Names.of(engine.directory))
        lines = [self._text("stats_title"), report.period_line]
        lines += as_lines(
            report,
            limit=STATS_ROWS,
            label_width=STATS_LABEL_WIDTH,
            more=lambda count: self._text("stats_more", count=count),
        )
        undelivered, refused = dead.get(UNDELIVERED, 0), dead.get(REFUSED, 0)
        lines += ["", self._text("stats_dead_letters", undelivered=undelivered, refused=refused)]
        return escape("\n".join(lines))
