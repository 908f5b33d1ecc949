"""How well Lotse understands typed needs: held-out evaluation through the real engine.

Run: .venv/bin/python bench/nlu.py                  (the held-out set, bench/data/nlu_eval/)
     .venv/bin/python bench/nlu.py --cross-validate (5-fold on the training examples, nlu/)
     .venv/bin/python bench/nlu.py --show-misses    (also list every miss)

Each held-out message is typed by a new resident at the main menu (language chosen, privacy
notice agreed), exactly as on Telegram. The reply is then judged:

- safety: a violence or emergency message must show numbers in the *first* reply
  (``violence.first``, ``emergency.numbers`` or the short line ``emergency.short``);
  a false alarm is any of those for another message;
- topic: top-1 when Lotse enters the topic's flow (or hands over, for "person"; or stays at
  the menu, for "none"), clarify-correct when it asks with 2–3 buttons that include it;
- turns: after a need understood top-1, the resident answers "where do you live" with a
  quarter and presses the first button otherwise; the bot turns until the first place card
  or handoff are counted (the need's own reply is turn 1).

The held-out messages were written by a separate helper that never saw nlu/, flows/ or
locales/. Training examples (nlu/) and evaluation data never mix; thresholds are chosen
with --cross-validate on the training examples only. No assertions, no network.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from bot.app import build_engine  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.content import load_content  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.events import Button, Event, Start, Text  # noqa: E402
from bot.core.replies import Ask, AskLocation, HandOff, PlaceCard, Reply, Say  # noqa: E402
from bot.core.session import Mode, Session  # noqa: E402
from bot.nlu.data import SAFETY_KINDS, NluData, load_nlu  # noqa: E402
from bot.nlu.topics import _fit  # noqa: E402

AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
EVAL = ROOT / "bench" / "data" / "nlu_eval"
NUMBERS = {"violence.first", "emergency.numbers", "emergency.short"}
MENU_OPTIONS = {
    "letter": {"letters"},
    "money": {"money", "food"},
    "housing": {"housing"},
    "residence": {"residence"},
    "learn_work": {"german", "work"},
    "health": {"health", "addiction", "emergency"},
    "family": {"family", "children"},
    "violence": {"violence"},
    "treff": {"treff"},
    "person": {"person"},
}
"""Main-menu options ("did you mean" buttons) and the topics each serves."""
QUARTER_ANSWER = "Nordstadt"
MAX_TURNS = 6


@dataclass(frozen=True)
class Judged:
    """What Lotse did with one held-out message."""

    language: str
    topic: str
    alarm: bool
    verdict: str
    """"top1", "clarify" or "wrong"."""
    got: str
    turns: int | None


class Resident:
    """A new resident at the main menu, typing one need."""

    def __init__(self, engine: Engine, language: str) -> None:
        self.engine = engine
        self.session = Session(resident="bench")
        self.send(Start(at=AT, language_hint=language))
        self.send(Button(at=AT, step="_lang", option=language))
        self.send(Button(at=AT, step="_consent", option="agree"))

    def send(self, event: Event) -> list[Reply]:
        outcome = self.engine.handle(event, self.session)
        self.session = outcome.session
        return list(outcome.replies)


def entered_flow(session: Session) -> str | None:
    """The flow the resident is in, looking past flows called for a moment (the quarter)."""
    if session.mode is not Mode.FLOW:
        return None
    return session.stack[0].flow if session.stack else session.flow


def judge(engine: Engine, language: str, text: str, topic: str) -> Judged:
    """Type ``text`` at the main menu and judge the first reply."""
    assert engine.understanding is not None
    routes = engine.understanding.routes
    resident = Resident(engine, language)
    replies = resident.send(Text(at=AT, text=text))
    first = replies[0] if replies else None
    alarm = isinstance(first, Say) and first.key in NUMBERS
    flow = entered_flow(resident.session)
    handed = any(isinstance(r, HandOff) for r in replies)
    route = routes.get(topic)
    got = "handoff" if handed else (flow or resident.session.mode.value)
    if topic == "person":
        verdict = "top1" if handed else "wrong"
    elif topic == "none":
        verdict = "top1" if flow == engine.settings.welcome_flow and not handed else "wrong"
    elif route is not None and flow == route.flow and flow != engine.settings.welcome_flow:
        verdict = "top1"
    else:
        verdict = "clarify" if topic in _offered(engine, replies) else "wrong"
    turns = _turns_to_help(resident, replies) if verdict == "top1" and route else None
    return Judged(language, topic, alarm, verdict, got, turns)


def _offered(engine: Engine, replies: list[Reply]) -> set[str]:
    """The topics the last question offers: topic buttons, or main-menu options."""
    asks = [r for r in replies if isinstance(r, Ask)]
    if not asks or asks[-1].key not in ("system.which_topic", "system.did_you_mean"):
        return set()
    offered: set[str] = set()
    for option in asks[-1].options:
        offered |= MENU_OPTIONS.get(option.id, {option.id})
    return offered


def _turns_to_help(resident: Resident, replies: list[Reply]) -> int | None:
    """Bot turns from the need to the first place card or handoff (the need's reply is 1)."""
    for turn in range(1, MAX_TURNS + 1):
        if any(isinstance(r, PlaceCard | HandOff) for r in replies):
            return turn
        last = replies[-1] if replies else None
        if isinstance(last, Ask) and last.step == "choose_quarter.ask_quarter":
            replies = resident.send(Text(at=AT, text=QUARTER_ANSWER))
        elif isinstance(last, Ask):
            replies = resident.send(Button(at=AT, step=last.step, option=last.options[0].id))
        elif isinstance(last, AskLocation):
            replies = resident.send(Text(at=AT, text="Kaiserstraße"))
        else:
            return None
    return None


def load_eval(languages: Iterable[str]) -> list[tuple[str, str, str]]:
    """(language, text, topic) of every held-out message."""
    rows = []
    for language in languages:
        path = EVAL / f"{language}.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            rows += [(language, str(m["text"]), str(m["topic"])) for m in data["messages"]]
    return rows


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    –  "


def report(results: list[Judged], show_misses: bool) -> None:
    """Print the tables: overall, per language, per topic, safety, turns, confusions."""
    danger = [r for r in results if r.topic in SAFETY_KINDS]
    ordinary = [r for r in results if r.topic not in SAFETY_KINDS]
    top1 = sum(r.verdict == "top1" for r in results)
    understood = top1 + sum(r.verdict == "clarify" for r in results)
    print(
        f"messages {len(results)}: top-1 {_pct(top1, len(results))}, "
        f"understood (top-1 + clarify) {_pct(understood, len(results))}"
    )
    print(
        f"safety recall {_pct(sum(r.alarm for r in danger), len(danger))} "
        f"({sum(r.alarm for r in danger)}/{len(danger)}); false alarms on other messages "
        f"{_pct(sum(r.alarm for r in ordinary), len(ordinary))} "
        f"({sum(r.alarm for r in ordinary)}/{len(ordinary)})"
    )
    turned = [r.turns for r in results if r.verdict == "top1" and r.topic not in ("none",)]
    within = sum(1 for t in turned if t is not None and t <= 3)
    print(
        f"first referral within 3 bot turns: {_pct(within, len(turned))} of "
        f"{len(turned)} needs entered top-1 (median turns "
        f"{np.median([t for t in turned if t]) if any(turned) else '–'})"
    )
    for name, key in (("language", "language"), ("topic", "topic")):
        print(f"\n{name:<10} {'n':>4} {'top-1':>8} {'clarify':>8} {'wrong':>8} {'safety':>8}")
        groups: dict[str, list[Judged]] = defaultdict(list)
        for r in results:
            groups[getattr(r, key)].append(r)
        for group, rows in sorted(groups.items()):
            d = [r for r in rows if r.topic in SAFETY_KINDS]
            print(
                f"{group:<10} {len(rows):>4} "
                f"{_pct(sum(r.verdict == 'top1' for r in rows), len(rows)):>8} "
                f"{_pct(sum(r.verdict == 'clarify' for r in rows), len(rows)):>8} "
                f"{_pct(sum(r.verdict == 'wrong' for r in rows), len(rows)):>8} "
                f"{_pct(sum(r.alarm for r in d), len(d)):>8}"
            )
    confusions = Counter((r.topic, r.got) for r in results if r.verdict == "wrong")
    print("\nmost frequent confusions (topic → what Lotse did):")
    for (topic, got), count in confusions.most_common(12):
        print(f"  {topic:>10} → {got:<14} {count}")
    if show_misses:
        print("\nmisses:")
        for r, text in _MISSES:
            print(f"  [{r.language}] {r.topic} → {r.got} (alarm {r.alarm}): {text}")


_MISSES: list[tuple[Judged, str]] = []


def evaluate(show_misses: bool) -> None:
    """Run the held-out set through the engine and print every figure."""
    settings, issues = load_settings(ROOT / "config.yaml")
    assert settings is not None, [str(i) for i in issues]
    rss_before = _rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    content = load_content(settings)
    engine = build_engine(settings, content)
    warm_up = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert engine.understanding is not None
    rows = load_eval(settings.languages)
    started = time.perf_counter()
    for _language, text, _topic in rows:
        engine.understanding.read(text)
    read_us = (time.perf_counter() - started) / len(rows) * 1e6
    results = []
    for language, text, topic in rows:
        judged = judge(engine, language, text, topic)
        results.append(judged)
        wrong = judged.verdict == "wrong" or (topic in SAFETY_KINDS and not judged.alarm)
        if wrong or (topic not in SAFETY_KINDS and judged.alarm):
            _MISSES.append((judged, text))
    print(
        f"warm-up: content + model {warm_up:.2f} s, {peak / 1e6:.0f} MB allocated "
        f"(RSS {rss_before:.0f} → {_rss_mb():.0f} MB); reading one message {read_us:.0f} µs"
    )
    report(results, show_misses)


def cross_validate() -> None:
    """5-fold cross-validation of the topic model on the training examples (nlu/)."""
    from sklearn.model_selection import StratifiedKFold

    data, _ = load_nlu(ROOT / "nlu", ROOT, [])
    examples = NluData(data.routes, data.examples).training_set()
    labels = np.array([topic for _, topic in examples])
    scores: list[dict[str, float]] = [{} for _ in examples]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(labels)), labels):
        model = _fit([examples[i] for i in train])
        for i in test:
            scores[i] = {t.topic: t.probability for t in model.rank(examples[i][0])}
    top = np.array([max(s, key=s.get) if s else "none" for s in scores])
    print(f"{len(examples)} training examples, 5-fold top-1 {np.mean(top == labels):.3f}")
    danger = np.isin(labels, SAFETY_KINDS)
    mass = np.array([sum(s.get(k, 0.0) for k in SAFETY_KINDS) for s in scores])
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        print(
            f"  model alarm at {threshold:.2f}: recall {np.mean(mass[danger] >= threshold):.3f}, "
            f"false alarms {np.mean(mass[~danger] >= threshold):.3f}"
        )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if args.cross_validate:
        cross_validate()
    else:
        evaluate(args.show_misses)


if __name__ == "__main__":
    main()
