"""Translations (issue 15): a lesson's text in Korean, checked against the English by page key.

The fixture `translations/mini.yaml` has a Korean text in `translations/ko/`; `broken/ko/mini.yaml`
has three faults (a page missing, a page the English lacks, a placeholder lost). Each bad case
below changes one thing in the good translation and names the line the error must point at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_tutor.cli import main
from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import lesson_files, load_lesson
from backprop_tutor.lessons.translation import (
    english_path_for,
    lesson_in,
    load_translated,
    load_translation_file,
    translation_path,
    translations_of,
)
from backprop_tutor.lessons.translation_schema import TranslationSpec
from tests.support import LESSONS

HERE = Path(__file__).parent / "translations"
MINI = HERE / "mini.yaml"
KO_MINI = HERE / "ko" / "mini.yaml"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+)$")


def problems_of(path: Path, english: Path) -> list[tuple[int, str]]:
    with pytest.raises(LessonError) as caught:
        load_translated(load_lesson(english), path, "ko")
    return [(p.line, p.message) for p in caught.value.problems]


def test_a_translation_gives_the_text_and_keeps_the_numbers_keys_and_answers():
    english = load_lesson(MINI)
    korean = load_translated(english, KO_MINI, "ko")
    assert korean.language == "ko" and english.language == "en"
    assert korean.title == "데이터 하나, 두 학습률" and korean.pages[0].title == "오차(error)"
    assert [p.key for p in korean.pages] == [p.key for p in english.pages]  # answers are shared by key
    assert korean.id == english.id and korean.progress_key == english.progress_key
    assert korean.datasets is english.datasets
    for en, ko in zip(english.pages, korean.pages):
        if en.experiment is not None:  # every number of the run is the English file's
            assert ko.experiment.model_dump(exclude={"title"}) == en.experiment.model_dump(exclude={"title"})
    assert korean.pages[1].experiment.title == "w = 3에서 시작, α = 0.1"
    choice = korean.pages[3].question
    assert choice.choices[2] == "α = 2 (발산)"
    # The English answer was the choice's English text: the Korean question still knows which one.
    assert choice.accepts("3") and choice.accepts("α = 2 (발산)") and not choice.accepts("1")
    assert korean.pages[1].question.tolerance == english.pages[1].question.tolerance


def test_lesson_in_english_is_the_lesson_itself_and_a_lesson_without_korean_has_none(tmp_path):
    english = load_lesson(MINI)
    assert lesson_in(english, "en") is english
    assert lesson_in(english, "ko").title == "데이터 하나, 두 학습률"
    shutil.copy(MINI, tmp_path / "mini.yaml")
    assert lesson_in(load_lesson(tmp_path / "mini.yaml"), "ko") is None
    assert translations_of(MINI) == [("ko", KO_MINI)]
    assert english_path_for(KO_MINI) == MINI and english_path_for(MINI) is None
    assert translation_path(MINI, "ko") == KO_MINI


def test_a_missing_page_an_extra_page_and_a_lost_placeholder_are_three_path_line_errors(capsys):
    broken = HERE / "broken" / "ko" / "mini.yaml"
    code = main(["validate", str(HERE / "broken" / "mini.yaml")])
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and len(err) == 3, err
    parsed = [LINE.match(line) for line in err]
    assert all(parsed) and {m["path"] for m in parsed} == {str(broken)}
    by_line = {int(m["line"]): m["message"] for m in parsed}
    text = broken.read_text(encoding="utf-8").splitlines()
    missing, lost, extra = sorted(by_line)
    assert text[missing - 1].startswith("pages:") and "'the-error'" in by_line[missing] and "not translated" in by_line[missing]
    assert "{E:.4f}" in by_line[lost] and "lost placeholder" in by_line[lost]
    assert text[lost - 1].strip().startswith("text:")  # the field that lost it
    assert text[extra - 1].strip() == "the-summary:" and "no page of the English lesson" in by_line[extra]


def test_validate_says_ok_only_once_the_translations_are(capsys):
    code = main(["validate", str(HERE / "broken" / "mini.yaml")])
    out, err = capsys.readouterr()
    assert code == 1 and len(err.splitlines()) == 3  # the three problems, before the summary
    assert out.splitlines() == [f"{HERE / 'broken' / 'mini.yaml'}: 4 pages, 3 questions, its translation: 3 problems (above)"]
    assert main(["validate", str(MINI)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{MINI}: 4 pages, 3 questions, ok", f"{KO_MINI}: 4 pages, 3 questions, ok"]


def test_validate_takes_a_translation_by_its_own_path_too(capsys):
    assert main(["validate", str(KO_MINI)]) == 0
    assert main(["validate", str(HERE / "broken" / "ko" / "mini.yaml")]) == 1
    assert len(capsys.readouterr().err.splitlines()) == 3


def test_a_translation_outside_a_language_folder_or_of_no_lesson_is_refused(tmp_path):
    (tmp_path / "ko").mkdir()
    orphan = tmp_path / "ko" / "nothing.yaml"
    orphan.write_text("title: 없음\npages: {}\n", encoding="utf-8")
    with pytest.raises(LessonError, match="translates .*nothing.yaml, which does not exist"):
        load_translation_file(orphan)
    with pytest.raises(LessonError, match="not in a language folder"):
        load_translation_file(MINI)


def _variant(tmp_path: Path, edit) -> Path:
    """The good fixture copied to `tmp_path`, its translation changed by `edit(text) -> text`."""
    shutil.copy(MINI, tmp_path / "mini.yaml")
    (tmp_path / "ko").mkdir()
    target = tmp_path / "ko" / "mini.yaml"
    target.write_text(edit(KO_MINI.read_text(encoding="utf-8")), encoding="utf-8")
    return target


BAD_CASES = {
    "spec changed": (
        lambda t: t.replace("E = {E:.4f}, 기울기", "E = {E:.3f}, 기울기"),
        "E = {E:.3f}",
        "{E:.3f} should be {E:.4f}, as in the English",
    ),
    "misspelt": (
        lambda t: t.replace("α = {alpha}. 다음", "α = {alhpa}. 다음"),
        "{alhpa}",
        "placeholder {alhpa} is not in the English; did you mean {alpha}?",
    ),
    "explain the English lacks": (
        lambda t: t.replace('      hint: "∂E/∂w = 2e·x."', '      hint: "∂E/∂w = 2e·x."\n      explain: "설명"'),
        "explain:",
        "the English has no explain here: leave it out",
    ),
    "a choice short": (
        lambda t: t.replace('["α = 0.1", "α = 0.5", "α = 2 (발산)"]', '["α = 0.1", "α = 2 (발산)"]'),
        "choices:",
        "2 choices; the English has 3",
    ),
    "a title on two lines": (
        lambda t: t.replace("    title: 너무 큰 걸음\n", '    title: "너무 큰\\n걸음"\n'),
        "title: \"너무 큰",
        "should be one line of text",
    ),
    "a number for text": (
        lambda t: t.replace("    title: 오차(error)", "    title: 2"),
        "title: 2",
        "should be text (put it in quotes)",
    ),
    "a hint left out": (
        lambda t: t.replace('      hint: "∂E/∂w = 2e·x."\n', ""),
        "    question:\n      prompt: \"되돌아가기",
        "missing 'hint': the English has one",
    ),
    "a lone brace": (
        lambda t: t.replace("E = {E:.4f}, 기울기", "E = {E:.4f}, {기울기"),
        "E = {E:.4f}, {기울기",
        "a lone `{`: copy a live number as the English writes it",
    ),
    "an unknown key": (
        lambda t: t.replace("    title: 너무 큰 걸음\n", "    title: 너무 큰 걸음\n    titel: 너무\n"),
        "titel:",
        "unknown key 'titel' (did you mean 'title'?)",
    ),
    "an experiment title the English lacks": (
        lambda t: t.replace(
            "      space로 순전파(forward pass)를, 그다음 역전파(back-propagation)를 따라갑니다.\n",
            "      space로 순전파(forward pass)를, 그다음 역전파(back-propagation)를 따라갑니다.\n"
            "    experiment:\n      title: 그래프\n",
        ),
        "    experiment:\n      title: 그래프",
        "the English experiment has no text to translate",
    ),
    "a page's text emptied": (
        lambda t: t.replace(
            "    text: |\n      업데이트마다 (w − 1)에 (1 − 2α)를 곱합니다.\n", '    text: ""\n'
        ),
        'text: ""',
        "is empty; the English has text here",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_each_fault_of_a_translation_is_one_error_at_its_line(tmp_path, case):
    edit, marker, message = BAD_CASES[case]
    path = _variant(tmp_path, edit)
    found = problems_of(path, tmp_path / "mini.yaml")
    assert len(found) == 1 and message in found[0][1], found
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(marker)].count("\n") + 1 + marker.count("\n", 0, len(marker.split("\n")[0]))
    assert found[0][0] in (line, line + marker.count("\n")), (found, line)


def test_check_replays_every_page_in_both_languages(capsys):
    assert main(["check", str(MINI)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["mini: 4 pages, 2 expectations, ok", "mini (ko): 4 pages, 2 expectations, ok"]


def test_the_course_checks_green_in_english_and_in_every_translation(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    english = [p for p in lesson_files(LESSONS)]
    translated = [p for p in english if translations_of(p)]
    assert len(out) == len(english) + len(translated)
    for path in translated:
        assert f"{path.stem} (ko): " in "\n".join(out) and any(
            line.startswith(f"{path.stem} (ko): ") and line.endswith(", ok") for line in out
        )


@pytest.mark.parametrize("path", [KO_MINI, *sorted((LESSONS / "ko").glob("*.yaml"))], ids=lambda p: p.stem)
def test_the_translation_schema_accepts_every_valid_translation(path):
    load_translation_file(path)  # valid for the loader...
    TranslationSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))  # ...and for the schema


# -- mangled translations ---------------------------------------------------------------------------

FRAGMENTS = [b"&a ", b"*a", b"<<: ", b"{", b"[", b": ", b"- ", b"\x1b", b"\xff", b"!!python/name:os.system ",
             b"{w:.3f}", b"{{", b"}", b"\n  extra: x\n", b"\n    titel: x\n", b"1e400", b"\t"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.sampled_from(FRAGMENTS)), max_size=4))
def test_a_mangled_translation_is_a_translation_or_clean_path_line_errors(tmp_path_factory, cuts):
    folder = tmp_path_factory.mktemp("mangled")
    shutil.copy(MINI, folder / "mini.yaml")
    (folder / "ko").mkdir()
    raw = KO_MINI.read_bytes()
    for at, drop, fragment in cuts:
        at %= len(raw) + 1
        raw = raw[:at] + fragment + raw[at + drop :]
    (folder / "ko" / "mini.yaml").write_bytes(raw)
    try:
        load_translation_file(folder / "ko" / "mini.yaml")
    except LessonError as exc:
        assert exc.problems and all(LINE.match(str(p)) and "\n" not in str(p) for p in exc.problems)
