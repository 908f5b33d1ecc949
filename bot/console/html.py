"""A few helpers for server-rendered pages: every value goes through :func:`esc`, the page
frame is a :class:`string.Template`. No template engine: the pages are small tables and
forms, and plain functions keep them typed and checked by mypy."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from string import Template

Texts = Callable[..., str]
"""German console texts by key (``console.…`` in locales/de.yaml)."""

PAGE = Template("""<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title – Lotse</title>
<link rel="stylesheet" href="$base/static/console.css">
</head>
<body>
<header><span class="brand">Lotse</span>$nav</header>
<main>
<h1>$title</h1>
$body
</main>
</body>
</html>
""")

NAV = (
    ("texts", "texts"),
    ("places", "places"),
    ("flows", "flows"),
    ("cases", "cases"),
    ("stats", "stats"),
)


def esc(value: object) -> str:
    """Text as HTML, quotes included (safe in attributes)."""
    return html.escape(str(value), quote=True)


def page(t: Texts, base: str, title: str, body: str, *, csrf: str | None = None) -> str:
    """A whole page; with ``csrf`` (logged in) the navigation and the logout button."""
    nav = ""
    if csrf is not None:
        links = "".join(
            f'<a href="{esc(base)}/{path}">{esc(t(f"console.nav.{key}"))}</a>' for path, key in NAV
        )
        logout = form(base + "/logout", csrf, f"<button>{esc(t('console.nav.logout'))}</button>")
        nav = f'<nav aria-label="{esc(t("console.nav.label"))}">{links}{logout}</nav>'
    return PAGE.substitute(title=esc(title), base=esc(base), nav=nav, body=body)


def form(action: str, csrf: str, inner: str, *, css: str = "inline") -> str:
    """A POST form with the session's CSRF token."""
    token = f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
    return f'<form method="post" action="{esc(action)}" class="{css}">{token}{inner}</form>'


def hidden(name: str, value: object) -> str:
    """A hidden form field."""
    return f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], *, css: str = "") -> str:
    """A table; cells are HTML already (escape values before)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def notice(text: str, kind: str = "info") -> str:
    """A message box (``info``, ``ok``, ``error``)."""
    role = "alert" if kind == "error" else "status"
    return f'<p class="notice {kind}" role="{role}">{esc(text)}</p>'


def issue_list(lines: Iterable[str]) -> str:
    """Validation findings, one per line, as the command line prints them."""
    items = "".join(f"<li><code>{esc(line)}</code></li>" for line in lines)
    return f'<ul class="issues">{items}</ul>' if items else ""


def select(name: str, options: Iterable[tuple[str, str]], chosen: str) -> str:
    """A drop-down of (value, label) pairs with ``chosen`` selected."""
    items = "".join(
        f'<option value="{esc(value)}"{" selected" * (value == chosen)}>{esc(label)}</option>'
        for value, label in options
    )
    return f'<select name="{esc(name)}">{items}</select>'


def labelled(label: str, control: str) -> str:
    """A control inside its label."""
    return f"<label>{esc(label)} {control}</label>"
