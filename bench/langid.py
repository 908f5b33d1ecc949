"""Benchmark language detection on short resident messages.

Runs every detector in a fresh subprocess (so memory and import costs are measured
fairly), then prints accuracy overall, per length bucket and per language, the top
confusions, messages per second and the resident-set size the detector adds.

It also reports how often Lotse says "a language Lotse does not offer" (``unoffered``):
wrongly on the labelled data, and rightly on the held-out messages in other languages
(``bench/data/nlu_eval/unknown.yaml``, written by a separate helper; never tuned on).

Usage: ``python bench/langid.py [--data PATH] [--only NAME ...]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data" / "langid.tsv"
UNKNOWN = ROOT / "bench" / "data" / "nlu_eval" / "unknown.yaml"
OFFERED = ("de", "en", "uk", "ru", "ar", "fa", "ps", "tr", "ku", "ro", "bg", "pl", "sq")
BUCKETS = ("1-2", "3-5", "6-15")
HOLDOUT_MARKER = "# split: holdout"
MIN_TIMING_SECONDS = 1.5
Predict = Callable[[str, str | None], str | None]


@dataclass(frozen=True)
class Row:
    """One labelled message."""

    lang: str
    hint: str | None
    text: str
    split: str

    @property
    def bucket(self) -> str:
        words = len(self.text.split())
        if words <= 2:
            return "1-2"
        return "3-5" if words <= 5 else "6-15"


def load(path: Path) -> list[Row]:
    """Read the TSV; rows after the hold-out marker belong to the hold-out split."""
    rows = []
    split = "dev"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(HOLDOUT_MARKER):
            split = "holdout"
            continue
        if not line.strip() or line.startswith("#") or line.startswith("lang\t"):
            continue
        lang, hint, text = line.split("\t")
        rows.append(Row(lang, hint or None, text, split))
    return rows


# --- detectors (built inside the worker process) -------------------------------------


def _first_offered(ranked: Iterable[str]) -> str | None:
    # Fair restriction for libraries without one: take their best offered language; a
    # message whose every guess is unoffered counts as wrong (None).
    for code in ranked:
        if code in OFFERED:
            return code
    return None


def build_langdetect() -> Predict:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random unless seeded

    def predict(text: str, hint: str | None) -> str | None:
        try:
            return _first_offered(guess.lang for guess in detect_langs(text))
        except LangDetectException:
            return None

    return predict


def build_py3langid() -> Predict:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(OFFERED))

    def predict(text: str, hint: str | None) -> str | None:
        return str(identifier.classify(text)[0])

    return predict


def _build_lingua(low_accuracy: bool) -> Predict:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    supported = {language.iso_code_639_1.name.lower() for language in Language.all()}
    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in OFFERED
        if code in supported
    ]
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def predict(text: str, hint: str | None) -> str | None:
        found = detector.detect_language_of(text)
        return None if found is None else str(found.iso_code_639_1.name.lower())

    return predict


def build_lingua() -> Predict:
    return _build_lingua(low_accuracy=False)


def build_lingua_low() -> Predict:
    return _build_lingua(low_accuracy=True)


def build_pycld2() -> Predict:
    import pycld2  # type: ignore[import-untyped]

    def predict(text: str, hint: str | None) -> str | None:
        try:
            _, _, details = pycld2.detect(text, bestEffort=True)
        except pycld2.error:
            return None
        return _first_offered(code for _, code, _, _ in details)

    return predict


def build_lotse() -> Predict:
    from bot.langid import LanguageIdentifier

    detector = LanguageIdentifier(OFFERED)

    def predict(text: str, hint: str | None) -> str | None:
        return detector.detect(text, hint).language

    return predict


@dataclass(frozen=True)
class Candidate:
    """A detector under test and where it comes from."""

    name: str
    build: Callable[[], Predict]
    distribution: str
    uses_hint: bool = False
    note: str = ""


CANDIDATES: tuple[Candidate, ...] = (
    Candidate("langdetect", build_langdetect, "langdetect", note="baseline; no ps/ku"),
    Candidate("py3langid", build_py3langid, "py3langid", note="restricted to offered"),
    Candidate("lingua", build_lingua, "lingua-language-detector", note="no ps/ku; preloaded"),
    Candidate(
        "lingua-low", build_lingua_low, "lingua-language-detector", note="low-accuracy mode"
    ),
    Candidate("pycld2", build_pycld2, "pycld2", note="bestEffort"),
    Candidate("lotse", build_lotse, "py3langid", uses_hint=True, note="rules + py3langid"),
)


# --- worker ----------------------------------------------------------------------------


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def worker(name: str, data: Path) -> None:
    """Build one detector in this fresh process, run it, print a JSON report."""
    candidate = next(c for c in CANDIDATES if c.name == name)
    rows = load(data)
    before = _rss_kib()
    started = time.perf_counter()
    predict = candidate.build()
    predict("warm-up: Hallo, wie geht es?", None)  # lazy loaders load on first call
    load_seconds = time.perf_counter() - started
    rss_added = _rss_kib() - before
    modes = {"none": [predict(row.text, None) for row in rows]}
    if candidate.uses_hint:
        modes["hint"] = [predict(row.text, row.hint) for row in rows]
        modes["oracle"] = [predict(row.text, row.lang) for row in rows]
    texts = [row.text for row in rows]
    hints = [row.hint for row in rows]
    short = [row.text for row in rows if row.bucket == "1-2"]
    speed = _messages_per_second(predict, texts, hints)
    short_speed = _messages_per_second(predict, short, [None] * len(short))
    report = {
        "modes": modes,
        "rss_mib": rss_added / 1024,
        "load_s": load_seconds,
        "msgs_per_s": speed,
        "short_msgs_per_s": short_speed,
    }
    print(json.dumps(report))


def _messages_per_second(
    predict: Predict, texts: Sequence[str], hints: Sequence[str | None]
) -> float:
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < MIN_TIMING_SECONDS:
        for text, hint in zip(texts, hints, strict=True):
            predict(text, hint)
        done += len(texts)
    return done / (time.perf_counter() - started)


# --- report -----------------------------------------------------------------------------


def _pct(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}%" if total else "   n/a"


def _accuracy(
    rows: Sequence[Row], predicted: Sequence[str | None], keep: Callable[[Row], bool]
) -> str:
    pairs = [(row, guess) for row, guess in zip(rows, predicted, strict=True) if keep(row)]
    return _pct(sum(row.lang == guess for row, guess in pairs), len(pairs))


def _where(
    lang: str | None = None, bucket: str | None = None, split: str | None = None
) -> Callable[[Row], bool]:
    """A row filter; None matches anything."""

    def keep(row: Row) -> bool:
        return (
            (lang is None or row.lang == lang)
            and (bucket is None or row.bucket == bucket)
            and (split is None or row.split == split)
        )

    return keep


def _without_ps_ku(row: Row) -> bool:
    # langdetect and lingua have no Pashto or Kurmanji: their score on the rest is fairer.
    return row.lang not in {"ps", "ku"}


def _licence(distribution: str) -> tuple[str, str]:
    try:
        meta = metadata.metadata(distribution)
    except metadata.PackageNotFoundError:
        return "not installed", ""
    fields = meta.json
    licence = str(fields.get("license_expression") or fields.get("license") or "")
    if not licence or len(licence) > 40:
        found = fields.get("classifier") or []
        classifiers = [c for c in found if "License ::" in c]
        licence = classifiers[0].split("::")[-1].strip() if classifiers else licence[:40]
    return metadata.version(distribution), licence


def print_dataset(rows: Sequence[Row]) -> None:
    counts = Counter((row.lang, row.bucket) for row in rows)
    print(f"Data: {DATA.relative_to(ROOT)}  ({len(rows)} messages; ", end="")
    print(f"{sum(row.split == 'holdout' for row in rows)} in the hold-out split)")
    print("lang  " + "  ".join(f"{b:>5}" for b in BUCKETS) + "  total")
    for lang in OFFERED:
        cells = [counts[(lang, b)] for b in BUCKETS]
        print(f"{lang:<5} " + "  ".join(f"{c:>5}" for c in cells) + f"  {sum(cells):>5}")
    print()


def print_summary(rows: Sequence[Row], results: dict[str, dict[str, object]]) -> None:
    print("Accuracy (hint not used unless stated), speed on one core, RSS added by loading")
    header = f"{'detector':<18}{'all':>7}{'1-2':>7}{'3-5':>7}{'6-15':>7}{'3+':>7}"
    header += f"{'holdout':>9}{'-ps/ku':>8}{'msgs/s':>9}{'1-2 w/s':>9}{'RSS MiB':>9}{'load s':>8}"
    print(header)
    for name, report in results.items():
        modes = report["modes"]
        assert isinstance(modes, dict)
        for mode, predicted in modes.items():
            label = name if mode == "none" else f"{name} +{mode}"
            cells = [
                _accuracy(rows, predicted, lambda r: True),
                *(_accuracy(rows, predicted, _where(bucket=b)) for b in BUCKETS),
                _accuracy(rows, predicted, lambda r: r.bucket != "1-2"),
            ]
            line = f"{label:<18}" + "".join(f"{c:>7}" for c in cells)
            line += f"{_accuracy(rows, predicted, _where(split='holdout')):>9}"
            line += f"{_accuracy(rows, predicted, _without_ps_ku):>8}"
            if mode == "none":
                line += f"{report['msgs_per_s']:>9.0f}{report['short_msgs_per_s']:>9.0f}"
                line += f"{report['rss_mib']:>9.1f}"
                line += f"{report['load_s']:>8.2f}"
            print(line)
    print("  +hint = the Telegram hint from the data (sometimes wrong or empty);")
    print("  +oracle = the hint set to the true language (a resident whose phone is right).")
    print("  -ps/ku = accuracy on the 11 languages every candidate supports.")
    print()


def print_per_language(rows: Sequence[Row], name: str, predicted: Sequence[str | None]) -> None:
    print(f"Per language: {name}")
    print("lang  " + "".join(f"{b:>7}" for b in (*BUCKETS, "all")))
    for lang in OFFERED:
        cells = [_accuracy(rows, predicted, _where(lang=lang, bucket=b)) for b in BUCKETS]
        cells.append(_accuracy(rows, predicted, _where(lang=lang)))
        print(f"{lang:<5} " + "".join(f"{c:>7}" for c in cells))
    confusions = Counter(
        (row.lang, guess or "und")
        for row, guess in zip(rows, predicted, strict=True)
        if row.lang != guess
    )
    top = ", ".join(f"{gold}->{guess} x{n}" for (gold, guess), n in confusions.most_common(8))
    print(f"top confusions: {top or 'none'}")
    print()


def print_targets(rows: Sequence[Row], modes: dict[str, list[str | None]]) -> None:
    from bot.langid import normalise_hint

    print("Targets for lotse")
    for mode in ("none", "hint"):
        got = _accuracy(rows, modes[mode], lambda r: r.bucket != "1-2")
        print(f"  >= 97% on 3+ words ({mode:>4}):                {got}")
    right_hint = [i for i, r in enumerate(rows) if normalise_hint(r.hint, OFFERED) == r.lang]
    short = [i for i in right_hint if rows[i].bucket == "1-2"]
    hits = sum(rows[i].lang == modes["hint"][i] for i in short)
    got = _pct(hits, len(short))
    print(f"  >= 90% on 1-2 words when the hint is right:   {got} (n={len(short)})")
    oracle = _accuracy(rows, modes["oracle"], _where(bucket="1-2"))
    print(f"  1-2 words, hint forced right for every row:   {oracle}")
    print()


def print_reliability(rows: Sequence[Row]) -> None:
    from bot.langid import LanguageIdentifier

    detector = LanguageIdentifier(OFFERED)
    print("lotse reliable=True: how often, and how often then right")
    for mode in ("none", "hint"):
        flagged = right = 0
        for row in rows:
            found = detector.detect(row.text, row.hint if mode == "hint" else None)
            if found.reliable:
                flagged += 1
                right += found.language == row.lang
        print(
            f"  {mode:>4}: reliable on {_pct(flagged, len(rows))} of messages, "
            f"precision {_pct(right, flagged)} ({right}/{flagged})"
        )
    short = [row for row in rows if row.bucket == "1-2"]
    flagged_short = sum(detector.detect(row.text).reliable for row in short)
    print(f"  1-2 words: reliable on {_pct(flagged_short, len(short))} (the rest defer)")
    print()


def load_unknown(path: Path) -> list[str]:
    """The texts of the held-out messages written in languages Lotse does not offer."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = data["messages"] if isinstance(data, dict) else data
    return [str(m["text"]) if isinstance(m, dict) else str(m) for m in messages]


