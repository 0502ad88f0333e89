"""Any α, start value and data the lesson format admits: the engine never raises, never warns,
and marks `diverged` where a run overflows; `tutor trace` answers any override cleanly.

The budget is small locally and larger in CI (where `CI` is set).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.cli import main
from backprop_tutor.engine import STATUSES
from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import lesson_files, load_lesson
from backprop_tutor.lessons.data import from_points
from backprop_tutor.lessons.model import ABSURD, MAX_INPUTS, Experiment
from backprop_tutor.experiments import make_problem, make_trace

from tests.support import LESSONS, PROBLEM_LINE


admitted = st.floats(-ABSURD, ABSURD, allow_nan=False, allow_infinity=False)
"""Every number a lesson may hold as a start value or a datum."""
alphas = st.floats(0, ABSURD, exclude_min=True, allow_nan=False, allow_infinity=False)
"""Every α a lesson may hold (subnormal ones too)."""


@st.composite
def experiments(draw: st.DrawFn) -> Experiment:
    """A valid experiment with wild but admitted numbers."""
    inputs = draw(st.integers(1, MAX_INPUTS))
    bias = draw(st.booleans())
    rows = draw(st.lists(st.lists(admitted, min_size=inputs + 1, max_size=inputs + 1), min_size=1, max_size=5))
    names = Experiment(id="probe", inputs=inputs, bias=bias, points=[[0.0] * (inputs + 1)]).param_names
    init = draw(st.dictionaries(st.sampled_from(names), admitted))
    return Experiment(
        id="wild",
        inputs=inputs,
        bias=bias,
        points=rows,
        init=init,
        alpha=draw(alphas),
        loss=draw(st.sampled_from(["l1", "l2"])),
        gradient=draw(st.sampled_from(["analytic", "numerical", "central", "backprop"])),
        dtype=draw(st.sampled_from(["float64", "float32"])),
        steps=draw(st.integers(0, 120)),
    )


def check_states(trace, since: int = 0) -> None:
    """Statuses are the four; only the last state may be non-finite, and it is then `diverged`.

    From step `since` on (a fork's own future), a diverged run stays diverged.
    """
    seen_diverged = False
    for k in range(len(trace)):
        state = trace.state(k)
        assert state.status in STATUSES
        numbers = [state.loss, *state.params.values(), *state.grad.values()]
        finite = all(math.isfinite(v) for v in numbers)
        if not finite:
            assert state.status == "diverged" and k == trace.last and trace.complete, (k, state)
        if seen_diverged:
            assert state.status == "diverged", (k, state)
        seen_diverged = k >= since and state.status == "diverged"


@given(experiments(), st.data())
def test_any_admitted_numbers_run_without_raising_or_warning(exp, data):
    dataset = from_points(exp.points)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning fails the test
        trace = make_trace(exp, dataset)
        trace.extend_to(exp.steps)
        check_states(trace)
        k = data.draw(st.integers(0, trace.last), label="fork at")
        fork = trace.fork(k, alpha=data.draw(alphas, label="new alpha"))
        fork.extend_to(exp.steps)
        check_states(fork, since=k)  # a new α gives a growing run a new chance at step k
        name = data.draw(st.sampled_from(exp.param_names), label="moved")
        moved = trace.fork(k, params={name: data.draw(admitted, label="to")})
        moved.extend_to(exp.steps)
        check_states(moved, since=k)
        if trace.complete and trace.stopped:
            return
        # The graph a student steps through runs at every finite state, quietly too.
        problem = make_problem(exp, dataset)
        problem.graph().run(trace.params_at(trace.last), problem.X, problem.y)


def test_overflow_in_float32_is_diverged_not_a_warning():
    exp = Experiment(id="x", points=[[1e12, -1e12]], alpha=1e12, init={"w": 1e12}, dtype="float32", gradient="numerical", steps=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = make_trace(exp, from_points(exp.points))
        trace.extend_to(10)
    assert trace.state(trace.last).status == "diverged" and trace.stopped


# -- through `tutor trace` -----------------------------------------------------------------------


def _shipped_experiments() -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for path in lesson_files(LESSONS):
        try:
            lesson = load_lesson(path)
        except LessonError:  # a lesson being edited elsewhere: its own tests say so
            continue
        found += [(lesson.id, exp.id, exp.param_names) for exp in lesson.experiments()]
    return found


SHIPPED = _shipped_experiments()
ONE_LINE = re.compile(PROBLEM_LINE.pattern + r"\n")  # `PATH:LINE: message`, or `command line: message`

any_number = st.one_of(
    admitted,
    alphas,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-320, 1e300, -1e300, 1e12, 1e12 + 1]),
)


def _strict_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


@given(st.sampled_from(SHIPPED), st.data())
def test_random_overrides_through_tutor_trace(shipped, data):
    lesson_id, exp_id, names = shipped
    args = ["trace", lesson_id, "--experiment", exp_id, "--format", "jsonl"]
    args += ["--steps", str(data.draw(st.one_of(st.integers(-3, 150), st.just(10**12)), label="steps"))]
    if data.draw(st.booleans(), label="alpha?"):
        args += ["--alpha", repr(data.draw(any_number, label="alpha"))]
    for name in data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True), label="init"):
        args += ["--init", f"{name}={data.draw(any_number, label=name)!r}"]
    if data.draw(st.booleans(), label="loss?"):
        args += ["--loss", data.draw(st.sampled_from(["l1", "l2"]), label="loss")]
    if data.draw(st.booleans(), label="dtype?"):
        args += ["--dtype", data.draw(st.sampled_from(["float32", "float64"]), label="dtype")]
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        warnings.simplefilter("error")
        code = main(args)
    out, err = out.getvalue(), err.getvalue()
    assert "Traceback" not in err
    if code == 1:
        assert out == "" and ONE_LINE.fullmatch(err), err
        return
    assert code == 0 and err == "", err
    records = [json.loads(line, parse_constant=_strict_constant) for line in out.splitlines()]
    states = [r for r in records if r["kind"] == "state"]
    assert states and all(s["status"] in STATUSES for s in states)
    for s in states:  # a diverged state's inf or NaN is written as null, never as a bare Infinity
        numbers = [s["loss"], *s["params"].values(), *s["grad"].values()]
        assert all(v is None or math.isfinite(v) for v in numbers)
        assert None not in numbers or s["status"] == "diverged", s
