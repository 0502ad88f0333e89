"""A validated lesson as plain data and back, without pydantic: what `cache.py` keeps.

`as_data` turns a lesson's spec (pydantic models, or the records below) into JSON-ready dicts;
`spec_from_data` builds records from such dicts. A record has the same fields as the model it
was dumped from and the same meaning (`rules.py`: `page.key`, `exp.param_names`, `q.accepts`),
so the session and the app cannot tell a cached lesson from a freshly validated one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from .rules import ExperimentRules, PageRules, QuestionRules

if TYPE_CHECKING:
    from .model import LessonSpec


class Record:
    """A model's fields as read-only attributes, equal when the fields are."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]  # like the models: lists inside

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"


class ExpectationRecord(Record):
    """An `Expectation` from the cache."""


class ExperimentRecord(ExperimentRules, Record):
    """An `Experiment` from the cache."""


class QuestionRecord(QuestionRules, Record):
    """A `Question` from the cache."""


class PageRecord(PageRules, Record):
    """A `Page` from the cache."""


class SpecRecord(Record):
    """A `LessonSpec` from the cache."""


class BadData(ValueError):
    """Plain data that is not the shape of a lesson: the cache file holding it is not used."""


def as_data(node: Any) -> Any:
    """A spec, page, experiment… (model or record) as dicts, lists and plain values."""
    if isinstance(node, Record):
        return {name: as_data(value) for name, value in node.__dict__.items()}
    if hasattr(node, "model_dump"):  # a pydantic model: only one that was validated gets here
        return as_data(node.model_dump())
    if isinstance(node, dict):
        return {name: as_data(value) for name, value in node.items()}
    if isinstance(node, list):
        return [as_data(value) for value in node]
    return node


def spec_from_data(data: Any) -> LessonSpec:
    """Records for a lesson dumped by `as_data`, typed as the model they stand for.

    Raises:
        BadData: the data is not shaped like a dumped lesson.
    """
    spec = _record(SpecRecord, data, ("title", "pages"))
    pages = spec.__dict__["pages"]
    if not isinstance(pages, list) or not pages:
        raise BadData("pages")
    spec.__dict__["pages"] = [_page(page) for page in pages]
    return cast("LessonSpec", spec)


def _page(data: Any) -> PageRecord:
    page = _record(PageRecord, data, ("title", "id", "text", "experiment", "question"))
    fields = page.__dict__
    if fields["experiment"] is not None:
        experiment = _record(ExperimentRecord, fields["experiment"], ("id", "inputs", "bias", "steps", "expect"))
        if not isinstance(experiment.__dict__["expect"], list):
            raise BadData("expect")
        experiment.__dict__["expect"] = [
            _record(ExpectationRecord, e, ("step", "params")) for e in experiment.__dict__["expect"]
        ]
        fields["experiment"] = experiment
    if fields["question"] is not None:
        fields["question"] = _record(QuestionRecord, fields["question"], ("prompt", "answer", "choices", "hint"))
    return page


def _record(kind: type[Record], data: Any, required: tuple[str, ...]) -> Any:
    if not isinstance(data, dict) or not all(isinstance(k, str) and k.isidentifier() and not k.startswith("_") for k in data):
        raise BadData(kind.__name__)
    if any(name not in data for name in required):
        raise BadData(kind.__name__)
    return kind(dict(data))
