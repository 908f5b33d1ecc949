"""Posters: the QR codes on the printed page open Lotse at the right place, in the right language.

The page is rendered to an image (pypdfium2) and the codes are read back from it (zxing-cpp),
as a phone camera would; each link's start payload then goes to the real engine as /start.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
import zxingcpp
from fakes import Conversation

from bot.app import build_engine
from bot.cli import main
from bot.config import Settings, load_settings
from bot.content import load_content
from bot.core.engine import Engine
from bot.core.replies import Ask, HandOff
from bot.i18n import Catalogs
from tests.e2e.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
OFFERED = "[de, en, uk, ru, ar, fa, ps, tr, ku, ro, bg, pl, sq]"


def write_config(folder: Path, telegram: str = "") -> Path:
    """The shipped content, with its own config (a username, or none)."""
    paths = {name: ROOT / name for name in ("flows", "locales", "places", "nlu")}
    lines = [
        f"languages: {OFFERED}",
        "paths:",
        *(f"  {name}: {path}" for name, path in paths.items()),
        f"  cache: {ROOT / 'data' / 'cache'}",
        *([f"telegram: {telegram}"] if telegram else []),
    ]
    config = folder / "config.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run_bot(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command line in this process: exit code, stdout, stderr."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@dataclass(frozen=True)
class Scanned:
    """A QR code read from the rendered page, and where it stands."""

    link: str
    left_half: bool


def scan(pdf: Path) -> list[list[Scanned]]:
    """Every page at 150 dpi, read like a phone camera reads a printed poster."""
    pages = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=150 / 72).to_pil()
        found = zxingcpp.read_barcodes(image)
        pages.append(
            [Scanned(code.text, code.position.top_left.x < image.width / 2) for code in found]
        )
    return pages


def payload(link: str) -> str:
    return parse_qs(urlsplit(link).query)["start"][0]


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    folder = tmp_path_factory.mktemp("poster")
    config = write_config(folder, "{username: LotseHamelnBot}")
    settings, _ = load_settings(config)
    assert settings is not None
    return settings, config


@pytest.fixture(scope="module")
def kaisers_poster(configured: tuple[Settings, Path]) -> Path:
    _, config = configured
    out = config.parent / "kaisers.pdf"
    args = ["--config", str(config), "poster", "--place", "kaisers", "--lang", "de,ar,uk"]
    assert main([*args, "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def lotse(configured: tuple[Settings, Path]) -> tuple[Engine, Catalogs]:
    """The real engine on the shipped content, with the poster's settings."""
    settings, _ = configured
    content = load_content(settings)
    return build_engine(settings, content), content.texts


