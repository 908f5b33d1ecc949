"""The flow language: one frozen pydantic model per step kind.

A step is a mapping with exactly one *kind key* (``say``, ``ask``, ``input``, ``branch``,
``set``, ``goto``, ``refer``, ``handoff``, ``end``); the kind key decides which model
validates it, like a discriminated union. Unknown keys are errors, so a typo such as
``nxet:`` is caught instead of silently ignored.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from bot.source.schema import NullAllowed

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
KEY_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
"""Text keys look like ``letter.intro``: lower-case words joined by dots, no spaces."""

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=32)]

TEXT_KEY: JsonDict = {"pattern": KEY_PATTERN.pattern, "items": {"pattern": KEY_PATTERN.pattern}}
"""Editor schema for text-key fields: a string (or each string of a list) looks like a key;
the loader's own check says more (see ``_check_key``)."""


def _check_key(value: str) -> str:
    if not KEY_PATTERN.match(value):
        msg = (
            f"{value!r} is not a text key; put the text into locales/de.yaml and write its "
            "key here, e.g. 'letter.intro'"
        )
        raise ValueError(msg)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )


def _kind_required(schema: JsonDict, model: type[BaseModel]) -> None:
    """In the editor schema, a step must have its kind key, as the loader demands."""
    kind = next(k for k, m in STEP_MODELS.items() if m is model)
    schema["required"] = sorted({*schema.get("required", []), kind})  # type: ignore[misc]


class _Step(_Model):
    model_config = ConfigDict(json_schema_extra=_kind_required)


class Option(_Model):
    """A button of an ``ask`` step."""

    id: Id
    label: str = Field(json_schema_extra=TEXT_KEY)
    next: Id | None = None
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    """Typed words per language that choose this option, e.g. ``{de: [brief], ar: [رسالة]}``."""
    set: dict[str, str] = Field(default_factory=dict)
    """Variables to set when this option is chosen."""

    _label_key = field_validator("label")(_check_key)

    @field_validator("keywords")
    @classmethod
    def _keywords_as_text(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {lang: [str(word) for word in words] for lang, words in value.items()}


class Condition(_Model):
    """One test in a ``branch``: on a variable, the language, the quarter or opening hours."""

    var: str | None = None
    equals: str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    is_set: bool | None = Field(default=None, alias="set")
    language: list[str] | None = None
    quarter: list[str] | None = None
    open_now: str | None = None
    """A place id (or ``{variable}``): true while that place is open."""

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [self.equals is not None, self.in_ is not None, self.is_set is not None]
        builtins = [self.language, self.quarter, self.open_now]
        if self.var is not None and sum(tests) != 1:
            msg = "a 'var' condition needs exactly one of 'equals', 'in' or 'set'"
            raise ValueError(msg)
        if self.var is None and any(tests):
            msg = "'equals', 'in' and 'set' need 'var' (the variable to test)"
            raise ValueError(msg)
        if (self.var is not None) + sum(b is not None for b in builtins) != 1:
            msg = "write one test per condition: var, language, quarter or open_now"
            raise ValueError(msg)
        return self


class Rule(_Model):
    """``if`` all conditions hold, go to ``next``."""

    if_: Condition | list[Condition] = Field(alias="if")
    next: Id

    @property
    def conditions(self) -> list[Condition]:
        """The rule's conditions as a list (all must hold)."""
        return self.if_ if isinstance(self.if_, list) else [self.if_]


class GotoTarget(_Model):
    """Jump to another flow, optionally coming back to ``next`` when it ends."""

    flow: Id
    step: Id | None = None
    return_: bool = Field(default=False, alias="return")


class ReferSpec(_Model):
    """What to look for in the directory; values may use ``{variables}``."""

    topic: str | None = None
    audience: str | None = None
    quarter: str | None = None
    place: str | None = None
    limit: int = Field(default=3, ge=1, le=5)


class HandoffSpec(_Model):
    """Where to hand over: a place id (or ``{variable}``) and a topic; both optional."""

    place: str | None = None
    topic: str | None = None


class SayStep(_Step):
    """Send one or more messages, then go on."""

    say: str | list[str] = Field(json_schema_extra=TEXT_KEY)
    next: Id | None = None

    @field_validator("say")
    @classmethod
    def _keys(cls, value: str | list[str]) -> str | list[str]:
        for key in [value] if isinstance(value, str) else value:
            _check_key(key)
        return value

    @property
    def keys(self) -> list[str]:
        """The message keys in order."""
        return [self.say] if isinstance(self.say, str) else list(self.say)


class AskStep(_Step):
    """Ask a question with buttons; typed words matching an option's keywords choose it."""

    ask: str = Field(json_schema_extra=TEXT_KEY)
    options: list[Option] = Field(min_length=1, max_length=12)
    var: str | None = None
    """Store the chosen option's id in this variable."""
    from_text: bool = False
    """Skip the question when an earlier typed message already answered it clearly
    ("Brief vom Jobcenter" answers "Von wem ist der Brief?"), using the options' keywords."""

    _text_key = field_validator("ask")(_check_key)

    @model_validator(mode="after")
    def _unique_ids(self) -> AskStep:
        ids = [o.id for o in self.options]
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            msg = f"option ids must be unique in a question; repeated: {', '.join(dupes)}"
            raise ValueError(msg)
        return self


InputKind = Literal["text", "number", "date", "street", "location"]


class InputStep(_Step):
    """Ask for free input of a kind, store it in ``var``, re-ask kindly when it is invalid."""

    input: InputKind
    prompt: str = Field(json_schema_extra=TEXT_KEY)
    var: str
    invalid: str | None = Field(default=None, json_schema_extra=TEXT_KEY)
    min: float | None = None
    max: float | None = None
    next: Id | None = None

    _prompt_key = field_validator("prompt")(_check_key)

    @field_validator("invalid")
    @classmethod
    def _invalid_key(cls, value: str | None) -> str | None:
        return None if value is None else _check_key(value)


class BranchStep(_Step):
    """Choose the next step by the first rule whose conditions hold, else ``else``."""

    branch: list[Rule] = Field(min_length=1)
    else_: Id = Field(alias="else")


class SetStep(_Step):
    """Set variables (values may use ``{variables}``), then go on."""

    set: dict[str, str]
    next: Id | None = None

    @field_validator("set", mode="before")
    @classmethod
    def _values_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v if isinstance(v, str) else str(v) for k, v in value.items()}
        return value


