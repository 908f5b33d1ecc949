"""Read flow files, validate their shape, and collect every issue of every file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from bot.flowspec import checks
from bot.flowspec.flowset import FlowSet, SourceRef
from bot.flowspec.model import STEP_MODELS, Flow
from bot.source import Document, Issue, IssueList, load_documents
from bot.source.issues import did_you_mean
from bot.source.schema import validate_model

FLOW_KEYS = set(Flow.model_fields) | {"flow"}


def load_flows(paths: Iterable[Path], root: Path | None = None) -> tuple[FlowSet, IssueList]:
    """Load flow files; returns the flows that loaded and every issue found.

    Shape errors leave a flow out of the set; meaning checks (targets, reachability, loops)
    run over all flows that loaded.
    """
    issues = IssueList()
    flows: dict[str, Flow] = {}
    versions: dict[str, str] = {}
    sources: dict[tuple[str, str | None], SourceRef] = {}
    docs: dict[str, Document] = {}
    for doc in load_documents(paths, root):
        issues.extend(doc.issues)
        flow = _flow_from(doc, issues)
        if flow is None:
            continue
        if flow.id in flows:
            first = sources[(flow.id, None)]
            issues.add(
                doc.issue(
                    ("flow",),
                    "F109",
                    f"flow id {flow.id!r} is used twice",
                    f"already defined in {first}; rename one of them",
                )
            )
            continue
        flows[flow.id] = flow
        docs[flow.id] = doc
        versions[flow.id] = hashlib.sha256(flow.model_dump_json().encode()).hexdigest()[:12]
        sources[(flow.id, None)] = SourceRef(doc.file, *doc.where(("flow",)))
        for step_id in flow.steps:
            sources[(flow.id, step_id)] = SourceRef(doc.file, *doc.where(("steps", step_id)))
    flowset = FlowSet(flows, versions, sources)
    for flow_id, flow in flows.items():
        issues.extend(checks.check_flow(flow, flowset, docs[flow_id]))
    return flowset, issues


def _flow_from(doc: Document, issues: IssueList) -> Flow | None:
    """Validate one document as a flow, step by step so that each issue is precise."""
    data = doc.data
    if data is None and not doc.issues:
        issues.add(
            doc.issue((), "F100", "the file is empty", "a flow needs flow, start and steps")
        )
        return None
    if not isinstance(data, dict):
        if data is not None:
            issues.add(
                doc.issue((), "F100", "a flow file must be a mapping with flow, start, steps")
            )
        return None
    ok = True
    steps = data.get("steps")
    if isinstance(steps, dict):
        for step_id, raw in steps.items():
            ok = _check_step(doc, step_id, raw, issues) and ok
    header = {k: v for k, v in data.items() if k != "steps"}
    header["steps"] = {"placeholder": {"end": None}}
    _, header_issues = validate_model(doc, Flow, header, code="F100")
    issues.extend(i for i in header_issues if "steps" not in i.message)
    if header_issues or not ok or not isinstance(steps, dict):
        if "steps" in data and not isinstance(steps, dict):
            issues.add(doc.issue(("steps",), "F100", "steps must be a mapping of step names"))
        return None
    flow, flow_issues = validate_model(doc, Flow, data, code="F100")
    issues.extend(flow_issues)
    return flow


def _check_step(doc: Document, step_id: object, raw: object, issues: IssueList) -> bool:
    path = ("steps", step_id) if isinstance(step_id, str | int) else ("steps",)
    if not isinstance(raw, dict):
        issues.add(
            doc.issue(
                path,
                "F101",
                f"step {step_id!r} must be a mapping with a kind key",
                f"kinds: {', '.join(STEP_MODELS)}",
            )
        )
        return False
    kinds = [k for k in STEP_MODELS if k in raw]
    if not kinds:
        unknown = [k for k in raw if k not in _ALL_STEP_KEYS]
        guess = next((did_you_mean(str(k), STEP_MODELS) for k in unknown), "")
        issues.add(
            doc.issue(
                path,
                "F101",
                f"step {step_id!r} has no kind",
                guess or f"add one of: {', '.join(STEP_MODELS)}",
            )
        )
        return False
    if len(kinds) > 1:
        issues.add(
            doc.issue(
                path,
                "F102",
                f"step {step_id!r} has several kinds: {', '.join(kinds)}",
                "split it into one step per kind",
            )
        )
        return False
    model = STEP_MODELS[kinds[0]]
    _, step_issues = validate_model(doc, model, raw, path, code="F100")
    issues.extend(
        Issue(i.file, i.line, i.col, i.severity, i.code, f"step {step_id!r}: {i.message}", i.hint)
        for i in step_issues
    )
    return not step_issues


_ALL_STEP_KEYS = {
    f.alias or name for model in STEP_MODELS.values() for name, f in model.model_fields.items()
}