def print_unoffered(rows: Sequence[Row]) -> None:
    from bot.langid import LanguageIdentifier

    detector = LanguageIdentifier(OFFERED)
    print("lotse und = unoffered (a language Lotse does not offer); the engine acts on reliable")
    found = [detector.detect(row.text, row.hint) for row in rows]
    wrong = sum(f.unoffered for f in found)
    acted = sum(f.unoffered and f.reliable for f in found)
    print(f"  false und on {DATA.name}: {_pct(wrong, len(rows))} ({wrong}/{len(rows)}), ", end="")
    print(f"reliable {_pct(acted, len(rows))}")
    if not UNKNOWN.exists():
        print(f"  {UNKNOWN.relative_to(ROOT)} not found\n")
        return
    texts = load_unknown(UNKNOWN)
    found = [detector.detect(text) for text in texts]
    print(f"  {UNKNOWN.relative_to(ROOT)} ({len(texts)} messages, hint not used):")
    buckets = {
        "all": lambda words: True,
        "3+ words": lambda words: words >= 3,
        "1-2 words": lambda words: words < 3,
    }
    for label, keep in buckets.items():
        got = [f for text, f in zip(texts, found, strict=True) if keep(len(text.split()))]
        und = sum(f.unoffered and f.reliable for f in got)
        weak = sum(f.unoffered and not f.reliable for f in got)
        print(
            f"    {label:<9} und {_pct(und, len(got))} ({und}/{len(got)}), "
            f"unoffered but not reliable {_pct(weak, len(got))}"
        )
    guesses = Counter(f.language or "none" for f in found if not f.unoffered)
    top = ", ".join(f"{lang} x{n}" for lang, n in guesses.most_common(8))
    print(f"    not called und: {top or 'none'}")
    print()


