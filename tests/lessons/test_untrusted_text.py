"""Issue 13, lessons: escapes that would take over the terminal, page keys, progress keys,
a `data/` that leads out of the course, and work bounded over a whole lesson."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import lesson as lesson_module
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.catalogue import progress_key_for
from backprop_tutor.safe_text import first_unsafe, printable

from tests.support import LESSONS

ESCAPES = {  # what a lesson writes (YAML double-quoted escapes) -> the character refused
    "window title (OSC 0)": ("\\e]0;pwned\\a", "U+001B"),
    "clear screen": ("\\x1b[2J", "U+001B"),
    "8-bit CSI": ("\\u009b2J", "U+009B"),
    "NUL": ("a\\0b", "U+0000"),
    "clipboard write (OSC 52)": ("\\e]52;c;ZWNobyBwd25lZA==\\a", "U+001B"),
    "bell": ("ding\\a", "U+0007"),
    "carriage return": ("fine\\roverwritten", "U+000D"),
    "next line (C1)": ("a\\Nb", "U+0085"),
    "right-to-left override": ("abc\\u202Eexe.yaml", "U+202E"),
    "bidi isolate": ("x\\u2066y", "U+2066"),
    "zero-width space": ("lesson\\u200b01", "U+200B"),
    "zero-width joiner": ("a\\u200db", "U+200D"),
    "byte-order mark inside": ("a\\uFEFFb", "U+FEFF"),
    "line separator": ("a\\u2028b", "U+2028"),
}

PLACES = {  # where the string goes -> (lesson with {s}, its line)
    "lesson title": ('title: "{s}"\npages:\n  - title: p\n', 1),
    "page title": ('title: t\npages:\n  - title: p\n  - title: "{s}"\n', 4),
    "page text": ('title: t\npages:\n  - title: p\n    text: "{s}"\n', 4),
    "summary": ('title: t\nsummary: "{s}"\npages:\n  - title: p\n', 2),
    "choice": (
        'title: t\npages:\n  - title: p\n    question:\n      prompt: q\n      hint: h\n      answer: a\n'
        '      choices:\n        - one\n        - "{s}"\n',
        10,
    ),
    "experiment title": ('title: t\npages:\n  - title: p\n    experiment:\n      id: x\n      title: "{s}"\n      points: [[1, 1]]\n', 6),
}


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_an_escaped_control_is_refused_at_its_line(tmp_path, escape, place):
    written, code = ESCAPES[escape]
    template, line = PLACES[place]
    path = tmp_path / "x.yaml"
    path.write_text(template.replace("{s}", written))
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    [problem] = caught.value.problems
    assert problem.line == line and code in problem.message, str(problem)
    assert first_unsafe(str(problem)) is None  # the message itself is plain text


def test_the_line_inside_a_block_is_named(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text('title: t\npages:\n  - title: p\n    text: |\n      one\n      two \u200b here\n')
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    assert caught.value.problems[0].line == 6


def test_a_tab_inside_a_text_block_is_content(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("title: t\npages:\n  - title: p\n    text: |\n      w\tE\n      \tindented by a tab\n")
    assert load_lesson(path).pages[0].text == "w\tE\n\tindented by a tab\n"


def test_a_tab_that_indents_is_still_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("title: t\npages:\n  - title: p\n\ttext: x\n")
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    problem = caught.value.problems[0]
    assert problem.line == 4 and "a tab in the indentation" in problem.message


def test_a_title_is_one_line(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text('title: t\npages:\n  - title: "one\\ntwo"\n')
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    problem = caught.value.problems[0]
    assert problem.line == 3 and "one line" in problem.message


# -- the sanitiser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain, é, 회귀, α = 0.1", "plain, é, 회귀, α = 0.1"),
        ("\x1b]0;x\x07", "\\x1b]0;x\\x07"),
        ("\x9b2J", "\\x9b2J"),
        ("a\u202eb", "a\\u202eb"),
        ("a\u200bb", "a\\u200bb"),
        ("two\nlines", "two\\nlines"),
        ("\U000e0041", "\\U000e0041"),  # a tag character, invisible
    ],
)
def test_printable_shows_every_unsafe_character(text, shown):
    assert printable(text) == shown
    assert printable(shown) == shown  # idempotent: cleaning twice changes nothing


def test_printable_keeps_lines_and_tabs_of_multiline_text():
    assert printable("a\tb\nc\x1b", multiline=True) == "a\tb\nc\\x1b"


# -- page keys and progress keys -----------------------------------------------------------------


def test_a_page_key_is_its_id_else_its_title_as_a_slug(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("title: t\npages:\n  - title: E(w) is a Bowl\n  - title: Two\n    id: second-page\n")
    pages = load_lesson(path).pages
    assert [p.key for p in pages] == ["e-w-is-a-bowl", "second-page"]


@pytest.mark.parametrize(
    ("pages", "line", "words"),
    [
        ("  - title: Same\n  - title: other\n  - title: Same\n", 5, "two pages have the key 'same'"),
        ("  - title: E(w)\n  - title: e w\n", 4, "two pages have the key 'e-w'"),
        ("  - title: a\n    id: q1\n  - title: b\n    id: q1\n", 6, "two pages have the key 'q1'"),
        ("  - title: a\n    id: 'has space'\n", 4, "should be a short name"),
    ],
)
def test_duplicate_page_keys_are_refused_at_the_second_page(tmp_path, pages, line, words):
    path = tmp_path / "x.yaml"
    path.write_text("title: t\npages:\n" + pages)
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    [problem] = caught.value.problems
    assert problem.line == line and words in problem.message, str(problem)


def test_progress_is_keyed_by_where_the_lesson_comes_from(tmp_path):
    shipped = load_lesson(LESSONS / "lesson01.yaml")
    assert shipped.progress_key == "lesson01"
    copy = tmp_path / "lesson01.yaml"
    shutil.copy(LESSONS / "lesson01.yaml", copy)
    shutil.copytree(LESSONS.parent / "data", tmp_path.parent / "data", dirs_exist_ok=True)
    other = load_lesson(copy)
    assert other.id == "lesson01" and other.progress_key == str(copy.resolve())
    assert progress_key_for(copy) == other.progress_key


def test_a_file_name_with_an_escape_gives_a_printable_id(tmp_path):
    path = tmp_path / "evil\x1b[2J.yaml"
    path.write_text("title: t\npages:\n  - title: p\n")
    lesson = load_lesson(path)
    assert lesson.id == "evil\\x1b[2J" and first_unsafe(lesson.progress_key) is None


# -- reading outside the course ------------------------------------------------------------------


def test_a_data_folder_that_links_out_of_the_course_is_refused(tmp_path):
    course = tmp_path / "course"
    (course / "lessons").mkdir(parents=True)
    (course / "data").symlink_to("/etc")
    lesson = course / "lessons" / "x.yaml"
    lesson.write_text("title: t\npages:\n  - title: p\n    experiment:\n      id: x\n      csv: passwd\n")
    with pytest.raises(LessonError) as caught:
        load_lesson(lesson)
    [problem] = caught.value.problems
    assert problem.line == 6 and "points outside" in problem.message
    assert "root:" not in str(problem)


# -- work over a whole lesson --------------------------------------------------------------------


def _shared_csv_lesson(folder: Path, pages: int, steps: int, rows: int = 1000) -> Path:
    (folder / "d.csv").write_text("x,y\n" + "1,1\n" * rows)
    path = folder / "x.yaml"
    path.write_text("title: t\npages:\n" + "".join(
        f"  - title: p{i}\n    experiment:\n      id: e{i}\n      csv: d.csv\n      steps: {steps}\n" for i in range(pages)
    ))
    return path


def test_a_csv_shared_by_many_pages_is_read_once(tmp_path, monkeypatch):
    calls = []
    read = lesson_module.read_csv  # where the data of a lesson is loaded (fresh or cached)
    monkeypatch.setattr(lesson_module, "read_csv", lambda *args: calls.append(args) or read(*args))
    lesson = load_lesson(_shared_csv_lesson(tmp_path, pages=50, steps=1))
    assert len(calls) == 1 and len(lesson.experiments()) == 50
    assert lesson.datasets["e0"] is lesson.datasets["e49"]


def test_the_work_of_a_whole_lesson_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(lesson_module, "MAX_LESSON_ROW_UPDATES", 10_000)
    path = _shared_csv_lesson(tmp_path, pages=3, steps=4)  # 4,000 each: the third makes 12,000
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    [problem] = caught.value.problems
    assert problem.line == 17 and "12,000" in problem.message and "whole lesson" in problem.message
