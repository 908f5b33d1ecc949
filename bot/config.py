"""``config.yaml`` → a frozen, validated :class:`Settings`; secrets come only from env.

Environment variables override the file where it makes sense for operators:
``DATABASE_URL``, ``TELEGRAM_API_BASE``, ``LOTSE_LOG_LEVEL``. Secrets (``BOT_TOKEN``,
``WEBHOOK_SECRET``) are never read from the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from bot.source import IssueList, load_document
from bot.source.schema import validate_model

DEFAULT_CONFIG = Path("config.yaml")
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
"""Telegram usernames: 5-32 characters, letters, digits and _, starting with a letter."""
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


LIBRARY_ENV = "LOTSE_TELEGRAM_LIBRARY"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Paths(_Section):
    """Where staff-edited content lives, relative to config.yaml."""

    flows: str = "flows"
    locales: str = "locales"
    places: str = "places"
    nlu: str = "nlu"
    cache: str = "data/cache"
    """Learnt models, rebuilt whenever the examples change (safe to delete)."""


class Database(_Section):
    """Any SQLAlchemy async URL; SQLite (embedded) by default."""

    url: str = "sqlite+aiosqlite:///data/lotse.db"


class Privacy(_Section):
    """Consent and retention."""

    require_consent: bool = True
    retention_days: int = Field(default=90, ge=1, le=3650)


class Webhook(_Section):
    """Webhook mode: Telegram posts updates to ``public_url`` + ``path``."""

    host: str = "0.0.0.0"  # noqa: S104 - in a container the webhook must be reachable
    port: int = Field(default=8080, ge=1, le=65535)
    path: str = "/telegram"
    public_url: str = ""


class StaffGroup(_Section):
    """A Telegram staff supergroup with forum topics and the places it serves."""

    chat_id: int
    places: list[str] = Field(default_factory=list)
    fallback: bool = False


class SendLimits(_Section):
    """How fast Lotse sends; the defaults stay below what Telegram tolerates for a bot."""

    per_second: float = Field(default=25.0, gt=0, le=1000)
    chat_burst: int = Field(default=8, ge=1, le=100)
    chat_per_second: float = Field(default=1.0, gt=0, le=100)
    group_per_minute: float = Field(default=18.0, gt=0, le=6000)


TelegramLibraryName = Literal["aiogram", "ptb"]
TELEGRAM_LIBRARIES: tuple[TelegramLibraryName, ...] = get_args(TelegramLibraryName)


class Telegram(_Section):
    """The Telegram channel."""

    mode: Literal["polling", "webhook"] = "polling"
    library: TelegramLibraryName = "aiogram"
    """The Telegram library Lotse runs on; env ``LOTSE_TELEGRAM_LIBRARY`` wins."""
    username: str | None = Field(
        default=None, json_schema_extra={"pattern": f"^@?{_USERNAME.pattern}$"}
    )
    """The bot's username, e.g. LotseHamelnBot, for poster links; empty: asked from
    Telegram (getMe) when BOT_TOKEN is set."""
    api_base: str | None = None
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9100, ge=0, le=65535)
    webhook: Webhook = Field(default_factory=Webhook)
    staff_groups: list[StaffGroup] = Field(default_factory=list)
    staff_user_ids: list[int] = Field(default_factory=list)
    limits: SendLimits = Field(default_factory=SendLimits)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        name = value.removeprefix("@") if value else None
        if name is not None and not _USERNAME.fullmatch(name):
            msg = (
                f"{value!r} is not a Telegram username; write it as @BotFather shows it, "
                "e.g. LotseHamelnBot"
            )
            raise ValueError(msg)
        return name


class Handoff(_Section):
    """Handoff to staff: optional machine translation by a self-hosted LibreTranslate."""

    translate_url: str = ""
    """E.g. http://libretranslate:5000; empty: relays go untranslated (and say so)."""
    translate_timeout: float = Field(default=5.0, gt=0, le=30)


