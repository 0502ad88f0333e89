"""The lesson file format as typed models: a lesson is a title and pages in order.

A page has Markdown text and, optionally, an experiment (a neuron, a loss, data, start values,
α, how many updates, how the slope is found) and a question. Unknown keys are errors.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .choices import choice_index
from .limits import ABSURD, MAX_INPUTS, MAX_PAGES, MAX_POINTS, MAX_STEPS
from .rules import ExperimentRules, PageRules, QuestionRules

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
"""An experiment's or a page's id: a short name, letters, digits, `_ . -`."""


def _one_line(value: str) -> str:
    if "\n" in value or "\t" in value:
        raise ValueError("should be one line of text (no line breaks or tabs)")
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
"""Text shown on one line (a title, a choice): no line breaks."""


class Strict(BaseModel):
    """Base for every lesson model: unknown keys and non-finite numbers are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


def _sane(value: float, what: str) -> float:
    if abs(value) > ABSURD:
        raise ValueError(f"{what} {value:g} is absurdly large (at most {ABSURD:g} in size)")
    return value


class Expectation(Strict):
    """What an experiment's run must show, checked by `tutor check`."""

    step: int | None = Field(None, ge=0, description="The step to check; the last one if absent.")
    params: dict[str, float] = Field(default_factory=dict, description="Parameter values at that step.")
    loss: float | None = Field(None, description="E at that step.")
    grad: dict[str, float] = Field(default_factory=dict, description="The slope per parameter at that step.")
    status: Literal["running", "converged", "oscillating", "diverged", "stalled"] | None = None
    path: dict[str, list[float]] = Field(
        default_factory=dict, description="A parameter's values from step 0 on, e.g. w: [4, 3, 2, 1]."
    )
    tolerance: float = Field(1e-6, ge=0, description="Absolute tolerance for every number compared.")


class Experiment(ExperimentRules, Strict):
    """A gradient-descent run a page shows and steps through."""

    id: str = Field(pattern=ID_PATTERN, description="Unique within the lesson.")
    title: OneLine | None = None
    inputs: int = Field(1, ge=1, le=MAX_INPUTS, description="How many inputs x1..xn the neuron has.")
    bias: bool = Field(False, description="True for h = w·x + b, false for h = w·x.")
    loss: Literal["l1", "l2"] = Field("l2", description="l1: E = mean |h − y|; l2: E = mean (h − y)².")
    points: list[list[float]] | None = Field(
        None, max_length=MAX_POINTS, description="Data rows [x1, ..., xn, y] written inline."
    )
    csv: str | None = Field(
        None, description="A CSV file (header x or x1..xn, y) in the lesson's folder or the data/ folder beside it."
    )
    init: dict[str, float] = Field(default_factory=dict, description="Start values, e.g. {w: 3}; others start at 0.")
    alpha: float = Field(0.1, gt=0, description="The learning rate α.")
    alphas: list[float] = Field(
        default_factory=list, max_length=16, description="α values the [ and ] keys walk through."
    )
    steps: int = Field(20, ge=0, le=MAX_STEPS, description="How many updates the run records.")
    gradient: Literal["analytic", "numerical", "central", "backprop"] = "analytic"
    dtype: Literal["float64", "float32"] = "float64"
    graph: bool = Field(False, description="Step through forward and back propagation, event by event.")
    lab: bool = Field(False, description="A hands-on page: the student moves w and b by hand.")
    expect: list[Expectation] = Field(default_factory=list)

    @field_validator("alpha")
    @classmethod
    def _alpha_sane(cls, value: float) -> float:
        return _sane(value, "alpha")

    @field_validator("alphas")
    @classmethod
    def _alphas_sane(cls, values: list[float]) -> list[float]:
        for v in values:
            if v <= 0:
                raise ValueError(f"every alpha must be greater than 0, not {v:g}")
            _sane(v, "alpha")
        return values

    @field_validator("init")
    @classmethod
    def _init_sane(cls, values: dict[str, float]) -> dict[str, float]:
        for name, v in values.items():
            _sane(v, f"start value {name} =")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Experiment:
        if (self.points is None) == (self.csv is None):
            raise ValueError("give the data once: either `points` (rows [x, y]) or `csv` (a file name)")
        if self.points is not None:
            if not self.points:
                raise ValueError("`points` is empty: give at least one row [x, y]")
            for i, row in enumerate(self.points):
                if len(row) != self.inputs + 1:
                    raise ValueError(
                        f"points[{i}] has {len(row)} values; with {self.inputs} input(s) each row is "
                        f"[{', '.join(_input_names(self.inputs))}, y]"
                    )
                for v in row:
                    _sane(v, f"points[{i}] value")
        unknown = sorted(set(self.init) - set(self.param_names))
        if unknown:
            raise ValueError(
                f"init names {', '.join(unknown)}, which this neuron does not have; "
                f"its parameters are {', '.join(self.param_names)}"
            )
        for exp in self.expect:
            for name in list(exp.params) + list(exp.grad) + list(exp.path):
                if name not in self.param_names:
                    raise ValueError(f"expect names {name}; the parameters are {', '.join(self.param_names)}")
            if exp.step is not None and exp.step > self.steps:
                raise ValueError(f"expect checks step {exp.step} but the run has only {self.steps} steps")
        return self


