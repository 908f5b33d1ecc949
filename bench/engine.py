"""Engine benchmark: start-up apart from steady state, memory per component, load time.

Run: .venv/bin/python bench/engine.py   (prints figures; no assertions, no network)
Targets: >= 20,000 flow steps/s on one core in steady state, typed messages included;
the first answer <= 3 s after start; 50 flows x 12 locales loaded and validated in < 1 s.

Start-up is measured in fresh interpreters (imports, content, the topic model learnt anew
or read from its cache, the language model, the first answer); steady state after a
warm-up conversation, so caches are filled as they are in a running bot.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.app import build_engine  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.core import steps  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.events import Button, Command, Event, Start, Text  # noqa: E402
from bot.core.replies import Ask  # noqa: E402
from bot.core.session import Checkpoint, Frame, Session  # noqa: E402
from bot.flowspec import load_flows  # noqa: E402
from bot.i18n import load_catalogues  # noqa: E402
from bot.i18n.checks import check_catalogues  # noqa: E402

AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def earlier_conversation() -> list[Event]:
    """The walk the first engine figures were measured on (no place cards, one typed need)."""
    return [
        Start(at=AT, language_hint="de"),
        Button(at=AT, step="_lang", option="de"),
        Button(at=AT, step="_consent", option="agree"),
        Text(at=AT, text="Ich habe einen Brief vom Jobcenter"),
        Text(at=AT, text="1"),
        Text(at=AT, text="weiß ich nicht"),
        Text(at=AT, text="xyz"),
        Command(at=AT, name="back"),
    ]


def conversation() -> list[Event]:
    """A resident's walk, half of it typed: a need, a typed answer that gets place cards, a
    miss, a danger."""
    return [
        Start(at=AT, language_hint="de"),
        Button(at=AT, step="_lang", option="de"),
        Button(at=AT, step="_consent", option="agree"),
        Text(at=AT, text="Ich habe einen Brief vom Amt bekommen und verstehe ihn nicht"),
        Text(at=AT, text="1"),
        Text(at=AT, text="Südstadt"),
        Text(at=AT, text="xyz"),
        Command(at=AT, name="back"),
        Text(at=AT, text="Mein Mann schlägt mich"),
    ]


STARTUP = """
import time
started = time.perf_counter()
from pathlib import Path
from bot.app import build_engine
from bot.config import load_settings
from bot.content import load_content
from bot.core.events import Start, Text
from bot.core.session import Session
settings, _ = load_settings(Path("config.yaml"))
paths = settings.paths.model_copy(update={"cache": CACHE})
settings = settings.model_copy(update={"paths": paths})
content = load_content(settings, background=True)  # as the running bot does
engine = build_engine(settings, content)
ready = time.perf_counter()
outcome = engine.handle(Start(at=AT, language_hint="de"), Session(resident="s"))
engine.handle(Text(at=AT, text="Mein Sohn hat Fieber, wo finde ich einen Arzt?"), outcome.session)
answered = time.perf_counter()
while content.understanding.read("Brief vom Jobcenter").topics == ():
    time.sleep(0.01)
print(ready - started, answered - started, time.perf_counter() - started, RSS())
"""


def bench_startup(cache: Path) -> tuple[float, float, float, float]:
    """Seconds to a ready engine, to the first answers and to topics being read, and the
    peak RSS (MB), in a new process."""
    code = STARTUP.replace("CACHE", repr(str(cache)))
    prelude = (
        "import resource\nfrom datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
        "AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo('Europe/Berlin'))\n"
        "RSS = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    ready, first, learnt, rss = (float(x) for x in result.stdout.split())
    return ready, first, learnt, rss


def component_memory() -> list[tuple[str, float]]:
    """RSS each part adds, loaded one after another in a new process (MB)."""
    code = """
