"""Entry point: ``python -m bot.langid [--hint LANG] < messages.txt``."""

from bot.langid.cli import main

raise SystemExit(main())
