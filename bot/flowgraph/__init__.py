"""Flow pictures for staff: the flow model drawn as mermaid or Graphviz, problems marked."""

from bot.flowgraph.build import build_graphs, unloaded_documents
from bot.flowgraph.model import Edge, FlowGraph, Kind, Mark, Node

__all__ = ["Edge", "FlowGraph", "Kind", "Mark", "Node", "build_graphs", "unloaded_documents"]
