"""The staff-edited understanding data in ``nlu/``: topics, examples and safety cues.

``nlu/topics.yaml`` names each topic and where it leads (a flow, a step, or a person);
``nlu/<language>.yaml`` lists example messages per topic and the safety cues of that
language, the way Rasa keeps NLU training data. Problems become located N-code issues.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.core.ports import TopicRoute
from bot.i18n.model import Review
from bot.nlu.text import fold
from bot.source import Document, Issue, IssueList, Severity, load_documents
from bot.source.issues import did_you_mean
from bot.source.schema import validate_model

TOPICS_FILE = "topics.yaml"
MIN_EXAMPLES = 25
"""Fewer examples than this per topic and language make the topic hard to recognise."""
SAFETY_KINDS = ("violence", "emergency")
CALLS = "calls"
CALL_FILLERS = "call_fillers"
MIN_PREFIX = 3
"""Letters a cue needs before its ``*``: "sch*" would match far too much."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class TopicSpec(_Model):
    """Where a recognised topic leads."""

    label: str = ""
    """Text key of the topic's button when Lotse asks which topic was meant (needed when
    the topic leads somewhere)."""
    flow: str | None = None
    step: str | None = None
    handoff: bool = False
    """The topic asks for a person: hand the conversation over."""


class TopicsFile(_Model):
    """``nlu/topics.yaml``."""

    topics: dict[str, TopicSpec] = Field(min_length=1)


class SafetyCues(_Model):
    """Words and short phrases that on their own signal danger."""

    violence: list[str] = Field(default_factory=list)
    emergency: list[str] = Field(default_factory=list)
    calls: list[str] = Field(default_factory=list)
    """Words that call for help ("Hilfe", "SOS"): a message made only of these and of
    ``call_fillers`` is an emergency, while "Hilfe mit dem Brief" is not."""
    call_fillers: list[str] = Field(default_factory=list)
    """Words that go with a bare call ("mir", "bitte", "schnell"), never enough alone."""


class LanguageFile(_Model):
    """``nlu/<language>.yaml``."""

    language: str
    review: Review = "ok"
    examples: dict[str, list[str]] = Field(default_factory=dict)
    safety: SafetyCues = SafetyCues()


@dataclass(frozen=True)
class NluData:
    """Everything in ``nlu/``, validated."""

    routes: Mapping[str, TopicRoute] = field(default_factory=dict)
    examples: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    """Language → topic → example messages."""
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Safety kind ("violence", "emergency"; "calls" and "call_fillers" for bare calls for
    help) → cues of every language."""
    sources: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)
    """Topic → (file, line, column) in ``topics.yaml``, for cross-checks."""

    def training_set(self) -> list[tuple[str, str]]:
        """(message, topic) pairs of every language, in a stable order."""
        return [
            (text, topic)
            for language in sorted(self.examples)
            for topic, texts in sorted(self.examples[language].items())
            for text in texts
        ]


def load_nlu(
    folder: Path, root: Path | None, languages: Iterable[str]
) -> tuple[NluData, IssueList]:
    """Read ``folder``; return the data and every issue found (N-codes)."""
    issues = IssueList()
    docs = load_documents(sorted(folder.glob("*.yaml")), root)
    topics_doc = next((d for d in docs if Path(d.file).name == TOPICS_FILE), None)
    if topics_doc is None:
        name = str(folder / TOPICS_FILE)
        issues.add(_file_issue(name, "N100", f"{TOPICS_FILE} is missing"))
        return NluData(), issues
    issues.extend(topics_doc.issues)
    if topics_doc.issues:  # unreadable: its syntax error says it all
        return NluData(), issues
    topics, found = validate_model(topics_doc, TopicsFile, topics_doc.data, code="N100")
    issues.extend(found)
    if topics is None:
        return NluData(), issues
    examples: dict[str, dict[str, tuple[str, ...]]] = {}
    cues: dict[str, list[str]] = {kind: [] for kind in (*SAFETY_KINDS, CALLS, CALL_FILLERS)}
    for doc in docs:
        if doc is topics_doc:
            continue
        issues.extend(doc.issues)
        parsed = None if doc.issues else _language_file(doc, topics.topics, issues)
        if parsed is None:
            continue
        examples[parsed.language] = {t: tuple(x) for t, x in parsed.examples.items()}
        for kind in cues:
            cues[kind] += getattr(parsed.safety, kind)
    offered = list(languages)
    for language in offered:
        if language not in examples:
            name = str(folder / f"{language}.yaml")
            message = f"no examples for the offered language {language!r}"
            issues.add(_file_issue(name, "N105", message, Severity.WARNING))
    routes = {
        topic: TopicRoute(topic, spec.label, spec.flow, spec.step, spec.handoff)
        for topic, spec in topics.topics.items()
    }
    sources = {topic: (topics_doc.file, *topics_doc.where(("topics", topic))) for topic in routes}
    data = NluData(routes, examples, {k: tuple(v) for k, v in cues.items()}, sources)
    return data, issues


def _language_file(
    doc: Document, topics: Mapping[str, TopicSpec], issues: IssueList
) -> LanguageFile | None:
    parsed, found = validate_model(doc, LanguageFile, doc.data, code="N100")
    issues.extend(found)
    if parsed is None:
        return None
    if Path(doc.file).stem != parsed.language:
        issues.add(
            doc.issue(
                ("language",),
                "N100",
                f"language {parsed.language!r} does not match the file name",
                f"rename the file to {parsed.language}.yaml",
            )
        )
        return None
    seen: dict[str, str] = {}
    for topic, texts in parsed.examples.items():
        if topic not in topics:
            issues.add(
                doc.issue(
                    ("examples", topic),
                    "N101",
                    f"unknown topic {topic!r}",
                    did_you_mean(topic, topics) or f"topics are listed in {TOPICS_FILE}",
                )
            )
            continue
        if len(texts) < MIN_EXAMPLES:
            issues.add(
                doc.issue(
                    ("examples", topic),
                    "N102",
                    f"topic {topic!r} has {len(texts)} examples; write at least {MIN_EXAMPLES}",
                    warning=True,
                )
            )
        for index, text in enumerate(texts):
            key = fold(text)
            if key in seen and seen[key] != topic:
                issues.add(
                    doc.issue(
                        ("examples", topic, index),
                        "N103",
                        f"the example {text!r} is also listed under {seen[key]!r}",
                        "an example may stand under one topic only",
                    )
                )
            seen.setdefault(key, topic)
    for kind in (*SAFETY_KINDS, CALLS, CALL_FILLERS):
        single = kind == CALLS  # each word of a call would call on its own
        for index, cue in enumerate(getattr(parsed.safety, kind)):
            if problem := cue_problem(cue, single_word=single):
                issues.add(doc.issue(("safety", kind, index), "N106", problem))
    return parsed


def cue_problem(cue: str, *, single_word: bool = False) -> str:
    """Why a safety cue cannot be used, or an empty string."""
    if not fold(cue):
        return f"the cue {cue!r} has no letters or digits"
    if single_word and len(fold(cue).split()) > 1:
        return (
            f"{cue!r} is more than one word; each word of a call would call for help alone "
            "(write 'ajutatima', or put 'ma' into call_fillers)"
        )
    for word in cue.split():
        if word.endswith("*") and len(fold(word)) < MIN_PREFIX:
            return f"the cue word {word!r} needs at least {MIN_PREFIX} letters before '*'"
    return ""


def _file_issue(name: str, code: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(name, 1, 1, severity, code, message)
