"""The translation format as typed models, for `tutor schema --translation` (editors that validate YAML).

`translation.py` checks a translation against its English lesson, which a schema cannot do (which
pages, which placeholders); these models give an editor the shape: keys, types, one-line fields.
"""

from __future__ import annotations

from pydantic import Field

from .model import OneLine, Strict


class ExperimentText(Strict):
    """An experiment's text: only its title (its numbers stay in the English file)."""

    title: OneLine = Field(description="Only if the English experiment has a title.")


class QuestionText(Strict):
    """A question's text; its answer, tolerance and `predict` stay in the English file."""

    prompt: str = Field(min_length=1, description="The same placeholders as the English prompt.")
    hint: str = Field(min_length=1, description="The same placeholders as the English hint.")
    explain: str | None = Field(None, description="Only if the English question has one.")
    choices: list[OneLine] | None = Field(
        None, max_length=10, description="Only if the English has choices: as many, in the same order."
    )


class PageText(Strict):
    """One page's text, under its key (`Page.key`: the page's `id`, else its English title as a slug)."""

    title: OneLine = Field(min_length=1)
    text: str | None = Field(None, description="Markdown, with exactly the English text's placeholders.")
    experiment: ExperimentText | None = None
    question: QuestionText | None = None


class TranslationSpec(Strict):
    """A translation file, `lessons/<language>/<lesson id>.yaml`: every page of the lesson, by key."""

    title: OneLine = Field(min_length=1)
    summary: str | None = Field(None, description="Only if the English lesson has one.")
    pages: dict[str, PageText] = Field(description="Every page of the English lesson, by its key; no other key.")