class TestPoster:
    def test_one_code_per_language_decodes_to_its_deep_link(self, kaisers_poster: Path) -> None:
        (page,) = scan(kaisers_poster)
        assert sorted(code.link for code in page) == [
            "https://t.me/LotseHamelnBot?start=kaisers-ar",
            "https://t.me/LotseHamelnBot?start=kaisers-de",
            "https://t.me/LotseHamelnBot?start=kaisers-uk",
        ]

    def test_arabic_block_is_mirrored(self, kaisers_poster: Path) -> None:
        (page,) = scan(kaisers_poster)
        sides = {payload(code.link): code.left_half for code in page}
        assert sides == {"kaisers-de": False, "kaisers-ar": True, "kaisers-uk": False}

    def test_five_languages_continue_on_a_second_page(
        self, configured: tuple[Settings, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, config = configured
        out = config.parent / "tafel.pdf"
        args = ("--config", str(config), "poster", "--place", "tafel", "-o", str(out))
        code, stdout, _ = run_bot(*args, "--lang", "de,ar,fa,ps,ru", capsys=capsys)
        assert code == 0
        assert stdout.splitlines()[0] == f"Plakat geschrieben: {out} (2 Seiten, A4)"
        pages = scan(out)
        assert [len(codes) for codes in pages] == [4, 1]
        assert pages[1][0].link == "https://t.me/LotseHamelnBot?start=tafel-ru"

    @pytest.mark.parametrize("language", ["de", "ar", "uk"])
    def test_scanned_link_opens_the_place_in_its_language(
        self, lotse: tuple[Engine, Catalogs], kaisers_poster: Path, language: str
    ) -> None:
        engine, texts = lotse
        links = {code.link for code in scan(kaisers_poster)[0]}
        link = next(link for link in links if link.endswith(f"-{language}"))
        resident = Conversation(engine, hint="de")  # Telegram says German; the link wins
        replies = resident.start(payload(link))
        assert resident.session.language == language
        assert resident.session.language_chosen
        consent = next(r for r in replies if isinstance(r, Ask))
        assert consent.text == texts.text(language, "system.privacy_short")
        resident.press("agree", step="_consent")
        handoff = [r for r in resident.command("human") if isinstance(r, HandOff)]
        assert [h.place_id for h in handoff] == ["kaisers"]


class TestBadInput:
    @pytest.mark.parametrize(
        ("choice", "expected"),
        [
            (
                ("--place", "kaiser", "--lang", "de"),
                (
                    "Diesen Ort gibt es nicht: 'kaiser'.",
                    "Gültige Orte: auslaenderbehoerde, bahnhofsmission, biss, englisches_viertel,",
                ),
            ),
            (
                ("--place", "kaisers", "--lang", "de,xx"),
                (
                    "Diese Sprache gibt es nicht: xx.",
                    "Gültige Sprachen: de, en, uk, ru, ar, fa, ps, tr, ku, ro, bg, pl, sq",
                ),
            ),
        ],
        ids=["unknown place", "unknown language"],
    )
    def test_lists_the_valid_ones(
        self,
        configured: tuple[Settings, Path],
        capsys: pytest.CaptureFixture[str],
        choice: tuple[str, ...],
        expected: tuple[str, str],
    ) -> None:
        _, config = configured
        code, _, err = run_bot("--config", str(config), "poster", *choice, capsys=capsys)
        assert code == 1
        problem, valid = err.splitlines()
        assert problem == expected[0]
        assert valid.startswith(expected[1])

    def test_no_username_and_no_token_says_what_to_configure(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        monkeypatch.delenv("BOT_TOKEN", raising=False)
        config = write_config(tmp_path)
        args = ("--config", str(config), "poster", "--place", "kaisers", "--lang", "de")
        code, _, err = run_bot(*args, "-o", str(tmp_path / "p.pdf"), capsys=capsys)
        assert code == 1
        assert err.splitlines() == [
            "Für den QR-Code brauche ich den Namen des Bots.",
            "Tragen Sie ihn in config.yaml ein, zum Beispiel:",
            "  telegram:",
            "    username: LotseHamelnBot",
            "Oder setzen Sie BOT_TOKEN, dann frage ich Telegram nach dem Namen.",
        ]
        assert not (tmp_path / "p.pdf").exists()


class TestUsernameInConfig:
    def test_written_with_at_as_botfather_shows_it(self, tmp_path: Path) -> None:
        settings, _ = load_settings(write_config(tmp_path, "{username: '@LotseHamelnBot'}"))
        assert settings is not None
        assert settings.telegram.username == "LotseHamelnBot"

    def test_a_wrong_username_is_a_located_config_error(self, tmp_path: Path) -> None:
        config = write_config(tmp_path, "{username: Lotse Bot}")
        settings, issues = load_settings(config)
        assert settings is None
        assert [str(issue) for issue in issues] == [
            f"{config}:8:12: error[C100] telegram.username: 'Lotse Bot' is not a Telegram "
            "username; write it as @BotFather shows it, e.g. LotseHamelnBot"
        ]


class TestUsernameFromTelegram:
    async def test_get_me_names_the_bot(
        self, fake_api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("BOT_TOKEN", fake_api.token)
        monkeypatch.setenv("TELEGRAM_API_BASE", fake_api.base_url)
        config, out = write_config(tmp_path), tmp_path / "p.pdf"
        args = ["--config", str(config), "poster", "--place", "tafel", "--lang", "ar"]
        assert await asyncio.to_thread(main, [*args, "-o", str(out)]) == 0
        assert [code.link for code in scan(out)[0]] == [
            "https://t.me/lotse_test_bot?start=tafel-ar"
        ]
        assert len(fake_api.calls("getMe")) == 1

    def test_unreachable_telegram_is_a_clear_error_without_the_token(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        token = "123456:secret-token-value"
        monkeypatch.setenv("BOT_TOKEN", token)
        monkeypatch.setenv("TELEGRAM_API_BASE", "http://127.0.0.1:9")  # nothing listens here
        config = write_config(tmp_path)
        args = ("--config", str(config), "poster", "--place", "tafel", "--lang", "ar")
        code, _, err = run_bot(*args, capsys=capsys)
        assert code == 1
        assert err.startswith("Ich konnte Telegram nicht nach dem Namen des Bots fragen (")
        assert token not in err
