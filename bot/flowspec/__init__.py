"""Dialogue flows as data: YAML files → typed, frozen models, with located issues."""

from bot.flowspec.flowset import FlowSet
from bot.flowspec.load import load_flows
from bot.flowspec.model import (
    AskStep,
    BranchStep,
    Condition,
    EndStep,
    Flow,
    GotoStep,
    HandoffStep,
    InputStep,
    ReferStep,
    SayStep,
    SetStep,
    Step,
)

__all__ = [
    "AskStep",
    "BranchStep",
    "Condition",
    "EndStep",
    "Flow",
    "FlowSet",
    "GotoStep",
    "HandoffStep",
    "InputStep",
    "ReferStep",
    "SayStep",
    "SetStep",
    "Step",
    "load_flows",
]