import resource, sys
from pathlib import Path
def rss(): return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6
steps = [("Python", rss())]
import aiogram
steps.append(("aiogram (the Bot API types)", rss()))
import bot.app, bot.content
steps.append(("SQLAlchemy, pydantic, numpy and the rest of Lotse", rss()))
from bot.config import load_settings
from bot.content import load_content
settings, _ = load_settings(Path("config.yaml"))
content = load_content(settings)
steps.append(("flows, catalogues, places, nlu data and the topic model", rss()))
from bot.langid import LanguageIdentifier
LanguageIdentifier(settings.languages, cache=settings.path(settings.paths.cache)).detect(
    "Ich habe einen Brief vom Jobcenter", None
)
steps.append(("language model (py3langid, all its languages)", rss()))
for name, value in steps: print(f"{value:.1f}\t{name}")
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rows = [line.split("\t") for line in result.stdout.strip().splitlines()]
    found, before = [], 0.0
    for value, name in rows:
        found.append((name, float(value) - before))
        before = float(value)
    return found


def real_engine() -> Engine:
    settings, issues = load_settings(
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "config.yaml"
    )
    assert settings is not None, [str(i) for i in issues]
    return build_engine(settings, load_content(settings))


def walk(engine: Engine, script: list[Event]) -> int:
    """One resident's conversation; the events handled (a typed "1" is followed by a press
    of the first button it shows, as a resident would)."""
    session, handled = Session(resident="bench"), 0
    for event in script:
        outcome = engine.handle(event, session)
        session = outcome.session
        asks = [r for r in outcome.replies if isinstance(r, Ask)]
        if asks and isinstance(event, Text) and event.text == "1":
            press = Button(at=AT, step=asks[-1].step, option=asks[-1].options[0].id)
            session = engine.handle(press, session).session
            handled += 1
        handled += 1
    return handled


def bench_steps(
    engine: Engine, scripts: Sequence[list[Event]], seconds: float = 3.0
) -> tuple[float, float]:
    """Events handled per CPU second, and flow steps executed per CPU second: the scripts
    one after the other, again and again for ``seconds``, or once each when there are
    more of them than fit (so that every message is new to the caches)."""
    executed = 0
    original = steps._execute

    def counting(*args: object) -> object:
        nonlocal executed
        executed += 1
        return original(*args)  # type: ignore[arg-type]

    steps._execute = counting  # type: ignore[assignment]
    # CPU time of this process, not wall time: the figure is per CPU second of one core,
    # and stays comparable while other work shares the machine.
    handled, started, done = 0, time.process_time(), 0
    once = len(scripts) > 1
    while (done < len(scripts)) if once else (time.process_time() - started < seconds):
        handled += walk(engine, scripts[done % len(scripts)])
        done += 1
    elapsed = time.process_time() - started
    steps._execute = original  # type: ignore[assignment]
    return handled / elapsed, executed / elapsed


def held_out_walks() -> list[list[Event]]:
    """A resident per held-out message (bench/data/nlu_eval, 13 languages): picks the
    language, agrees, types the message, a miss, /back."""
    walks = []
    for path in sorted((ROOT / "bench" / "data" / "nlu_eval").glob("??.yaml")):
        language = path.stem
        for message in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            walks.append(
                [
                    Start(at=AT, language_hint=language),
                    Button(at=AT, step="_lang", option=language),
                    Button(at=AT, step="_consent", option="agree"),
                    Text(at=AT, text=str(message["text"])),
                    Text(at=AT, text="xyz"),
                    Command(at=AT, name="back"),
                ]
            )
    return walks


