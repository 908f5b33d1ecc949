"""The texts page: every key in German beside one language, filtered by review state; a
form per key to edit the translation and mark it reviewed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from aiohttp import web

from bot.console.catalogue import STATUSES, Text, TextRow, as_text, rows, status_of, text_edit
from bot.console.editor import Saved
from bot.console.html import esc, form, hidden, labelled, notice, select, table
from bot.console.pages import Pages, number
from bot.console.preview import Previews
from bot.i18n.catalog import RTL_LANGUAGES, Entry


def routes(app: web.Application, pages: Pages, previews: Previews) -> None:
    """Add the texts pages."""
    view = TextsPage(pages, previews)
    app.router.add_get("/texts", view.index)
    app.router.add_get("/texts/edit", view.edit)
    app.router.add_post("/texts/edit", view.save)


def text_cell(text: Text | None, language: str) -> str:
    """A text in its language and direction; plural forms one per line."""
    if text is None:
        return ""
    shown = as_text(text) if isinstance(text, Mapping) else text
    direction = "rtl" if language in RTL_LANGUAGES else "auto"
    return f'<span lang="{esc(language)}" dir="{direction}" class="text">{esc(shown)}</span>'


@dataclass(frozen=True)
class TextForm:
    """What the form of one key shows: the text being edited and the versions it knew."""

    language: str
    key: str
    value: Text
    version: str
    seen: int


class TextsPage:
    """Handlers of the texts pages."""

    def __init__(self, pages: Pages, previews: Previews) -> None:
        self.pages = pages
        self.previews = previews
        self.t = pages.t

    def _language(self, request: web.Request) -> str:
        languages = self.pages.deps.app.settings.languages
        others = [code for code in languages if code != "de"]
        return self._known(request.query.get("lang") or (others[0] if others else "de"))

    def _known(self, language: str) -> str:
        if language not in self.pages.content.texts.catalogues:
            text = self.t("console.texts.unknown_language", language=language)
            raise web.HTTPNotFound(text=text)
        return language

    def _path(self, language: str) -> Path:
        settings = self.pages.deps.app.settings
        return settings.path(settings.paths.locales) / f"{language}.yaml"

    async def index(self, request: web.Request) -> web.Response:
        """The table of keys, with a filter by state and a search."""
        t = self.t
        language = self._language(request)
        wanted = request.query.get("filter", "")
        search = request.query.get("q", "").strip().lower()
        all_rows = rows(self.pages.content.texts, language)
        counts: dict[str, int] = {s: sum(r.status == s for r in all_rows) for s in STATUSES}
        shown = [
            r
            for r in all_rows
            if (not wanted or r.status == wanted)
            and (not search or search in r.key.lower() or search in as_text(r.german).lower())
        ]
        body = self._filters(language, wanted, search, counts)
        headers = [t("console.texts.key"), "Deutsch", language, t("console.texts.status"), ""]
        body += table(headers, [self._row(r, language) for r in shown], css="texts")
        return self.pages.render(request, t("console.texts.title"), body)

    def _filters(self, language: str, wanted: str, search: str, counts: Mapping[str, int]) -> str:
        t = self.t
        languages = [(code, code) for code in self.pages.deps.app.settings.languages]
        states = [("", t("console.texts.all"))] + [
            (s, f"{t(f'console.status.{s}')} ({counts[s]})") for s in STATUSES
        ]
        fields = labelled(t("console.texts.language"), select("lang", languages, language))
        fields += labelled(t("console.texts.filter"), select("filter", states, wanted))
        fields += labelled(t("console.texts.search"), f'<input name="q" value="{esc(search)}">')
        button = f"<button>{esc(t('console.texts.show'))}</button>"
        return f'<form method="get" class="filters">{fields}{button}</form>'

    def _row(self, row: TextRow, language: str) -> list[str]:
        link = f"{self.pages.deps.base}/texts/edit?lang={language}&key={row.key}"
        status = self._status(row.status)
        return [
            f"<code>{esc(row.key)}</code>",
            text_cell(row.german, "de"),
            text_cell(row.text, language),
            status,
            f'<a href="{esc(link)}">{esc(self.t("console.texts.edit"))}</a>',
        ]

    async def edit(self, request: web.Request) -> web.Response:
        """The form for one key."""
        language = self._language(request)
        key = request.query.get("key", "")
        german = self._german(key)
        found = self.pages.content.texts.catalogues[language].entries.get(key)
        value: Text = found.text if found else ("" if isinstance(german.text, str) else {})
        _, version = self.pages.editor.read(self._path(language))
        seen = await self.pages.newest_change()
        top = notice(self.t("console.texts.saved"), "ok") if request.query.get("saved") else ""
        return await self._form(request, TextForm(language, key, value, version, seen), top)

    def _german(self, key: str) -> Entry:
        german = self.pages.content.texts.catalogues["de"].entries.get(key)
        if german is None:
            raise web.HTTPNotFound(text=self.t("console.texts.unknown_key", key=key))
        return german

    def _status(self, state: str) -> str:
        return f'<span class="status {state}">{esc(self.t(f"console.status.{state}"))}</span>'

    async def _form(
        self, request: web.Request, edit: TextForm, top: str, status: int = 200
    ) -> web.Response:
        t = self.t
        german = self._german(edit.key)
        forms = german.text if isinstance(german.text, Mapping) else {"": german.text}
        fields = "".join(
            self._pair(edit, category, german_text) for category, german_text in forms.items()
        )
        buttons = "".join(
            f'<button name="action" value="{action}">{esc(t(f"console.texts.{key}"))}</button>'
            for action, key in (
                ("save", "save"),
                ("review", "save_reviewed"),
                ("preview", "preview"),
            )
        )
        inner = hidden("lang", edit.language) + hidden("key", edit.key)
        inner += hidden("version", edit.version) + hidden("seen", edit.seen)
        inner += fields + f'<p class="buttons">{buttons}</p>'
        action = f"{self.pages.deps.base}/texts/edit"
        entries = self.pages.content.texts.catalogues[edit.language].entries
        state = self._status(status_of(entries.get(edit.key)))
        head = f"<p><code>{esc(edit.key)}</code> · {esc(t('console.texts.status'))}: {state}</p>"
        file = self.pages.editor.name(self._path(edit.language))
        changes = await self.pages.deps.app.staff.changes(file=file, limit=5)
        body = top + head + form(action, self.pages.csrf(request), inner, css="edit")
        body += self.pages.change_rows(changes)
        title = t("console.texts.edit_title", key=edit.key, language=edit.language)
        return self.pages.render(request, title, body, status)

    @staticmethod
    def _pair(edit: TextForm, category: str, german: str) -> str:
        """The German text beside the field for one form (plural category) of the text."""
        name = f"form.{category}" if category else "text"
        value = edit.value
        current = value.get(category, "") if isinstance(value, Mapping) else value
        direction = "rtl" if edit.language in RTL_LANGUAGES else "auto"
        area = (
            f'<textarea id="{esc(name)}" name="{esc(name)}" lang="{esc(edit.language)}" '
            f'dir="{direction}" rows="5">{esc(current)}</textarea>'
        )
        label = f"{edit.language} {category}".strip()
        return (
            f'<div class="pair"><div><span class="label">Deutsch {esc(category)}</span>'
            f'<p lang="de" class="text">{esc(german)}</p></div>'
            f'<div><label for="{esc(name)}">{esc(label)}</label>{area}</div></div>'
        )

    async def save(self, request: web.Request) -> web.Response:
        """Save one key; refused with the reason on a conflict or an invalid text."""
        posted = await request.post()
        language = self._known(str(posted.get("lang", "")))
        key = str(posted.get("key", ""))
        german = self._german(key)
        value: Text
        if isinstance(german.text, Mapping):
            value = {c: str(posted.get(f"form.{c}", "")) for c in german.text}
            value = {c: v.replace("\r\n", "\n") for c, v in value.items() if v}
        else:
            value = str(posted.get("text", "")).replace("\r\n", "\n")  # textareas send CRLF
        session = self.pages.session(request)
        reviewed = None
        if posted.get("action") == "review":
            today = self.pages.deps.clock().date().isoformat()
            reviewed = f"{session.who}, {today}"
        edit = TextForm(language, key, value, str(posted.get("version", "")), 0)
        if posted.get("action") == "preview":
            return await self._preview(request, edit, number(posted.get("seen")))
        saved = await self.pages.editor.save(
            self._path(language),
            edit.version,
            number(posted.get("seen")),
            text_edit(key, value, reviewed=reviewed),
            who=session.who,
        )
        if saved.ok:
            target = f"{self.pages.deps.base}/texts/edit?lang={language}&key={key}&saved=1"
            raise web.HTTPSeeOther(target)
        edit = replace(edit, version=saved.version, seen=await self.pages.newest_change())
        top, status = self.pages.refusal(saved)
        return await self._form(request, edit, top, status)

    async def _preview(self, request: web.Request, edit: TextForm, seen: int) -> web.Response:
        """Start a chat over the content with this edit, unsaved; the form keeps the text."""
        path = self._path(edit.language)
        text, _ = self.pages.editor.draft(path, text_edit(edit.key, edit.value, reviewed=None))
        draft, errors = await self.previews.start(path, text, edit.language)
        edit = replace(edit, seen=seen)
        if draft is None:
            top, status = self.pages.refusal(Saved(edit.version, errors=errors))
            return await self._form(request, edit, top, status)
        return await self._form(request, edit, self.previews.ready(draft, edit.language))
