"""The places page: each place of ``places/*.yaml`` with a form for it and its offers; the
validator's findings (P-codes) stand beside the field they are about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from ruamel.yaml.comments import CommentedMap

from bot.console.editor import Saved
from bot.console.html import esc, form, hidden, notice, table
from bot.console.pages import Pages, number
from bot.console.placeform import (
    OFFER_FIELDS,
    PLACE_FIELDS,
    Field,
    field_lines,
    fields_of,
    find,
    form_name,
    offers,
    place_edit,
    place_lines,
    read,
)
from bot.console.preview import Previews
from bot.console.yamlfile import parse
from bot.source import Issue, Severity


def routes(app: web.Application, pages: Pages, previews: Previews) -> None:
    """Add the places pages."""
    view = PlacesPage(pages, previews)
    app.router.add_get("/places", view.index)
    app.router.add_get("/places/edit", view.edit)
    app.router.add_post("/places/edit", view.save)


@dataclass(frozen=True)
class PlaceForm:
    """What the form of one place shows: its file, the values and the versions it knew."""

    path: Path
    place_id: str
    values: Mapping[str, str]
    version: str
    seen: int


class PlacesPage:
    """Handlers of the places pages."""

    def __init__(self, pages: Pages, previews: Previews) -> None:
        self.pages = pages
        self.previews = previews
        self.t = pages.t

    def _folder(self) -> Path:
        settings = self.pages.deps.app.settings
        return settings.path(settings.paths.places)

    def _file(self, name: str) -> Path:
        """A places file by name; only files in the places folder (no paths)."""
        files = {path.name: path for path in self._folder().glob("*.yaml")}
        if name not in files:
            raise web.HTTPNotFound(text=self.t("console.places.unknown_file", file=name))
        return files[name]

    async def index(self, request: web.Request) -> web.Response:
        """Every place, by file, with its findings counted."""
        t = self.t
        issues = self.pages.content.issues
        body = ""
        for path in sorted(self._folder().glob("*.yaml")):
            text, _ = self.pages.editor.read(path)
            tree = parse(text, path.name)
            places = tree.get("places") if isinstance(tree, Mapping) else None
            if not places:
                continue
            file = self.pages.editor.name(path)
            rows = []
            for place in places:
                place_id = str(place.get("id"))
                span = place_lines(tree, place_id)
                found = [i for i in issues if i.file == file and i.line in span]
                link = f"{self.pages.deps.base}/places/edit?file={path.name}&id={place_id}"
                rows.append(
                    [
                        f'<a href="{esc(link)}">{esc(place.get("name", place_id))}</a>',
                        f"<code>{esc(place_id)}</code>",
                        esc(place.get("kind", "")),
                        esc(place.get("quarter", "") or ""),
                        esc(len(found) or ""),
                    ]
                )
            headers = [
                t("console.places.name"),
                "id",
                t("console.places.kind"),
                t("console.places.quarter"),
                t("console.places.findings"),
            ]
            body += f"<h2>{esc(file)}</h2>" + table(headers, rows)
        return self.pages.render(request, t("console.places.title"), body)

    async def edit(self, request: web.Request) -> web.Response:
        """The form of one place, with the findings of the content in use."""
        path = self._file(request.query.get("file", ""))
        place_id = request.query.get("id", "")
        text, version = self.pages.editor.read(path)
        tree = parse(text, path.name)
        place = find(tree, place_id)
        if place is None:
            raise web.HTTPNotFound(text=self.t("console.places.unknown_place", id=place_id))
        values = {form_name(o, f): read(r, f) for o, f, r in fields_of(place)}
        findings = [i for i in self.pages.content.issues if i.file == self.pages.editor.name(path)]
        top = notice(self.t("console.texts.saved"), "ok") if request.query.get("saved") else ""
        seen = await self.pages.newest_change()
        place_form = PlaceForm(path, place_id, values, version, seen)
        return await self._form(request, place_form, tree, findings, top)

    async def save(self, request: web.Request) -> web.Response:
        """Save the form; refused with the findings beside their fields when invalid."""
        posted = await request.post()
        path = self._file(str(posted.get("file", "")))
        place_id = str(posted.get("id", ""))
        values = {
            k: str(v)
            for k, v in posted.items()
            if k not in ("csrf", "file", "id", "version", "seen", "action")
        }
        edit = place_edit(place_id, values)
        session = self.pages.session(request)
        version, seen = str(posted.get("version", "")), number(posted.get("seen"))
        try:
            if posted.get("action") == "preview":
                return await self._preview(
                    request, PlaceForm(path, place_id, values, version, seen)
                )
            saved = await self.pages.editor.save(path, version, seen, edit, who=session.who)
        except KeyError:
            text = self.t("console.places.unknown_place", id=place_id)
            raise web.HTTPNotFound(text=text) from None
        if saved.ok:
            target = f"{self.pages.deps.base}/places/edit?file={path.name}&id={place_id}&saved=1"
            raise web.HTTPSeeOther(target)
        draft_text, _ = (
            self.pages.editor.draft(path, edit)
            if saved.conflict is None
            else self.pages.editor.read(path)
        )
        tree = parse(draft_text, path.name)
        top, status = self.pages.refusal(saved)
        seen = await self.pages.newest_change()
        place_form = PlaceForm(path, place_id, values, saved.version, seen)
        return await self._form(request, place_form, tree, saved.errors, top, status=status)

    async def _preview(self, request: web.Request, edit: PlaceForm) -> web.Response:
        """Start a chat over the content with this place as in the form, unsaved."""
        text, _ = self.pages.editor.draft(edit.path, place_edit(edit.place_id, edit.values))
        language = self.pages.deps.app.settings.default_language
        draft, errors = await self.previews.start(edit.path, text, language)
        tree = parse(text, edit.path.name)
        if draft is None:
            top, status = self.pages.refusal(Saved(edit.version, errors=errors))
            return await self._form(request, edit, tree, errors, top, status=status)
        findings = [
            i for i in self.pages.content.issues if i.file == self.pages.editor.name(edit.path)
        ]
        top = self.previews.ready(draft, language)
        return await self._form(request, edit, tree, findings, top)

    async def _form(
        self,
        request: web.Request,
        edit: PlaceForm,
        tree: Any,
        findings: list[Issue],
        top: str,
        *,
        status: int = 200,
    ) -> web.Response:
        t = self.t
        path, place_id, values = edit.path, edit.place_id, edit.values
        by_field: dict[str, list[Issue]] = {}
        lines = field_lines(tree, place_id)
        span = place_lines(tree, place_id)
        general: list[Issue] = []
        for issue in findings:
            if issue.line in lines:
                by_field.setdefault(lines[issue.line], []).append(issue)
            elif issue.line in span:
                general.append(issue)
        place = find(tree, place_id) or CommentedMap()
        sets = self._fieldset(t("console.places.place"), None, PLACE_FIELDS, values, by_field)
        for number_, offer in enumerate(offers(place)):
            title = t("console.places.offer", name=offer.get("name", number_ + 1))
            sets += self._fieldset(title, number_, OFFER_FIELDS, values, by_field)
        inner = hidden("file", path.name) + hidden("id", place_id)
        inner += hidden("version", edit.version) + hidden("seen", edit.seen) + sets
        buttons = (
            f'<button name="action" value="save">{esc(t("console.texts.save"))}</button>'
            f'<button name="action" value="preview">{esc(t("console.texts.preview"))}</button>'
        )
        inner += f'<p class="buttons">{buttons}</p>'
        about = "".join(_finding(i) for i in general)
        body = top + (f'<ul class="issues">{about}</ul>' if about else "")
        body += f"<p>{esc(t('console.places.in_file', file=self.pages.editor.name(path)))}</p>"
        body += form(
            f"{self.pages.deps.base}/places/edit", self.pages.csrf(request), inner, css="edit"
        )
        changes = await self.pages.deps.app.staff.changes(
            file=self.pages.editor.name(path), limit=5
        )
        body += self.pages.change_rows(changes)
        title = str(place.get("name", place_id))
        return self.pages.render(request, title, body, status)

    def _fieldset(
        self,
        legend: str,
        offer: int | None,
        fields: tuple[Field, ...],
        values: Mapping[str, str],
        by_field: Mapping[str, list[Issue]],
    ) -> str:
        html = ""
        for field in fields:
            name = form_name(offer, field)
            label = self.t(f"console.field.{field.name.replace('.', '_')}")
            value = values.get(name, "")
            problems = by_field.get(name, [])
            described = (
                f' aria-describedby="{esc(name)}-issues" aria-invalid="true"' if problems else ""
            )
            named = f'id="{esc(name)}" name="{esc(name)}"{described}'
            if field.long:
                control = f'<textarea {named} rows="3">{esc(value)}</textarea>'
            else:
                control = f'<input {named} value="{esc(value)}">'
            notes = "".join(_finding(i) for i in problems)
            notes = f'<ul class="issues" id="{esc(name)}-issues">{notes}</ul>' if notes else ""
            label_html = f'<label for="{esc(name)}">{esc(label)}</label>'
            html += f'<div class="field">{label_html}{control}{notes}</div>'
        return f"<fieldset><legend>{esc(legend)}</legend>{html}</fieldset>"


def _finding(issue: Issue) -> str:
    kind = "error" if issue.severity is Severity.ERROR else "warning"
    hint = f" – {esc(issue.hint)}" if issue.hint else ""
    return f'<li class="{kind}"><strong>{esc(issue.code)}</strong> {esc(issue.message)}{hint}</li>'
