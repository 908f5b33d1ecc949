"""The composition root: the only module that knows every concrete class.

config → content (flows, locales, places) → engine → storage → services; channels get
ready services (conversations, handoff cases, the outbox), never the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.content import Content, load_content
from bot.core.dialogue import EngineSettings
from bot.core.engine import Engine
from bot.handoff_service import HandoffService
from bot.langid import LanguageIdentifier
from bot.nlu import FuzzyMatcher
from bot.outbox_service import OutboxService
from bot.service import ConversationService
from bot.source import IssueList
from bot.staff_service import StaffService
from bot.storage import Database, open_database

log = logging.getLogger("bot.app")


class ContentError(Exception):
    """Flows, locales or places have errors; the message lists them like a compiler."""


@dataclass
class App:
    """A running Lotse: settings, content, the services and their database."""

    settings: Settings
    content: Content
    service: ConversationService
    cases: HandoffService
    outbox: OutboxService
    db: Database
    staff: StaffService

    async def close(self) -> None:
        """Release the database."""
        await self.db.close()


def reload_content(app: App) -> IssueList:
    """Load edited flows, locales and places; switch to them only when they are valid.

    Returns the issues found. With errors nothing changes and the bot keeps running on the
    last good version; sessions continue on the new version where their step still exists
    (the engine takes the others gently back to their flow's start).
    """
    content = load_content(app.settings, background=True)
    if content.ok:
        app.content = content
        app.service.engine = build_engine(app.settings, content)
        log.info(
            "content reloaded: %d flows, %d languages",
            len(content.flows.flows),
            len(content.texts.catalogues),
        )
    else:
        log.error(
            "content not reloaded: %d errors; still running the last good version",
            len(content.issues.errors),
        )
    return content.issues


def build_engine(settings: Settings, content: Content) -> Engine:
    """An engine over validated content, with the best detector and matcher available."""
    engine_settings = EngineSettings(
        languages=tuple(settings.languages),
        default_language=settings.default_language,
        welcome_flow=settings.welcome_flow,
        require_consent=settings.privacy.require_consent,
        timezone=settings.timezone,
    )
    return Engine(
        content.flows,
        content.texts,
        engine_settings,
        directory=content.directory,
        detector=LanguageIdentifier(settings.languages, cache=settings.path(settings.paths.cache)),
        matcher=FuzzyMatcher(),
        understanding=content.understanding,
    )


def checked_content(settings: Settings, *, background: bool = False) -> Content:
    """Load content; raise :class:`ContentError` listing every error when it is unusable."""
    content = load_content(settings, background=background)
    if not content.ok:
        lines = "\n".join(str(issue) for issue in content.issues.errors)
        msg = f"the content has errors; fix them and run `python -m bot validate`:\n{lines}"
        raise ContentError(msg)
    return content


async def build_app(settings: Settings) -> App:
    """Load and check content, open and migrate the database, wire the services."""
    content = checked_content(settings, background=True)
    db = await open_database(settings.database_url())
    service = ConversationService(build_engine(settings, content), db)
    cases = HandoffService(service, db, settings.telegram.staff_groups)
    return App(settings, content, service, cases, OutboxService(db), db, StaffService(db))


async def preview_service(
    settings: Settings, content: Content
) -> tuple[ConversationService, Database]:
    """A conversation service over ``content`` on a fresh in-memory database, for the staff
    console's preview of unsaved edits; nothing of it reaches the bot's storage. Close the
    database when the preview ends."""
    db = await open_database("sqlite+aiosqlite:///:memory:")
    return ConversationService(build_engine(settings, content), db), db
