"""The screen audit's tally: what it checked, kept across the run (and across xdist's workers)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

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

    def to_plain(self) -> dict[str, Any]:
        """The tally as plain data, for a worker to send to the controller (xdist's workeroutput)."""
        return {
            "passes": self.passes, "pages": self.pages, "positions": sorted(self.positions),
            "rules": dict(self.rules), "failed": self.failed, "examples": self.examples, "seconds": self.seconds,
        }

    def merge(self, plain: dict[str, Any]) -> None:
        """Add a worker's tally (`to_plain`) to this one."""
        for name, screens in plain["passes"].items():
            self.passes[name] = self.passes.get(name, 0) + screens
        self.pages.update(plain["pages"])
        self.positions.update(plain["positions"])
        self.rules.update(plain["rules"])
        self.failed += plain["failed"]
        for rule, line in plain["examples"].items():
            self.examples.setdefault(rule, line)
        self.seconds += plain["seconds"]


TALLY = pytest.StashKey[ScreenAuditTally]()