class GotoStep(_Step):
    """Go to a step of this flow (a name) or to another flow (a mapping)."""

    goto: Id | GotoTarget
    next: Id | None = None


class ReferStep(_Step):
    """Show the best places for what the resident needs."""

    refer: ReferSpec
    intro: str | None = Field(default=None, json_schema_extra=TEXT_KEY)
    none: str | None = Field(default=None, json_schema_extra=TEXT_KEY)
    """Text when nothing matches; the engine has a kind default."""
    next: Id | None = None

    @field_validator("intro", "none")
    @classmethod
    def _text_keys(cls, value: str | None) -> str | None:
        return None if value is None else _check_key(value)


class HandoffStep(_Step):
    """The resident wants a person: emit a handoff request."""

    handoff: Annotated[HandoffSpec, NullAllowed()] = Field(default_factory=HandoffSpec)
    text: str | None = Field(default=None, json_schema_extra=TEXT_KEY)
    next: Id | None = None

    @field_validator("handoff", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("text")
    @classmethod
    def _text_key(cls, value: str | None) -> str | None:
        return None if value is None else _check_key(value)


class EndStep(_Step):
    """End the flow (returning to a calling flow if there is one) with an optional goodbye."""

    end: str | None = Field(default=None, json_schema_extra=TEXT_KEY)

    @field_validator("end")
    @classmethod
    def _text_key(cls, value: str | None) -> str | None:
        return None if value is None else _check_key(value)


STEP_MODELS: dict[str, type[_Step]] = {
    "say": SayStep,
    "ask": AskStep,
    "input": InputStep,
    "branch": BranchStep,
    "set": SetStep,
    "goto": GotoStep,
    "refer": ReferStep,
    "handoff": HandoffStep,
    "end": EndStep,
}
"""Kind key → model. The kind key of a step is the one of these it contains."""


def step_kind(value: Any) -> str | None:
    """Return the kind key of a raw step mapping or step model (the discriminator), or None."""
    if isinstance(value, _Model):
        return next((k for k, m in STEP_MODELS.items() if isinstance(value, m)), None)
    if isinstance(value, dict):
        kinds = [k for k in STEP_MODELS if k in value]
        if len(kinds) == 1:
            return kinds[0]
    return None


Step = Annotated[
    Annotated[SayStep, Tag("say")]
    | Annotated[AskStep, Tag("ask")]
    | Annotated[InputStep, Tag("input")]
    | Annotated[BranchStep, Tag("branch")]
    | Annotated[SetStep, Tag("set")]
    | Annotated[GotoStep, Tag("goto")]
    | Annotated[ReferStep, Tag("refer")]
    | Annotated[HandoffStep, Tag("handoff")]
    | Annotated[EndStep, Tag("end")],
    Discriminator(step_kind),
]
"""Any step; pydantic picks the model by the step's kind key."""


class Flow(_Model):
    """A dialogue flow: an id, a start step and named steps."""

    flow: Id
    start: Id
    description: str = ""
    topic: str | None = None
    """The counselling topic this flow serves (for statistics and handoff)."""
    steps: dict[Annotated[str, Field(pattern=ID_PATTERN, max_length=32)], Step] = Field(
        min_length=1, json_schema_extra={"additionalProperties": False}
    )

    @property
    def id(self) -> str:
        """The flow's id."""
        return self.flow
