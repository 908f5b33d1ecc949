"""The flows page: each flow drawn (SVG with Graphviz, else its mermaid text) with the
validator's findings marked, as ``python -m bot graph`` draws it."""

from __future__ import annotations

import asyncio
import shutil

from aiohttp import web

from bot.console.html import esc
from bot.console.pages import Pages
from bot.content import load_graphs
from bot.flowgraph import FlowGraph, Mark
from bot.flowgraph.dot import render
from bot.flowgraph.mermaid import to_mermaid


def routes(app: web.Application, pages: Pages) -> None:
    """Add the flows pages."""
    view = FlowsPage(pages)
    app.router.add_get("/flows", view.index)
    app.router.add_get("/flows/{name}.svg", view.picture)


class FlowsPage:
    """Handlers of the flows pages."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.t = pages.t

    async def _graphs(self) -> list[FlowGraph]:
        """The flows as the files on disk are now (errors included)."""
        return await asyncio.to_thread(load_graphs, self.pages.deps.app.settings)

    async def index(self, request: web.Request) -> web.Response:
        """Every flow: its picture and the marked steps in words."""
        graphs = await self._graphs()
        chosen = request.query.get("flow")
        links = "".join(
            f'<li><a href="?flow={esc(g.name)}">{esc(g.name)}</a>{self._count(g)}</li>'
            for g in graphs
        )
        body = f'<ul class="flows">{links}</ul>'
        for graph in graphs:
            if graph.name == chosen:
                body += self._flow(graph)
        return self.pages.render(request, self.t("console.flows.title"), body)

    def _count(self, graph: FlowGraph) -> str:
        marked = sum(len(graph.marked(mark)) for mark in Mark)
        return f' <span class="status machine">{esc(marked)} ⚠</span>' if marked else ""

    def _flow(self, graph: FlowGraph) -> str:
        findings = "".join(
            f"<li><strong>{esc(mark.value)}</strong>: {esc(title)}</li>"
            for mark in Mark
            for title in graph.marked(mark)
        )
        body = f"<h2>{esc(graph.heading)}</h2>"
        body += f'<ul class="issues">{findings}</ul>' if findings else ""
        if shutil.which("dot") is None:
            body += f"<p>{esc(self.t('console.flows.no_dot'))}</p>"
            return body + f"<pre>{esc(to_mermaid(graph))}</pre>"
        src = f"{self.pages.deps.base}/flows/{graph.name}.svg"
        return body + f'<img class="flow" src="{esc(src)}" alt="{esc(graph.heading)}">'

    async def picture(self, request: web.Request) -> web.Response:
        """One flow as SVG."""
        name = request.match_info["name"]
        for graph in await self._graphs():
            if graph.name == name:
                svg = await asyncio.to_thread(render, graph, "svg")
                return web.Response(body=svg, content_type="image/svg+xml")
        raise web.HTTPNotFound(text=self.t("console.flows.unknown", name=name))