class Web(_Section):
    """The web chat for residents without Telegram (and sub-apps such as /staff)."""

    enabled: bool = False
    """Serve the web chat in ``python -m bot run`` too (``python -m bot web`` always does)."""
    host: str = "127.0.0.1"
    port: int = Field(default=8088, ge=1, le=65535)
    public_url: str = ""
    """The address residents open, e.g. https://lotse.example.org; https makes cookies
    Secure."""
    new_per_minute: int = Field(default=60, ge=0, le=100_000)
    """New conversations per minute from one address (behind a proxy: from the whole
    site); 0: no limit."""
    embed_origins: list[str] = Field(default_factory=list)
    """Websites allowed to show the chat in an <iframe>, e.g. https://www.hameln.de;
    empty: only this site itself."""

    @field_validator("embed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        bad = [o for o in value if not _ORIGIN.fullmatch(o)]
        if bad:
            msg = (
                f"not a web origin: {', '.join(bad)}; write scheme and host only, "
                "e.g. https://www.hameln.de"
            )
            raise ValueError(msg)
        return value


class Settings(_Section):
    """The whole configuration (see the README for every key)."""

    languages: list[str] = Field(default_factory=lambda: ["de", "en"], min_length=1)
    default_language: str = "de"
    fallbacks: list[str] = Field(default_factory=lambda: ["de", "en"])
    timezone: str = "Europe/Berlin"
    welcome_flow: str = "welcome"
    paths: Paths = Field(default_factory=Paths)
    database: Database = Field(default_factory=Database)
    privacy: Privacy = Field(default_factory=Privacy)
    telegram: Telegram = Field(default_factory=Telegram)
    handoff: Handoff = Field(default_factory=Handoff)
    web: Web = Field(default_factory=Web)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    base_dir: SkipJsonSchema[Path] = Path()
    """Set by the loader: the folder of config.yaml; relative paths start here."""

    @field_validator("languages", "fallbacks")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if not _is_language(code)]
        if unknown:
            msg = (
                f"unknown language code(s): {', '.join(unknown)}; use ISO 639-1 codes such "
                "as de, en, ar, uk (ku for Kurmanji)"
            )
            raise ValueError(msg)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            msg = f"unknown time zone {value!r}; Hameln uses 'Europe/Berlin'"
            raise ValueError(msg) from None
        return value

    @model_validator(mode="after")
    def _default_offered(self) -> Settings:
        if self.default_language not in self.languages:
            msg = f"default_language {self.default_language!r} must be one of languages"
            raise ValueError(msg)
        return self

    def path(self, relative: str) -> Path:
        """Resolve a configured path against the folder of config.yaml."""
        path = Path(relative)
        return path if path.is_absolute() else self.base_dir / path

    def database_url(self, env: Mapping[str, str] | None = None) -> str:
        """The database URL (env ``DATABASE_URL`` wins); relative SQLite paths are resolved."""
        url = (env or os.environ).get("DATABASE_URL") or self.database.url
        prefix = "sqlite+aiosqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            url = prefix + str(self.path(url.removeprefix(prefix)).resolve())
        return url

    def api_base(self, env: Mapping[str, str] | None = None) -> str | None:
        """The Bot API base URL (env ``TELEGRAM_API_BASE`` wins), or None for Telegram's."""
        return (env or os.environ).get("TELEGRAM_API_BASE") or self.telegram.api_base

    def telegram_library(self, env: Mapping[str, str] | None = None) -> TelegramLibraryName:
        """aiogram or ptb (env ``LOTSE_TELEGRAM_LIBRARY`` wins over ``telegram.library``).

        Raises:
            ValueError: the environment names another library.
        """
        given = (env or os.environ).get(LIBRARY_ENV, "").strip().lower()
        if not given:
            return self.telegram.library
        for name in TELEGRAM_LIBRARIES:
            if given == name:
                return name
        msg = f"{LIBRARY_ENV}={given!r} is not a Telegram library Lotse runs on (aiogram, ptb)"
        raise ValueError(msg)


def _is_language(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, LookupError, UnknownLocaleError):
        return False
    return True


def load_settings(path: Path = DEFAULT_CONFIG) -> tuple[Settings | None, IssueList]:
    """Read and validate config.yaml; every problem is a located issue, never a traceback."""
    issues = IssueList()
    doc = load_document(path, str(path))
    issues.extend(doc.issues)
    if doc.issues:
        return None, issues
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        issues.add(doc.issue((), "C100", "config.yaml must be a mapping of settings"))
        return None, issues
    settings, found = validate_model(doc, Settings, data, code="C100")
    issues.extend(found)
    if settings is None:
        return None, issues
    level = os.environ.get("LOTSE_LOG_LEVEL", "").upper()
    update: dict[str, object] = {"base_dir": path.parent.resolve()}
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        update["log_level"] = level
    return settings.model_copy(update=update), issues
