"""Runs compared from one start: an experiment's variants as experiments, and what tells them apart.

The app's pinned runs and `tutor trace --compare` both come through here, so a run is built, and
named, the same way on screen, in an export and on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .errors import LessonError
from .lessons.limits import MAX_COMPARED
from .lessons.plain import ExperimentRecord, as_data
from .number_format import format_number

if TYPE_CHECKING:
    from .engine import Trace
    from .lessons.model import Experiment
    from .lessons.variants import Variant

COMPARED_FIELDS = ("alpha", "loss", "dtype")
"""The settings `--compare NAME=…` may vary besides a start value."""


def variant_experiment(exp: Experiment, variant: Variant | dict[str, Any]) -> Experiment:
    """`exp` with what `variant` changes (its expectations and its own compare list left out).

    Both were validated with the lesson (or the command line), and either may be plain data
    from the lesson cache: the result is a plain record, built without pydantic.
    """
    fields = as_data(exp)
    changes = {name: value for name, value in as_data(variant).items() if value is not None and value != {}}
    if "init" in changes:
        changes["init"] = {**fields["init"], **changes["init"]}
    fields.update(changes)
    fields["expect"], fields["compare"] = [], []
    return cast("Experiment", ExperimentRecord(fields))


@dataclass(frozen=True)
class Settings:
    """What may tell two runs apart, read off a trace: α now, the loss, the dtype, the start."""

    alpha: float
    loss: str
    dtype: str
    start: tuple[tuple[str, float], ...]

    @classmethod
    def of(cls, trace: Trace) -> Settings:
        """The settings of `trace` (its α is the one it runs with now, after any change)."""
        start = trace.params_at(0)
        return cls(
            float(trace.alpha),
            trace.problem.loss.name,
            str(np.dtype(trace.dtype)),
            tuple((name, float(start[i])) for i, name in enumerate(trace.names)),
        )

    def items(self, alpha: str = "α") -> list[tuple[str, str]]:
        """Each setting as (key, shown text): `α=0.1`, `L1`, `float32`, `w=3`."""
        items = [("alpha", f"{alpha}={format_number(self.alpha)}"), ("loss", self.loss.upper()), ("dtype", self.dtype)]
        items += [(name, f"{name}={format_number(value)}") for name, value in self.start]
        return items


def labels(settings: list[Settings], alpha: str = "α", named: Callable[[int], str] = "run {}".format) -> list[str]:
    """A short name for each run: the settings that differ between them (`α=0.1`, `L1 α=1`).

    Runs that differ in nothing shown (a w moved by hand mid-run) are named `run 1`, `run 2`, …
    (`named(n)`: the app's words say it in the page's language);
    two runs alike (a run pinned, then α changed back) share a name, and their marks tell them apart.
    """
    rows = [s.items(alpha) for s in settings]
    differ = [i for i in range(len(rows[0])) if len({row[i][1] for row in rows}) > 1] if rows else []
    return [" ".join(row[i][1] for i in differ) or named(n) for n, row in enumerate(rows, start=1)]


def parse_compare(text: str, params: tuple[str, ...]) -> list[Variant]:
    """`alpha=0.1,1,2` (or `loss=l1,l2`, `dtype=float32,float64`, `w=-2,3`) as one variant per value.

    Raises:
        LessonError: the name or a value cannot be used, or there are more values than can be pinned.
    """
    name, sep, values = text.partition("=")
    name = name.strip()
    items = [v.strip() for v in values.split(",") if v.strip()]
    known = (*COMPARED_FIELDS, *params)
    if not sep or not items:
        raise LessonError.at("command line", 0, f"--compare {text!r}: write NAME=V1,V2,…, e.g. --compare alpha=0.1,1,2")
    if name not in known:
        raise LessonError.at("command line", 0, f"--compare {name!r}: compare one of {', '.join(known)}")
    if len(items) > MAX_COMPARED + 1:
        raise LessonError.at("command line", 0, f"--compare: at most {MAX_COMPARED + 1} values, not {len(items)}")
    from pydantic import ValidationError

    from .lessons.variants import Variant

    variants = []
    for item in items:
        fields: dict[str, object]
        if name in ("loss", "dtype"):
            fields = {name: item}
        else:
            try:
                number = float(item)
            except ValueError:
                raise LessonError.at("command line", 0, f"--compare {name}={item!r}: should be a number") from None
            fields = {"alpha": number} if name == "alpha" else {"init": {name: number}}
        try:
            variants.append(Variant.model_validate(fields))
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise LessonError.at("command line", 0, f"--compare {name}={item}: {message}") from None
    return variants
