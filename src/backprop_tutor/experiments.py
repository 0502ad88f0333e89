"""An experiment of a lesson turned into an engine run, with a user's overrides, and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .engine import Neuron, Problem, Trace, loss_named
from .errors import LessonError
from .lessons.data import Dataset, read_csv
from .lessons.limits import MAX_STEPS

if TYPE_CHECKING:
    from .lessons.model import Experiment


@dataclass(frozen=True)
class Overrides:
    """What a user changed from the command line; None keeps the lesson's value."""

    alpha: float | None = None
    init: dict[str, float] = field(default_factory=dict)
    loss: str | None = None
    steps: int | None = None
    dtype: str | None = None
    data: Path | None = None


def apply_overrides(exp: Experiment, data: Dataset, overrides: Overrides) -> tuple[Experiment, Dataset]:
    """The experiment and data with the overrides applied, checked as the lesson file would be.

    Raises:
        LessonError: an override names an unknown parameter or a value out of range.
    """
    changes: dict[str, object] = {}
    if overrides.alpha is not None:
        changes["alpha"] = overrides.alpha
    if overrides.loss is not None:
        changes["loss"] = overrides.loss
    if overrides.steps is not None:
        changes["steps"] = overrides.steps
    if overrides.dtype is not None:
        changes["dtype"] = overrides.dtype
    if overrides.init:
        changes["init"] = {**exp.init, **overrides.init}
    if overrides.data is not None:
        data = read_csv(overrides.data, exp.inputs)
    said = _changed(overrides)
    if said:  # the lesson's title describes the lesson's run: say what this one changes
        changes["title"] = f"{exp.title or exp.id} (here with {said})"
    if not changes:
        return exp, data
    from pydantic import ValidationError  # only here: `tutor run` never needs pydantic

    from .lessons.model import Experiment
    from .lessons.plain import as_data

    fields = as_data(exp)
    fields.update(changes)
    fields["expect"] = []  # expectations describe the lesson's own run, not an overridden one
    # Re-validate so an override obeys the same limits as the file (finite α, steps ≤ max…).
    try:
        return Experiment.model_validate(fields), data
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or exp.id
        raise LessonError.at("command line", 0, f"{where}: {first['msg'].removeprefix('Value error, ')}") from None


def _changed(overrides: Overrides) -> str:
    """What the overrides change that a title may contradict: `α = 2, w = 5, data from a.csv`."""
    from .number_format import format_number
    from .safe_text import printable

    said = [f"α = {format_number(overrides.alpha)}"] if overrides.alpha is not None else []
    said += [f"{name} = {format_number(value)}" for name, value in overrides.init.items()]
    said += [f"loss {overrides.loss.upper()}"] if overrides.loss else []
    said += [overrides.dtype] if overrides.dtype else []
    said += [f"data from {printable(overrides.data.name)}"] if overrides.data is not None else []
    return ", ".join(said)


def make_problem(exp: Experiment, data: Dataset) -> Problem:
    """The engine's problem for an experiment: neuron, loss and data in the experiment's dtype."""
    dtype = np.float32 if exp.dtype == "float32" else np.float64
    return Problem(Neuron(exp.inputs, exp.bias), loss_named(exp.loss), data.X.astype(dtype), data.y.astype(dtype))


def make_trace(exp: Experiment, data: Dataset) -> Trace:
    """A fresh trace of the experiment at step 0 (states are computed as they are asked for)."""
    problem = make_problem(exp, data)
    start = np.array([exp.init.get(name, 0.0) for name in exp.param_names], dtype=np.float64)
    return Trace(problem, start, exp.alpha, exp.gradient, max_steps=min(exp.steps, MAX_STEPS))


def check_expectations(exp: Experiment, trace: Trace) -> list[str]:
    """What the run fails to show of the experiment's `expect` list (empty when all hold)."""
    return [problem for _index, problem in expectation_failures(exp, trace)]


def expectation_failures(exp: Experiment, trace: Trace) -> list[tuple[int, str]]:
    """Each failure of the experiment's `expect` list, with the index of the expectation it breaks."""
    trace.extend_to(exp.steps)
    failures: list[tuple[int, str]] = []
    # A float32 run is compared in float32: 2.96000004 names the same float32 as 2.96.
    cast = np.float32 if trace.dtype == np.float32 else float

    def near(got: float, value: float, tol: float) -> bool:
        return bool(abs(float(cast(got)) - float(cast(value))) <= tol)

    for index, want in enumerate(exp.expect):
        step = trace.last if want.step is None else want.step
        label = f"{exp.id}: expect #{index + 1}"
        if step > trace.last:
            failures.append((index, f"{label}: the run stopped at step {trace.last}, before step {step}"))
            continue
        state = trace.state(step)
        tol = want.tolerance
        for name, value in want.params.items():
            if not near(state.params[name], value, tol):
                failures.append((index, f"{label}: {name} = {state.params[name]:.9g} at step {step}, expected {value:.9g}"))
        for name, value in want.grad.items():
            if not near(state.grad[name], value, tol):
                failures.append((index, f"{label}: slope dE/d{name} = {state.grad[name]:.9g} at step {step}, expected {value:.9g}"))
        if want.loss is not None and not near(state.loss, want.loss, tol):
            failures.append((index, f"{label}: E = {state.loss:.9g} at step {step}, expected {want.loss:.9g}"))
        if want.status is not None and state.status != want.status:
            failures.append((index, f"{label}: status {state.status} at step {step}, expected {want.status}"))
        for name, values in want.path.items():
            got = [trace.state(k).params[name] for k in range(min(len(values), len(trace)))]
            if len(got) < len(values) or any(not near(a, b, tol) for a, b in zip(got, values)):
                shown = ", ".join(f"{v:g}" for v in got)
                failures.append((index, f"{label}: {name} went {shown}, expected {', '.join(f'{v:g}' for v in values)}"))
    return failures