def _input_names(n: int) -> list[str]:
    return ["x"] if n == 1 else [f"x{i}" for i in range(1, n + 1)]


class Question(QuestionRules, Strict):
    """A question the student answers before moving on.

    Numeric questions have a number as `answer` (checked within `tolerance`); multiple-choice
    questions list `choices` and give the right one as `answer` (its text or its letter a, b, …).
    """

    prompt: str = Field(min_length=1)
    answer: float | str | None = Field(
        None, description="The right answer: a number, or a choice (its text or letter). Not needed with `predict`."
    )
    predict: str | None = Field(
        None,
        description="Ask, before an update, for a live value (next_w, E, slope, …): the step reveals it beside the guess.",
    )
    choices: list[OneLine] = Field(default_factory=list, max_length=10)
    tolerance: float = Field(1e-6, ge=0)
    hint: str = Field(min_length=1, description="Shown after a wrong try: point at the number on screen.")
    explain: str | None = Field(None, description="Shown once the answer is right.")

    @model_validator(mode="after")
    def _answerable(self) -> Question:
        if self.predict is not None:
            if self.choices:
                raise ValueError("a `predict` question is answered with a number: drop `choices`")
            return self
        if self.answer is None:
            raise ValueError("a question needs an `answer` (or `predict` naming a live value)")
        if self.choices:
            letters = [chr(ord("a") + i) for i in range(len(self.choices))]
            if choice_index(self.answer, self.choices) is None:
                raise ValueError(f"answer {self.answer!r} is not one of the choices (or their letters {', '.join(letters)})")
        elif not isinstance(self.answer, float):
            raise ValueError("a question without choices needs a numeric answer")
        return self


class Page(PageRules, Strict):
    """One screen of a lesson: text, and optionally an experiment and a question.

    The text may name live numbers, `{w}`, `{E:.3f}`: the loader checks each name exists.
    """

    title: OneLine = Field(min_length=1)
    id: str | None = Field(
        None,
        pattern=ID_PATTERN,
        description="A short name, unique within the lesson, that the student's answers are remembered by. "
        "Without one, the title is (lower case, `-` between words): give an id to keep answers when you retitle a page.",
    )
    text: str = ""
    experiment: Experiment | None = None
    question: Question | None = None


class LessonSpec(Strict):
    """A lesson file: a title and its pages in order (the lesson's id is the file's stem)."""

    title: OneLine = Field(min_length=1)
    summary: str | None = None
    pages: list[Page] = Field(min_length=1, max_length=MAX_PAGES)

    @model_validator(mode="after")
    def _unique_experiments(self) -> LessonSpec:
        seen: set[str] = set()
        for page in self.pages:
            if page.experiment:
                if page.experiment.id in seen:
                    raise ValueError(f"two experiments have the id {page.experiment.id!r}; ids must be unique")
                seen.add(page.experiment.id)
        return self

    @model_validator(mode="after")
    def _unique_page_keys(self) -> LessonSpec:
        first: dict[str, int] = {}
        for index, page in enumerate(self.pages):
            if page.key in first:
                how = "id" if page.id is not None else "title (as a key)"
                raise ValueError(
                    f"two pages have the key {page.key!r} (pages[{first[page.key]}] and pages[{index}], by {how}): "
                    "answers are remembered by it; give one page another title or an `id`"
                )
            first[page.key] = index
        return self