def print_libraries() -> None:
    print("Candidates: version, licence")
    seen = set()
    for candidate in CANDIDATES:
        if candidate.distribution in seen:
            continue
        seen.add(candidate.distribution)
        version, licence = _licence(candidate.distribution)
        print(f"  {candidate.distribution:<26}{version:<10}{licence}")
    print()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, or (with --worker) one detector inside a subprocess."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--only", nargs="*", help="detector names to run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.data)
        return 0
    rows = load(args.data)
    print_dataset(rows)
    results: dict[str, dict[str, object]] = {}
    for candidate in CANDIDATES:
        if args.only and candidate.name not in args.only:
            continue
        command = [sys.executable, __file__, "--worker", candidate.name, "--data", str(args.data)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode != 0:
            if "ModuleNotFoundError" in done.stderr:
                print(f"{candidate.name}: skipped, pip install {candidate.distribution}\n")
            else:
                print(f"{candidate.name}: failed\n{done.stderr.strip()[-500:]}\n")
            continue
        results[candidate.name] = json.loads(done.stdout.strip().splitlines()[-1])
    print_summary(rows, results)
    for name in ("langdetect", "lotse"):
        if name in results:
            modes = results[name]["modes"]
            assert isinstance(modes, dict)
            print_per_language(rows, name, modes["none"])
    if "lotse" in results:
        modes = results["lotse"]["modes"]
        assert isinstance(modes, dict)
        print_per_language(rows, "lotse +hint", modes["hint"])
        print_targets(rows, modes)
        print_reliability(rows)
        print_unoffered(rows)
    print_libraries()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
