"""Issues found while reading staff-edited files.

Every issue names where it is (file, line, column), what is wrong and, where it helps,
how to fix it. Issues are collected, never raised one by one, so staff see all problems of
all files at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad an issue is: errors stop the bot from loading the file, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one place of one file, printed like a compiler message."""

    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        text = f"{where}: {self.severity.value}[{self.code}] {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class IssueList:
    """A growing, sortable collection of issues."""

    def __init__(self, issues: Iterable[Issue] = ()) -> None:
        self._issues: list[Issue] = list(issues)

    def add(self, issue: Issue) -> None:
        """Record one issue."""
        self._issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Record several issues."""
        self._issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(sorted(set(self._issues), key=_sort_key))

    def __len__(self) -> int:
        return len(set(self._issues))

    @property
    def errors(self) -> list[Issue]:
        """The issues that stop loading."""
        return [i for i in self if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """The issues that only inform."""
        return [i for i in self if i.severity is Severity.WARNING]


def _sort_key(issue: Issue) -> tuple[str, int, int, str, str]:
    return (issue.file, issue.line, issue.col, issue.code, issue.message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a "did you mean 'x'?" hint for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""
