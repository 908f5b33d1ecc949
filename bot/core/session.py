"""The resident's conversation state: a frozen value the engine reads and returns updated."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

MAX_HISTORY = 30
"""How many earlier questions /back can return to."""


class Mode(StrEnum):
    """What the engine expects next, beyond the flow's own step."""

    FLOW = "flow"
    LANGUAGE = "language"
    """The language picker is open."""
    CONSENT = "consent"
    """The privacy notice waits for an answer."""
    DELETE = "delete"
    """The resident asked to delete their data and must confirm."""
    SWITCH = "switch"
    """Lotse offered to continue in another language."""
    HANDOFF = "handoff"
    """Messages go to a person; the flow waits."""
    TOPIC = "topic"
    """Lotse asked which of a few topics a typed need meant."""


class Frame(BaseModel):
    """A position in a flow."""

    model_config = ConfigDict(frozen=True)
    flow: str
    step: str


class Checkpoint(BaseModel):
    """An earlier question and the return points that were open then, for /back."""

    model_config = ConfigDict(frozen=True)
    frame: Frame
    stack: tuple[Frame, ...] = ()


class Session(BaseModel):
    """Everything the engine needs to continue a conversation, and nothing more.

    Stored as JSON by the storage layer; free text is kept only where a flow stores it in a
    variable on purpose.
    """

    def __copy__(self) -> Session:
        # Every step of every turn copies the session (it is frozen); pydantic's generic
        # copy also copies the extra and private parts, which a Session never has.
        copied = type(self).__new__(type(self))
        object.__setattr__(copied, "__dict__", self.__dict__.copy())
        object.__setattr__(copied, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        object.__setattr__(copied, "__pydantic_extra__", None)
        object.__setattr__(copied, "__pydantic_private__", None)
        return copied

    model_config = ConfigDict(frozen=True)

    resident: str = ""
    language: str | None = None
    language_chosen: bool = False
    """The resident chose the language; it then wins over detection."""
    consent: bool = False
    mode: Mode = Mode.FLOW
    flow: str | None = None
    step: str | None = None
    flow_version: str | None = None
    vars: dict[str, str] = Field(default_factory=dict)
    history: tuple[Checkpoint, ...] = ()
    """Earlier questions, newest last, for /back."""
    stack: tuple[Frame, ...] = ()
    """Where to return when a flow called with ``return: true`` ends."""
    offer: str | None = None
    """The language offered in :attr:`Mode.SWITCH`."""
    foreign_streak: int = 0
    """Messages in a row clearly written in another language than the chosen one."""
    unoffered_at: str | None = None
    """Where Lotse last said it does not speak the resident's language (a ``flow.step`` key,
    "" outside any flow); it does not say so again there."""
    misunderstood: int = 0
    """Messages in a row the current question could not understand."""
    topics: tuple[str, ...] = ()
    """The topics offered in :attr:`Mode.TOPIC`."""
    pending: str | None = None
    """A topic understood before the resident agreed to the privacy notice; entered after."""
    heard: dict[str, str] = Field(default_factory=dict)
    """Answers found in earlier typed messages: question (``flow.step``) → option id.

    Only option ids are kept, never the typed text.
    """

    @property
    def position(self) -> Frame | None:
        """The current flow step, if any."""
        return Frame(flow=self.flow, step=self.step) if self.flow and self.step else None

    def at(self, frame: Frame | None, version: str | None = None) -> Session:
        """Return a copy positioned at ``frame`` (or nowhere); itself when already there."""
        place = {
            "flow": frame.flow if frame else None,
            "step": frame.step if frame else None,
            "flow_version": version if frame else None,
            "misunderstood": 0,
        }
        if all(getattr(self, name) == value for name, value in place.items()):
            return self
        return self.model_copy(update=place)

    def remembered(self) -> Session:
        """Return a copy that remembers the current question for /back."""
        position = self.position
        if position is None:
            return self
        checkpoint = Checkpoint(frame=position, stack=self.stack)
        return self.model_copy(update={"history": (*self.history, checkpoint)[-MAX_HISTORY:]})

    def with_vars(self, **values: str) -> Session:
        """Return a copy with variables set."""
        return self.model_copy(update={"vars": {**self.vars, **values}})
