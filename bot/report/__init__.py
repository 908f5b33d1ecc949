"""Statistics for funders: the figures, the "<5" rule and the German report, all pure.

Storage counts the anonymous events and cases of a period into :class:`FunderFigures`;
:func:`build_report` labels and protects them once, and the command line
(``python -m bot stats``) and the staff command ``/stats`` only print the result.
"""

from bot.report.figures import FunderFigures
from bot.report.layout import Names, Report, Row, Section, build_report
from bot.report.period import DEFAULT_DAYS, Period, PeriodError, parse_period

__all__ = [
    "DEFAULT_DAYS",
    "FunderFigures",
    "Names",
    "Period",
    "PeriodError",
    "Report",
    "Row",
    "Section",
    "build_report",
    "parse_period",
]
