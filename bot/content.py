"""Load and cross-check everything staff edit: flows, locales and places.

This is where the separate validators meet: flows need their text keys in German, their
topics and places in the directory, and every offered language needs a catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.core.ports import Directory, Understanding
from bot.core.texts import LABEL_KEYS, SYSTEM_KEYS
from bot.directory import load_directory
from bot.flowgraph import FlowGraph, build_graphs, unloaded_documents
from bot.flowspec import FlowSet, load_flows
from bot.flowspec.model import AskStep, Flow, HandoffStep, ReferStep
from bot.flowspec.paths import questions_before_help
from bot.i18n import Catalogs, load_catalogues
from bot.i18n.catalog import Entry
from bot.i18n.checks import check_catalogues, check_labels
from bot.nlu import NluData, Reader, load_nlu
from bot.source import Document, Issue, IssueList, Severity
from bot.source.issues import did_you_mean


@dataclass(frozen=True)
class Content:
    """Everything the engine runs on, loaded and validated together."""

    flows: FlowSet
    texts: Catalogs
    directory: Directory | None
    understanding: Understanding | None
    issues: IssueList

    @property
    def ok(self) -> bool:
        """True when nothing stops the bot from running on this content."""
        return not self.issues.errors


def load_content(
    settings: Settings, *, background: bool = False, understand: bool = True, strict: bool = False
) -> Content:
    """Load flows, catalogues and places named in the settings; collect every issue.

    ``background``: a running bot learns a changed topic model in a thread (see
    :class:`bot.nlu.Reader`) instead of waiting for it. ``understand=False`` leaves the
    topic model out, for commands that only look at the content. ``strict`` adds what staff
    may complete later (places without coordinates).
    """
    issues = IssueList()
    flows_dir = settings.path(settings.paths.flows)
    locales_dir = settings.path(settings.paths.locales)
    root = settings.base_dir
    flowset, flow_issues = load_flows(_yaml_files(flows_dir, "F001", "paths.flows", issues), root)
    issues.extend(flow_issues)
    catalogues, docs, cat_issues = load_catalogues(
        _yaml_files(locales_dir, "L001", "paths.locales", issues), root
    )
    issues.extend(cat_issues)
    issues.extend(check_catalogues(catalogues, docs))
    issues.extend(check_labels(catalogues, docs, {*LABEL_KEYS, *_label_keys(flowset)}))
    directory = _load_directory(settings, issues, strict=strict)
    nlu = _load_nlu(settings, issues)
    texts = Catalogs(catalogues, settings.fallbacks)
    issues.extend(_check_languages(settings, texts))
    issues.extend(_check_keys(flowset, texts, docs.get("de")))
    issues.extend(_check_directory_refs(flowset, directory))
    issues.extend(_check_routes(nlu, flowset, texts))
    if settings.welcome_flow not in flowset.flows:
        issues.add(
            Issue(
                "config.yaml",
                1,
                1,
                Severity.ERROR,
                "C101",
                f"welcome_flow {settings.welcome_flow!r} is not a flow",
                did_you_mean(settings.welcome_flow, flowset.flows),
            )
        )
    cache = settings.path(settings.paths.cache)
    ready = understand and nlu.routes and not issues.errors
    understanding = Reader(nlu, cache, background=background) if ready else None
    return Content(flowset, texts, directory, understanding, issues)


def _yaml_files(folder: Path, code: str, setting: str, issues: IssueList) -> list[Path]:
    return [] if _missing(folder, code, setting, issues) else sorted(folder.glob("*.yaml"))


def _load_directory(settings: Settings, issues: IssueList, *, strict: bool) -> Directory | None:
    places_dir = settings.path(settings.paths.places)
    if _missing(places_dir, "P001", "paths.places", issues):
        return None
    directory, found = load_directory(places_dir, root=settings.base_dir, strict=strict)
    issues.extend(found)
    return directory


def _load_nlu(settings: Settings, issues: IssueList) -> NluData:
    folder = settings.path(settings.paths.nlu)
    if _missing(folder, "N001", "paths.nlu", issues):
        return NluData()
    nlu, found = load_nlu(folder, settings.base_dir, settings.languages)
    issues.extend(found)
    return nlu


def _missing(folder: Path, code: str, setting: str, issues: IssueList) -> bool:
    """Record a content folder that does not exist; True when it is missing."""
    if folder.is_dir():
        return False
    hint = f"check {setting} in config.yaml"
    issues.add(Issue(str(folder), 1, 1, Severity.ERROR, code, "folder not found", hint))
    return True


MAX_QUESTIONS = 2
"""Questions a typed need may meet before the first place card or person (usually only
"where do you live?")."""


def _check_routes(nlu: NluData, flowset: FlowSet, texts: Catalogs) -> Iterator[Issue]:
    """N104: a topic must lead to an existing flow and step, with a German label.
    N107 (warning): the topic's flow asks more than two questions before it helps."""
    german = set(texts.catalogues["de"].entries) if "de" in texts.catalogues else set()
    for route in nlu.routes.values():
        problems = []
        if route.flow and route.flow not in flowset.flows:
            problems.append(
                (f"flow {route.flow!r} does not exist", did_you_mean(route.flow, flowset.flows))
            )
        elif route.flow and route.step and flowset.step(route.flow, route.step) is None:
            hint = did_you_mean(route.step, flowset.flows[route.flow].steps)
            problems.append((f"flow {route.flow!r} has no step {route.step!r}", hint))
        if (route.flow or route.handoff) and route.label not in german:
            label = route.label or "(none)"
            problems.append((f"label {label!r} is not a text key in locales/de.yaml", ""))
        file, line, col = nlu.sources[route.topic]
        for message, hint in problems:
            text = f"topic {route.topic!r}: {message}"
            yield Issue(file, line, col, Severity.ERROR, "N104", text, hint)
        if route.flow and not problems:
            asked = questions_before_help(flowset, route.flow, route.step)
            if asked is not None and asked > MAX_QUESTIONS:
                text = (
                    f"topic {route.topic!r}: up to {asked} questions before the first place or "
                    f"person; residents who type their need should meet at most {MAX_QUESTIONS}"
                )
                hint = "show the places first and ask details after them"
                yield Issue(file, line, col, Severity.WARNING, "N107", text, hint)


