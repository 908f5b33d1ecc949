"""Staff-edited YAML files read with source positions, and the issues found in them.

This is the bottom layer: flows, locales, places and config all report problems as
:class:`Issue` values that name file, line and column.
"""

from bot.source.issues import Issue, IssueList, Severity
from bot.source.yamlpos import Document, Path, load_document, load_documents

__all__ = ["Document", "Issue", "IssueList", "Path", "Severity", "load_document", "load_documents"]
