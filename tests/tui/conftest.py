"""The screen audit's tally: what it checked, printed at the end of every run that audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest


@dataclass(repr=False)
class ScreenAuditTally:
    """What `test_screen_audit` checked: screens per lesson and pass, findings, time taken."""

    passes: dict[str, int] = field(default_factory=dict)
    """Screens audited per pass (`80x24`, `120x40`, `80x24 ascii`)."""
    pages: dict[str, int] = field(default_factory=dict)
    """Pages per lesson."""
    positions: set[str] = field(default_factory=set)
    rules: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    """`lesson at pass` for each lesson and pass with findings."""
    examples: dict[str, str] = field(default_factory=dict)
    """The first finding of each rule, as a line."""
    seconds: float = 0.0

    def __repr__(self) -> str:
        return f"<ScreenAuditTally {sum(self.passes.values())} screens>"

    def record(self, lesson: str, pages: int, pass_name: str, screens: int, findings: list, seconds: float) -> None:
        """One lesson walked in one pass."""
        self.pages[lesson] = pages
        self.passes[pass_name] = self.passes.get(pass_name, 0) + screens
        self.seconds += seconds
        for finding in findings:
            self.rules[finding.rule] += 1
            self.examples.setdefault(finding.rule, finding.line())
        if findings:
            self.failed.append(f"{lesson} at {pass_name}")

    def lines(self) -> list[str]:
        """The summary printed at the end of the run."""
        screens = sum(self.passes.values())
        passes = ", ".join(f"{name}: {n}" for name, n in self.passes.items())
        out = [
            f"{sum(self.pages.values())} pages of {len(self.pages)} lessons x up to {len(self.positions)} positions "
            f"({', '.join(sorted(self.positions))}) x {len(self.passes)} passes",
            f"{screens} screens checked ({passes}) in {self.seconds:.1f} s",
            f"{sum(n for name, n in self.passes.items() if name.endswith(' ko'))} of them Korean",
            f"{sum(self.rules.values())} findings"
            + (": " + ", ".join(f"{rule} {n}" for rule, n in sorted(self.rules.items())) if self.rules else ""),
        ]
        if self.failed:
            out.append(f"{len(self.failed)} lesson passes failed: {', '.join(self.failed)}")
            out += [f"first {rule}: {line}" for rule, line in sorted(self.examples.items())]
        return out


TALLY = pytest.StashKey[ScreenAuditTally]()


@pytest.fixture(scope="session")
def screen_audit(pytestconfig: pytest.Config) -> ScreenAuditTally:
    """The run's one tally of the screen audit."""
    return pytestconfig.stash.setdefault(TALLY, ScreenAuditTally())


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    tally = config.stash.get(TALLY, None)
    if tally is None or not tally.passes:
        return
    terminalreporter.write_sep("-", "screen audit")
    for line in tally.lines():
        terminalreporter.write_line(line)
