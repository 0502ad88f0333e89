"""Answers that behave: slips said plainly, a right answer kept, a prediction read as asked."""

from __future__ import annotations

import functools

import pytest

from backprop_tutor.lessons import Lesson, load_lesson
from backprop_tutor.session import Session

from tests.support import LESSONS


@functools.cache
def lesson(stem: str) -> Lesson:
    return load_lesson(LESSONS / f"{stem}.yaml")


def on_page(stem: str, test) -> Session:
    doc = lesson(stem)
    return Session(doc, page=next(i for i, p in enumerate(doc.pages) if test(p)))


def choice_page(p) -> bool:
    return p.question is not None and len(p.question.choices) == 3


def typed(session: Session, text: str):
    for character in text:
        session.press(character, character)
    return session.press("enter")


@pytest.mark.parametrize("reply", ["9", "0", "abc"])
def test_a_choice_that_is_not_one_says_choose_and_is_no_try(reply):
    session = on_page("lesson03", choice_page)
    session.press("a", "a")  # open the box
    frame = typed(session, reply)
    assert frame.message == "Choose 1–3: type the number of a choice, then Enter."
    assert session.answer.tries == 0


@pytest.mark.parametrize(("reply", "said"), [("abc", "Not a number: type digits"), ("-nan", "Not a number: type digits"),
                                             ("2,28", "write 2.28 with a point")])
def test_a_number_question_says_what_a_number_is(reply, said):
    session = on_page("lesson02", lambda p: p.experiment is not None and p.experiment.id == "l2-from-3")
    session.press("a", "a")
    frame = typed(session, reply)
    assert said in frame.message and session.answer.tries == 0 and session.answer.misses == 0


def test_r_keeps_a_right_answer_and_n_moves_on():
    session = on_page("lesson03", lambda p: p.experiment is not None and p.experiment.id == "l1-alpha-2")
    typed(session, "2")  # 0 and 2: right
    assert session.answer.right
    session.press("r", "r")  # the run starts over; the answer stays given
    assert session.answer.right
    page = session.page_index
    session.press("n", "n")
    assert session.page_index == page + 1


def test_a_prediction_reads_as_asked_after_it_is_revealed():
    session = on_page("lesson02", lambda p: p.experiment is not None and p.experiment.id == "l2-from-3")
    before = session.frame().question.prompt
    frame = typed(session, "2.6")
    # The question as asked (w = 3), now with its answer: 3 − 0.1·2(3 − 1) = 2.6; it asks no more.
    assert frame.question.prompt == before + " Answer: 2.6." and frame.question.answered
    frame = session.press("space", " ")  # on: a new prediction, for practice
    assert frame.question.prompt != before and not frame.question.answered
    assert frame.question.label.startswith("Predict again")


def test_a_revealed_prediction_asks_again_for_the_step_on_screen_when_answered_again():
    session = on_page("lesson03", lambda p: p.experiment is not None and p.experiment.id == "l1-alpha-1")
    frame = typed(session, "-1")  # -2 − 1·(-1) = -1: the step is taken, the run is at w = -1
    assert "w = -2" in frame.question.prompt and frame.question.prompt.endswith("Answer: -1.")
    frame = session.press("a", "a")  # a new prediction: the question is the one for w = -1 now
    assert "w = -1" in frame.question.prompt and "Answer" not in frame.question.prompt
    frame = typed(session, "0")
    assert "it is 0. Right!" in frame.message  # -1 − 1·(-1) = 0, the next w from the w asked about


def test_a_graph_prediction_the_walk_has_shown_is_not_asked():
    session = on_page("lesson04", lambda p: p.question is not None and p.question.predict == "e")
    assert "on screen" not in session.frame().question.prompt
    session.press("space", " ")
    frame = session.press("space", " ")  # h = 3·1 = 3, then e = 3 − 1 = 2: on the graph now
    assert frame.question.prompt.endswith("It is on screen now: 2.")
    frame = session.press("a", "a")
    assert not session.answering and frame.message.startswith("It is on screen already (2)")
    session.press("left")  # back to before e was made: there is something to predict again
    frame = session.press("a", "a")
    assert session.answering and "on screen" not in frame.question.prompt


def test_keys_typed_fast_on_a_lab_page_go_into_the_answer_box():
    # On lesson06's lab page `.` moves b by hand: typed after a digit, it is the decimal point.
    session = on_page("lesson06", lambda p: p.experiment is not None and p.experiment.id == "lab02")
    frame = typed(session, "2.0")
    assert "it is 2. Right!" in frame.message  # 3 − 0.1·10
    assert session.run.step == 1 and session.run.trace.state(0).params["b"] == -1  # b never moved by hand
    assert session.run.state.params["b"] == pytest.approx(-1 - 0.1 * -4)  # the update's own b


