"""The YAML loader and the flow loader never crash, whatever staff type."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flowspec import load_flows
from bot.i18n import load_catalogues
from bot.source.yamlpos import parse_document

YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:- \n\t{}[]'\"#&*!|>%@`,?0123456789äß")), max_size=200
)


@given(st.one_of(st.text(max_size=300), YAMLISH))
def test_parse_document_never_raises(text: str) -> None:
    doc = parse_document(text, "fuzz.yaml")
    for issue in doc.issues:
        assert issue.file == "fuzz.yaml"
        assert issue.line >= 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAMLISH)
def test_flow_and_catalogue_loaders_report_instead_of_raising(tmp_path: Path, text: str) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text("flow: f\nstart: s\nsteps:\n  s:\n    " + text, encoding="utf-8")
    load_flows([path], tmp_path)
    catalogue = tmp_path / "de.yaml"
    catalogue.write_text("meta: {language: de, name: D}\nmessages:\n  " + text, encoding="utf-8")
    load_catalogues([catalogue], tmp_path)