def _label_keys(flowset: FlowSet) -> set[str]:
    return {
        o.label
        for f in flowset.flows.values()
        for s in f.steps.values()
        if isinstance(s, AskStep)
        for o in s.options
    }


def _flow_keys(flow: Flow) -> Iterator[tuple[str, str]]:
    """Yield (step id, text key) for every text a flow uses."""
    for step_id, step in flow.steps.items():
        for name in ("ask", "prompt", "invalid", "intro", "none", "text", "end"):
            value = getattr(step, name, None)
            if isinstance(value, str):
                yield step_id, value
        for key in getattr(step, "keys", ()):
            yield step_id, key
        for option in getattr(step, "options", ()):
            yield step_id, option.label


def _check_keys(flowset: FlowSet, texts: Catalogs, de_doc: Document | None) -> Iterator[Issue]:
    """F110: every key a flow or the engine uses must exist in German."""
    if "de" not in texts.catalogues:
        yield Issue(
            "locales/de.yaml",
            1,
            1,
            Severity.ERROR,
            "L101",
            "the German catalogue is missing",
            "German is the source language",
        )
        return
    german = set(texts.catalogues["de"].entries)
    for flow_id, flow in flowset.flows.items():
        for step_id, key in _flow_keys(flow):
            if key not in german:
                ref = flowset.sources[(flow_id, step_id)]
                yield Issue(
                    ref.file,
                    ref.line,
                    ref.col,
                    Severity.ERROR,
                    "F110",
                    f"step {step_id!r}: text key {key!r} is missing in locales/de.yaml",
                    did_you_mean(key, german) or "add the German text there",
                )
    file = de_doc.file if de_doc else "locales/de.yaml"
    for key in SYSTEM_KEYS:
        if key not in german:
            yield Issue(
                file,
                1,
                1,
                Severity.ERROR,
                "L101",
                f"key {key!r} is missing; Lotse itself needs it",
                did_you_mean(key, german),
            )


def _check_languages(settings: Settings, texts: Catalogs) -> Iterator[Issue]:
    """C102: every offered language needs a catalogue."""
    for language in settings.languages:
        if language not in texts.catalogues:
            yield Issue(
                "config.yaml",
                1,
                1,
                Severity.ERROR,
                "C102",
                f"language {language!r} is offered but locales/{language}.yaml is missing",
                "add the catalogue or remove the language from 'languages'",
            )


def _check_directory_refs(flowset: FlowSet, directory: Directory | None) -> Iterator[Issue]:
    """F111: topics and places named in flows must exist in the directory."""
    if directory is None:
        return
    topics, places = set(directory.topics), set(directory.place_ids)
    for flow_id, flow in flowset.flows.items():
        for step_id, step in flow.steps.items():
            ref = flowset.sources[(flow_id, step_id)]
            named: list[tuple[str, str | None, set[str]]] = []
            if isinstance(step, ReferStep):
                named += [("topic", step.refer.topic, topics), ("place", step.refer.place, places)]
            if isinstance(step, HandoffStep):
                named += [
                    ("topic", step.handoff.topic, topics),
                    ("place", step.handoff.place, places),
                ]
            for what, value, known in named:
                if value and "{" not in value and value not in known:
                    yield Issue(
                        ref.file,
                        ref.line,
                        ref.col,
                        Severity.ERROR,
                        "F111",
                        f"step {step_id!r}: {what} {value!r} is not in the directory",
                        did_you_mean(value, known),
                    )


def load_graphs(settings: Settings) -> list[FlowGraph]:
    """Every flow file on disk drawn, with the validator's errors and the German texts."""
    content = load_content(settings, understand=False)
    german = content.texts.catalogues.get("de")
    texts = {key: _german(entry) for key, entry in german.entries.items()} if german else {}
    files = sorted(settings.path(settings.paths.flows).glob("*.yaml"))
    unloaded = unloaded_documents(files, settings.base_dir, content.flows)
    return build_graphs(
        content.flows, content.issues, texts, menu=settings.welcome_flow, unloaded=unloaded
    )


def _german(entry: Entry) -> str:
    """A message's German text; for plural forms the ``other`` one."""
    if isinstance(entry.text, str):
        return entry.text
    return entry.text.get("other") or next(iter(entry.text.values()), "")