def test_no_run_ends_mid_story():
    for stem in [f"lesson0{i}" for i in range(1, 9)]:
        session = Session(lesson(stem))
        for index, page in enumerate(lesson(stem).pages):
            if page.experiment is None:
                continue
            session.go_to_page(index)
            run = session.run
            last = run.max_step
            assert run.story_told() or last == run.cap, (stem, page.title, last, run.trace.state(last).status)


def test_q_and_the_help_key_work_in_the_answer_box_before_anything_is_typed():
    session = on_page("lesson03", lambda p: p.question is not None and p.question.answer == 2.28)
    session.press("a", "a")
    frame = session.press("?", "?")  # nothing typed yet: the help opens, the box closes
    assert frame.help and not session.answering
    session.press("escape")
    session.press("a", "a")
    session.press("2", "2")
    frame = session.press("q", "q")  # typing has begun: q is typed, as the footer now says
    assert session.draft == "2q" and frame.keys[-1] == "Esc first: ? help, q quit"
    session.press("escape")
    session.press("a", "a")
    assert session.press("q", "q").quit


def test_n_leaves_the_box_and_asks_once_before_skipping():
    session = on_page("lesson03", lambda p: p.question is not None and p.question.answer == 2.28)
    page = session.page_index
    session.press("a", "a")
    frame = session.press("n", "n")
    assert not session.answering and frame.message.startswith("Answer the question first")
    session.press("n", "n")
    assert session.page_index == page + 1


def test_a_letter_that_starts_a_choice_types_into_the_box():
    # lesson01 asks "Is h = (b / w)·x a linear regression?" with choices "Yes: …" and "No: …".
    session = on_page("lesson01", lambda p: p.question is not None and any(c.startswith("No") for c in p.question.choices))
    session.press("a", "a")
    assert "n next" not in session.frame().keys and "? help" in session.frame().keys
    session.press("n", "n")  # the start of "No: its coefficients …": typed, not the next page
    assert session.answering and session.draft == "n"


@pytest.mark.parametrize("stem", [f"lesson0{i}" for i in range(1, 9)])
def test_the_answer_box_footer_names_exactly_the_page_keys_that_work_in_it(stem):
    names = {"n": "n/b page", "b": "n/b page", "?": "? help", "q": "q quit"}
    for index, page in enumerate(lesson(stem).pages):
        if page.question is None:
            continue
        for key in names:
            session = Session(lesson(stem), index)
            session.press("a", "a")
            footer = session.frame().keys
            said = names[key] in footer or (key == "n" and "n next" in footer)
            frame = session.press(key, key)
            typed_in = session.answering and session.draft == key
            assert said != typed_in, (stem, page.title, key, footer)
            assert typed_in or frame.help or frame.quit or not session.answering


def test_the_last_page_points_to_the_next_lesson():
    doc = lesson("lesson03")
    session = Session(doc, page=len(doc.pages) - 2)
    session.press("n", "n")  # its question asks once
    session.press("n", "n")  # onto the last page: where to go from here
    pointer = "The last page of this lesson. Next: tutor run lesson04 (Computation graph, forward and back propagation); q quits."
    assert session.page_index == len(doc.pages) - 1 and session.frame().message == pointer
    assert session.press("n", "n").message == pointer
    assert session.press("space", " ").message == pointer  # no run here, and no next page to send to
    end = lesson("lesson08")
    session = Session(end, page=len(end.pages) - 1)
    if end.pages[-1].question is not None:
        session.press("n", "n")  # its question asks once
    assert session.press("n", "n").message == "The last page of the course: well done. Press q to quit."


def test_the_pointer_names_the_next_lesson_in_korean():
    from backprop_tutor.lessons.translation import lesson_in

    doc = lesson_in(lesson("lesson03"), "ko")
    session = Session(doc, page=len(doc.pages) - 1)
    message = session.press("n", "n").message
    assert message == "이 단원의 마지막 페이지입니다. 다음: tutor run lesson04 (계산 그래프, 순전파와 역전파). q를 누르면 끝냅니다."


def test_a_graph_page_s_prompt_shows_no_number_before_the_walk_makes_it():
    # lesson07's four rows from all-zero weights: ∂E/∂w1 = (2/4)·(x1·e summed) = ½·(1·(-2) + 1·(-10)) = -6.
    session = on_page("lesson07", lambda p: p.question is not None and p.question.predict == "next_w1")
    assert "∂E/∂w1 = …" in session.frame().question.prompt  # the table's cell is blank too
    while "∂E/∂w1 = …" in session.frame().question.prompt:
        session.press("space", " ")  # walk on until back-propagation reaches w1
    assert "∂E/∂w1 = -6," in session.frame().question.prompt
    row = next(r for r in session.frame().table.rows if r.current)
    assert dict(zip(session.frame().table.columns, row.cells))["∂E/∂w1"] == "-6"