def synthetic_content(folder: Path, flows: int = 50, locales: int = 12) -> None:
    """50 flows of 12 steps each, and 12 catalogues with every key they use."""
    (folder / "flows").mkdir()
    (folder / "locales").mkdir()
    keys: list[str] = []
    for f in range(flows):
        steps: dict[str, object] = {}
        for s in range(12):
            key = f"f{f}.s{s}"
            keys += [key, f"{key}_a", f"{key}_b"]
            following = f"s{s + 1}" if s < 11 else "bye"
            steps[f"s{s}"] = {
                "ask": key,
                "options": [
                    {
                        "id": "a",
                        "label": f"{key}_a",
                        "next": following,
                        "keywords": {"de": ["eins"], "en": ["one"]},
                    },
                    {"id": "b", "label": f"{key}_b", "next": "bye"},
                ],
            }
        steps["bye"] = {"end": None}
        doc = {"flow": f"flow{f}", "start": "s0", "steps": steps}
        (folder / "flows" / f"flow{f}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    for n in range(locales):
        lang = ["de", "en", "ar", "uk", "ru", "fa", "ps", "tr", "ku", "ro", "bg", "pl"][n]
        doc = {
            "meta": {"language": lang, "name": lang},
            "messages": {k: f"Text {k} {{name}}" for k in keys},
        }
        (folder / "locales" / f"{lang}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
        )


def bench_load() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synthetic_content(folder)
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            flowset, issues = load_flows(sorted((folder / "flows").glob("*.yaml")), folder)
            cats, docs, cat_issues = load_catalogues(
                sorted((folder / "locales").glob("*.yaml")), folder
            )
            found = list(check_catalogues(cats, docs))
            runs.append(time.perf_counter() - started)
        if issues.errors or cat_issues.errors or found:
            raise SystemExit("synthetic content did not validate")
        return statistics.median(runs), len(flowset.flows)


def bench_memory(count: int = 10_000) -> float:
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    sessions = [
        Session(
            resident=f"telegram:{100000 + i}",
            language="ar",
            language_chosen=True,
            consent=True,
            flow="letters",
            step="deadline",
            flow_version="0123456789ab",
            vars={
                "need": "letter",
                "office": "jobcenter",
                "topic": "letters",
                "quarter": "nordstadt",
            },
            history=(
                Checkpoint(frame=Frame(flow="welcome", step="menu")),
                Checkpoint(frame=Frame(flow="letters", step="which_office")),
            ),
        )
        for i in range(count)
    ]
    after = tracemalloc.take_snapshot()
    size = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    tracemalloc.stop()
    del sessions
    return size / 1024 / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cold = bench_startup(Path(tmp))  # learns the topic model and writes its cache
        warm = bench_startup(Path(tmp))  # reads it
    print("start-up (new process: imports, content, models, the first answers):")
    for name, (ready, first, learnt, rss) in (("not learnt before", cold), ("cached", warm)):
        print(
            f"  topic model {name}: engine ready {ready:.2f} s, first answers {first:.2f} s "
            f"(target <= 3 s), topics read from {learnt:.2f} s, peak RSS {rss:.0f} MB"
        )
    print("memory each part adds (RSS, loaded in this order):")
    for name, added in component_memory():
        print(f"  {added:7.1f} MB  {name}")
    print("steady state (after a warm-up conversation), per CPU second, real content:")
    engine = real_engine()
    for script in (conversation(), earlier_conversation()):
        walk(engine, script)  # fills caches once, as in a running bot
    for name, scripts in (
        ("typed need, place cards, a miss, violence (5 of 9 typed)", [conversation()]),
        ("the first session's walk (4 of 8 typed, no cards)", [earlier_conversation()]),
        ("each of 1,833 held-out messages once, 13 languages", held_out_walks()),
    ):
        events, flow_steps = bench_steps(engine, scripts)
        print(
            f"  {name}: {events:,.0f} events/s, {flow_steps:,.0f} flow steps/s (target >= 20,000)"
        )
    load_s, flows = bench_load()
    memory = bench_memory()
    print(f"load + validate {flows} flows x 12 locales: {load_s * 1000:,.0f} ms   (target < 1000)")
    print(f"memory of 10,000 sessions held:             {memory:,.1f} MiB")


if __name__ == "__main__":
    main()
