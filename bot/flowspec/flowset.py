"""The loaded flows as one value: the flows, a version per flow, and where each is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.flowspec.model import Flow, Step


@dataclass(frozen=True)
class SourceRef:
    """Where a flow or step is written."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class FlowSet:
    """All loaded flows, with their source positions and a version per flow.

    The version changes whenever a flow's content changes, so sessions stored under an older
    version can be checked against the new one.
    """

    flows: Mapping[str, Flow]
    versions: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[tuple[str, str | None], SourceRef] = field(default_factory=dict)

    def step(self, flow_id: str, step_id: str) -> Step | None:
        """Return a step, or None when the flow or step does not exist."""
        flow = self.flows.get(flow_id)
        return flow.steps.get(step_id) if flow else None

    def where(self, flow_id: str, step_id: str | None = None) -> str:
        """Return "file:line:col" of a flow or step, for error notes."""
        ref = self.sources.get((flow_id, step_id)) or self.sources.get((flow_id, None))
        return str(ref) if ref else f"flow {flow_id!r}"
