"""Editor support: the JSON schemas in schemas/ and the line in every YAML file that uses them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from bot.cli import main
from bot.cli.schema import SCHEMAS, SchemaFile, schema_line, schema_of, schema_text, shipped_files
from bot.config import Settings, load_settings
from bot.flowspec.load import load_flows
from bot.source import load_document

ROOT = Path(__file__).resolve().parents[2]


def _settings() -> Settings:
    settings, issues = load_settings(ROOT / "config.yaml")
    assert settings is not None, [str(i) for i in issues]
    return settings


SHIPPED = shipped_files(_settings(), ROOT / "config.yaml")


def _name(item: tuple[Path, SchemaFile]) -> str:
    return str(item[0].relative_to(ROOT))


def _errors(spec: SchemaFile, data: Any) -> list[str]:
    """Each error at its most telling place, as an editor shows it (not "anyOf failed")."""
    errors = Draft7Validator(schema_of(spec)).iter_errors(data)
    deepest = [best_match([error]) for error in errors]
    return [f"{list(e.absolute_path)}: {e.message}" for e in deepest if e is not None]


def _run_bot(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command line in this process (fast): exit code, stdout, stderr."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


class TestShippedFiles:
    def test_every_kind_of_file_is_covered(self) -> None:
        folders = {path.relative_to(ROOT).parts[0] for path, _ in SHIPPED}
        assert folders == {"config.yaml", "flows", "places", "locales", "nlu"}
        assert {spec for _, spec in SHIPPED} == set(SCHEMAS)

    @pytest.mark.parametrize(("path", "spec"), SHIPPED, ids=[_name(i) for i in SHIPPED])
    def test_file_matches_its_schema(self, path: Path, spec: SchemaFile) -> None:
        doc = load_document(path)  # read as the loaders read it
        assert not doc.issues
        assert _errors(spec, doc.data) == []

    @pytest.mark.parametrize(("path", "spec"), SHIPPED, ids=[_name(i) for i in SHIPPED])
    def test_file_starts_with_the_schema_line(self, path: Path, spec: SchemaFile) -> None:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == schema_line(path, ROOT / "schemas" / spec.name)
        assert (path.parent / first.split("$schema=", 1)[1]).resolve().is_file()


class TestCommittedSchemas:
    def test_schemas_are_current(self) -> None:
        committed = {p.name for p in (ROOT / "schemas").iterdir()}
        assert committed == {spec.name for spec in SCHEMAS}
        stale = [
            spec.name
            for spec in SCHEMAS
            if (ROOT / "schemas" / spec.name).read_text(encoding="utf-8") != schema_text(spec)
        ]
        assert stale == [], "run: python -m bot schema"

    @pytest.mark.parametrize("spec", SCHEMAS, ids=[s.name for s in SCHEMAS])
    def test_schema_is_valid_draft_7(self, spec: SchemaFile) -> None:
        Draft7Validator.check_schema(schema_of(spec))


class TestSchemasCatchMistakes:
    """What an editor underlines while staff type: the mistakes validate would report."""

    FLOW: ClassVar[dict[str, Any]] = {
        "flow": "demo",
        "start": "hello",
        "steps": {"hello": {"say": "demo.hello"}},
    }

    def test_a_correct_flow_passes(self) -> None:
        spec = next(s for s in SCHEMAS if s.name == "flow.schema.json")
        assert _errors(spec, self.FLOW) == []

    @pytest.mark.parametrize(
        ("step", "where"),
        [
            ({"say": "demo.hello", "nxet": "end"}, "['steps', 'hello']: "),
            ({"say": "Hallo, wie geht es?"}, "['steps', 'hello', 'say']: 'Hallo, wie geht es?'"),
            ({"next": "end"}, "['steps', 'hello']: "),
        ],
        ids=["typo in a key", "literal text instead of a key", "step without a kind"],
    )
    def test_a_flow_mistake_is_found(self, step: dict[str, Any], where: str) -> None:
        spec = next(s for s in SCHEMAS if s.name == "flow.schema.json")
        errors = _errors(spec, {**self.FLOW, "steps": {"hello": step}})
        assert len(errors) == 1
        assert errors[0].startswith(where)

    def test_a_place_with_a_german_weekday_word_is_found(self) -> None:
        spec = next(s for s in SCHEMAS if s.name == "places.schema.json")
        place = {
            "id": "demo",
            "name": "Demo",
            "kind": "stadtteiltreff",
            "hours": [{"days": "Dienstag", "time": "09:00-12:00"}],
            "provenance": {"confidence": "probable"},
        }
        errors = _errors(spec, {"places": [place]})
        assert len(errors) == 1
        assert errors[0].startswith("['places', 0, 'hours', 0, 'days']")

    def test_a_wrong_review_state_in_a_locale_entry_is_found(self) -> None:
        spec = next(s for s in SCHEMAS if s.name == "locale.schema.json")
        meta = {"language": "de", "name": "Deutsch"}
        entry = {"text": "Hallo", "review": "mashine"}
        assert _errors(spec, {"meta": meta, "messages": {"demo": {"hello": entry}}})
        entry["review"] = "machine"
        assert _errors(spec, {"meta": meta, "messages": {"demo": {"hello": entry}}}) == []


class TestPositions:
    def test_error_lines_count_the_schema_line(self, tmp_path: Path) -> None:
        flows = tmp_path / "flows"
        shutil.copytree(ROOT / "flows", flows)
        welcome = flows / "welcome.yaml"
        lines = welcome.read_text(encoding="utf-8").splitlines(keepends=True)
        broken = next(i for i, line in enumerate(lines) if line.strip() == "next: greet")
        lines[broken] = lines[broken].replace("greet", "greeet")
        welcome.write_text("".join(lines), encoding="utf-8")
        _, issues = load_flows(sorted(flows.glob("*.yaml")), tmp_path)
        found = [i for i in issues.errors if "greeet" in i.message]
        assert [(i.file, i.line) for i in found] == [("flows/welcome.yaml", broken + 1)]


class TestCommand:
    CONFIG = ("--config", str(ROOT / "config.yaml"))

    def test_writes_the_committed_schemas(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = _run_bot(*self.CONFIG, "schema", "-o", str(tmp_path), capsys=capsys)
        assert code == 0, err
        assert out.splitlines()[1:3] == [
            "  config.schema.json         für 1 Datei",
            "  flow.schema.json           für 15 Dateien",
        ]
        for spec in SCHEMAS:
            written = (tmp_path / spec.name).read_text(encoding="utf-8")
            assert written == (ROOT / "schemas" / spec.name).read_text(encoding="utf-8")

    def test_names_a_file_without_the_line_and_the_line_to_add(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        (tmp_path / "config.yaml").write_text("languages: [de]\n", encoding="utf-8")
        (tmp_path / "flows").mkdir()
        (tmp_path / "flows" / "neu.yaml").write_text("flow: neu\n", encoding="utf-8")
        config = ("--config", str(tmp_path / "config.yaml"))
        code, out, err = _run_bot(*config, "schema", capsys=capsys)
        assert code == 0, err
        assert out.splitlines()[0] == "6 Schemas geschrieben nach schemas/:"
        assert out.splitlines()[-3:] == [
            "Diesen Dateien fehlt die Schema-Zeile. Schreiben Sie sie als erste Zeile hinein:",
            "  config.yaml: # yaml-language-server: $schema=schemas/config.schema.json",
            "  flows/neu.yaml: # yaml-language-server: $schema=../schemas/flow.schema.json",
        ]
        assert (tmp_path / "schemas" / "flow.schema.json").is_file()

    def test_an_unwritable_folder_is_a_clear_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        blocker = tmp_path / "schemas"
        blocker.write_text("a file, not a folder", encoding="utf-8")
        code, _, err = _run_bot(*self.CONFIG, "schema", "-o", str(blocker), capsys=capsys)
        assert code == 1
        assert err.startswith(f"Kann die Schemas nicht nach {blocker} schreiben:")
