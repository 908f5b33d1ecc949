"""Command line: ``python -m bot [command]``.

Heavy modules (aiogram, SQLAlchemy) are imported inside the commands that need them, so
``validate`` starts fast and never imports a Telegram library.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import DEFAULT_CONFIG, Settings, load_settings

EXIT_OK, EXIT_ERROR = 0, 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Lotse, the neighbourhood guide bot. Without a command: the Telegram bot "
        "when BOT_TOKEN is set, else a chat in this terminal.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="path to config.yaml (default: ./config.yaml)",
    )
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check flows, locales, places and config")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    chat = sub.add_parser("chat", help="talk to Lotse in this terminal (no Telegram needed)")
    chat.add_argument("--lang", help="answer in this language from the start")
    chat.add_argument("--resident", default="local", help="who is chatting (default: local)")
    sub.add_parser("run", help="run the Telegram bot (needs BOT_TOKEN)")
    sub.add_parser("web", help="serve the web chat for residents (web: in config.yaml)")
    sub.add_parser("i18n-report", help="translation completeness per language")
    langid = sub.add_parser("langid", help="print the language of each line on stdin")
    langid.add_argument("--hint", help="a Telegram language_code to use as a prior")
    export = sub.add_parser("export-data", help="print everything stored about a resident")
    export.add_argument("resident", help="e.g. telegram:123456")
    sub.add_parser("purge", help="delete data older than the retention period now")
    graph = sub.add_parser("graph", help="draw flows as pictures (mermaid, svg, png)")
    graph.add_argument("flows", nargs="*", metavar="FLOW", help="flow ids (default: all)")
    graph.add_argument("--format", choices=("mermaid", "svg", "png"), default="mermaid")
    graph.add_argument("-o", "--output", type=Path, help="a file, or a folder for several flows")
    graph.add_argument("--docs", action="store_true", help="redraw docs/flows (mermaid, svg)")
    flows = sub.add_parser("test-flows", help="run the conversation tests (tests/conversations/)")
    flows.add_argument("paths", nargs="*", type=Path, help="test files or folders")
    flows.add_argument("-v", "--verbose", action="store_true", help="show every conversation")
    schema = sub.add_parser("schema", help="write JSON Schema files for editor support")
    schema.add_argument("-o", "--out", type=Path, help="folder (default: schemas/)")
    poster = sub.add_parser("poster", help="an A4 poster with QR codes for a place (PDF)")
    poster.add_argument("--place", required=True, help="place id, e.g. kaisers")
    poster.add_argument("--lang", required=True, help="languages, e.g. de,ar,uk")
    poster.add_argument("-o", "--out", type=Path, help="PDF file (default: poster-<place>.pdf)")
    review = sub.add_parser("places-review", help="facts of the places, oldest first (German)")
    review.add_argument("--today", help="count ages from this day, YYYY-MM-DD (default: today)")
    review.add_argument("--place", help="only this place id")
    stats = sub.add_parser("stats", help="figures for funders (German) from the statistics")
    stats.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD")
    stats.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    stats.add_argument("--format", choices=("table", "csv", "png"), default="table")
    stats.add_argument("-o", "--output", type=Path, help="write to this file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run a command; returns the process exit code."""
    args = _parser().parse_args(argv)
    command = args.command or ("run" if os.environ.get("BOT_TOKEN") else "chat")
    settings = _settings(args.config)
    if settings is None:
        return EXIT_ERROR
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migration chatter is noise here
    if command == "langid":
        from bot.cli.langid import langid  # noqa: PLC0415

        return langid(settings, args.hint)
    if command == "validate":
        from bot.cli.validate import validate  # noqa: PLC0415

        return validate(settings, strict=args.strict)
    if command == "i18n-report":
        from bot.cli.validate import i18n_report  # noqa: PLC0415

        return i18n_report(settings)
    if command == "chat":
        from bot.cli.chat import chat  # noqa: PLC0415

        return chat(
            settings,
            language=getattr(args, "lang", None),
            resident=getattr(args, "resident", "local"),
        )
    if command == "graph":
        from bot.cli.graph import graph  # noqa: PLC0415

        return graph(settings, args.flows, args.format, args.output, docs=args.docs)
    if command == "test-flows":
        from bot.cli.flowtests import run_flow_tests  # noqa: PLC0415

        return run_flow_tests(settings, args.paths, verbose=args.verbose)
    if command == "schema":
        from bot.cli.schema import schema  # noqa: PLC0415

        return schema(settings, args.config, args.out)
    if command == "poster":
        from bot.cli.poster import poster  # noqa: PLC0415

        return poster(settings, args.place, args.lang, args.out)
    if command == "places-review":
        from bot.cli.places_review import places_review  # noqa: PLC0415

        return places_review(settings, args.today, args.place)
    if command == "run":
        from bot.cli.run import run  # noqa: PLC0415

        return run(settings)
    if command == "web":
        from bot.cli.web import serve  # noqa: PLC0415

        return serve(settings)
    if command == "stats":
        from bot.cli.stats import stats  # noqa: PLC0415

        return stats(settings, args.start, args.end, args.format, args.output)
    from bot.cli.data import export_data, purge  # noqa: PLC0415

    return export_data(settings, args.resident) if command == "export-data" else purge(settings)


def _settings(path: Path) -> Settings | None:
    settings, issues = load_settings(path)
    for issue in issues:
        print(issue, file=sys.stderr)
    return settings
