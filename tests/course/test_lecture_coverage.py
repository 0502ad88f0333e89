"""The shipped course teaches the whole lecture, and every question in it works.

For each lesson: its questions accept the right answer and refuse a wrong one with a hint (a
`predict` question against the value worked out from the run itself), a student can walk it
page by page headlessly, the Korean glosses stand beside the English terms, and the numbers the
lecture states for that topic appear in that lesson's runs.

The expected numbers are typed from the lecture (`shared/seeds/000_404598dd49c0a846.txt`) and,
for Lab 01, from TensorFlow's print-out of that program; never copied from our own output.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pytest

from backprop_tutor.engine import Trace
from backprop_tutor.lessons import Lesson, lesson_files, load_lesson
from backprop_tutor.lessons.model import Experiment, Page, Question
from backprop_tutor.lessons.templates import placeholders, render
from backprop_tutor.experiments import check_expectations, make_trace
from backprop_tutor.session import Session

from tests.support import LESSONS, REPO, TENSORFLOW_LAB01

IDS = [f"lesson0{i}" for i in range(1, 9)]


@functools.cache
def lesson(lesson_id: str) -> Lesson:
    return load_lesson(LESSONS / f"{lesson_id}.yaml")


def experiment(lesson_id: str, exp_id: str) -> Experiment:
    exps = {e.id: e for e in lesson(lesson_id).experiments()}
    assert exp_id in exps, f"{lesson_id} has no experiment {exp_id!r} (has {sorted(exps)})"
    return exps[exp_id]


def run(lesson_id: str, exp_id: str, steps: int | None = None) -> Trace:
    exp = experiment(lesson_id, exp_id)
    trace = make_trace(exp, lesson(lesson_id).datasets[exp_id])
    trace.extend_to(exp.steps if steps is None else steps)
    return trace


def ws(trace: Trace, upto: int, name: str = "w") -> list[float]:
    return [trace.state(k).params[name] for k in range(upto + 1)]


def losses(trace: Trace, upto: int) -> list[float]:
    return [trace.state(k).loss for k in range(upto + 1)]


def all_text(lesson_id: str) -> str:
    parts = []
    for page in lesson(lesson_id).pages:
        parts += [page.title, page.text]
        if page.question:
            parts += [page.question.prompt, *page.question.choices]
    return "\n".join(parts)


def questions(lesson_id: str) -> list[tuple[int, Page, Question]]:
    return [(i, p, p.question) for i, p in enumerate(lesson(lesson_id).pages) if p.question is not None]


def live_value(lesson_id: str, page: Page, name: str) -> float:
    """What a `predict` question asks for, from a fresh run of the page at step 0.

    `next_p` is the parameter after the first update, read from the trace itself (step 1), so
    it checks the page's formula w − α·slope against the engine rather than repeating it.
    """
    exp = page.experiment
    assert exp is not None
    trace = make_trace(exp, lesson(lesson_id).datasets[exp.id])
    start = trace.state(0)
    if name.startswith("next_"):
        return trace.state(1).params[name.removeprefix("next_")]
    if name == "E":
        return start.loss
    if name == "slope":
        return start.grad[trace.names[0]]
    if name.startswith("dE_d"):
        return start.grad[name.removeprefix("dE_d")]
    if name in ("h", "e"):  # of the first datum, as a page shows them
        problem = trace.problem
        h = float(problem.neuron.predict(trace.params_at(0).astype(float), problem.X.astype(float))[0])
        return h if name == "h" else h - float(problem.y[0])
    return start.params[name]


def wrong_reply(q: Question, right: float | None = None) -> str:
    if q.choices:
        wrong = next(i for i in range(len(q.choices)) if i != q.correct_choice())
        return chr(ord("a") + wrong)
    value = float(q.answer) if right is None else right
    return repr(value + max(100 * q.tolerance, 1.0))


# -- the lessons exist and ask enough ----------------------------------------------------------


def test_the_course_is_the_eight_lessons():
    assert [p.stem for p in lesson_files(LESSONS)] == IDS


@pytest.mark.parametrize("lesson_id", IDS)
def test_each_lesson_asks_numbers_and_choices(lesson_id):
    qs = [q for _, _, q in questions(lesson_id)]
    assert len(qs) >= 2
    assert any(q.choices for q in qs), "no multiple-choice question"
    assert any(not q.choices for q in qs), "no numeric question"
    for q in qs:
        if not q.choices:
            assert q.tolerance > 1e-6, f"{q.prompt!r}: give a tolerance a student can reach"


def test_the_course_asks_to_predict_the_next_value():
    predicted = [q.predict for lid in IDS for _, _, q in questions(lid) if q.predict]
    assert len(predicted) >= 5
    assert "next_w" in predicted and "e" in predicted


@pytest.mark.parametrize("lesson_id", IDS)
def test_a_prediction_is_not_already_on_screen(lesson_id):
    # The state table shows every parameter, E and each slope at the current step, so asking
    # for one of those would only ask the student to read it. On a graph page the table and
    # the plot hide E and the slopes until the forward and backward walk computes them, so
    # those may be predicted there.
    for _, page, q in questions(lesson_id):
        if q.predict:
            names = page.experiment.param_names
            hidden_until_walked = {"E", "slope", *(f"dE_d{p}" for p in names)} if page.experiment.graph else set()
            shown = ({"E", "slope", *names, *(f"dE_d{p}" for p in names)}) - hidden_until_walked
            assert q.predict not in shown, f"{page.title}: {q.predict} is in the state table already"
            assert "{" + q.predict not in page.text, f"{page.title}: the text shows {q.predict}"
            if q.predict in hidden_until_walked:
                assert "{" + q.predict not in q.prompt, f"{page.title}: the prompt shows {q.predict}"


GRAPH_HIDDEN = re.compile(r"\{(E|slope|dE_d\w+|next_\w+|numerical_slope|E_nudged)[:}]")


@pytest.mark.parametrize("lesson_id", IDS)
def test_graph_page_text_does_not_give_away_what_the_walk_computes(lesson_id):
    # The table hides E and the slopes until the walk reaches them; text naming them live
    # would show them before the student has pressed space.
    for page in lesson(lesson_id).pages:
        if page.experiment is not None and page.experiment.graph:
            assert not GRAPH_HIDDEN.search(page.text), f"{page.title}: {GRAPH_HIDDEN.search(page.text).group(0)}"


TYPED_ALPHA = re.compile(r"α = [−-]?\d")


@pytest.mark.parametrize("lesson_id", IDS)
def test_a_typed_alpha_never_stands_beside_live_numbers(lesson_id):
    # Every experiment page lets the student change α with [ and ], so a typed α next to live
    # numbers goes stale: say {alpha}, or say that the typed value is the start.
    for page in lesson(lesson_id).pages:
        if page.experiment is None:
            continue
        parts = re.split(r"\n\s*\n", page.text)
        if page.question is not None:
            parts += [page.question.prompt, page.question.hint, page.question.explain or ""]
        for part in parts:
            if TYPED_ALPHA.search(part) and placeholders(part):
                assert "start" in part.lower(), f"{page.title}: typed α beside live numbers: {part!r}"
        if page.question is not None:
            for part in (page.question.prompt, page.question.hint):
                if TYPED_ALPHA.search(part):
                    assert "start" in part.lower(), f"{page.title}: a typed α in {part!r} goes stale"


@pytest.mark.parametrize("lesson_id", IDS)
def test_questions_refer_to_choices_by_number_or_text(lesson_id):
    # Choices are shown numbered 1) 2) …; letters like "b)" would point at nothing on screen.
    for _, page, q in questions(lesson_id):
        for part in (q.prompt, q.hint, q.explain or "", *q.choices):
            assert not re.search(r"(^|[\s(])[a-j]\)", part), f"{page.title}: {part!r} names a choice by letter"


@pytest.mark.parametrize("lesson_id", IDS)
def test_page_titles_are_unique(lesson_id):
    titles = [p.title for p in lesson(lesson_id).pages]  # progress remembers answers by title
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("lesson_id", IDS)
def test_expectations_hold(lesson_id):
    les = lesson(lesson_id)
    for exp in les.experiments():
        assert check_expectations(exp, make_trace(exp, les.datasets[exp.id])) == []


# -- questions: the right answer passes, a wrong one gets a hint --------------------------------


@pytest.mark.parametrize("lesson_id", IDS)
def test_every_question_accepts_its_answer_and_refuses_a_wrong_one(lesson_id):
    for _, page, q in questions(lesson_id):
        where = f"{lesson_id} / {page.title}"
        assert len(q.hint) >= 25 and not q.hint.lower().startswith(("wrong", "incorrect", "try again")), where
        if q.predict:
            live = live_value(lesson_id, page, q.predict)
            assert q.accepts(repr(live), live=live), where
            assert q.accepts(f"{live:.3f}", live=live), f"{where}: three decimals should do"
            assert not q.accepts(wrong_reply(q, live), live=live), where
        elif q.choices:
            right = q.correct_choice()
            assert q.accepts(str(right + 1)), f"{where}: the number shown beside the choice"
            assert q.accepts(chr(ord("a") + right)) and q.accepts(q.choices[right]), where
            for i in range(len(q.choices)):
                if i != right:
                    assert not q.accepts(str(i + 1)) and not q.accepts(chr(ord("a") + i)), where
        else:
            assert q.accepts(str(q.answer)), where
            assert not q.accepts(wrong_reply(q)), where


@pytest.mark.parametrize("lesson_id", IDS)
def test_a_student_walks_the_lesson_page_by_page(lesson_id):
    """Headless, through the session the app drives: wrong first (a hint), then right."""
    session = Session(lesson(lesson_id))
    seen = []
    while True:
        page = session.page
        seen.append(page.title)
        run = session.run
        values = run.values() if run is not None else {}
        q = page.question
        for text in (page.text, *((q.prompt, q.hint, q.explain or "") if q else ())):
            missing = {name for name, _, _ in placeholders(text)} - set(values)
            assert not missing, f"{page.title}: no live value for {missing}"
        if q is not None:
            live = live_value(lesson_id, page, q.predict) if q.predict else None
            hint = render(q.hint, values)  # hints may name live numbers, filled in before the step
            assert session.submit(wrong_reply(q, live)) is False, page.title
            assert hint in session.message, page.title
            session.reset_page()
            right = repr(live) if q.predict else (chr(ord("a") + q.correct_choice()) if q.choices else str(q.answer))
            assert session.submit(right) is True, f"{page.title}: {session.message}"
        if not session.next_page():
            break
    assert seen == [p.title for p in lesson(lesson_id).pages]


# -- the lecture's Korean glosses ---------------------------------------------------------------

GLOSSES = {
    "lesson01": [("regression", "회귀"), ("dependent variable", "종속변수"),
                 ("independent variable", "독립변수"), ("anthropology", "인류학")],
    "lesson02": [("supervised learning", "지도학습"), ("differentiation", "미분"),
                 ("tangent line", "접선"), ("influence", "영향력")],
}


@pytest.mark.parametrize(("lesson_id", "english", "korean"),
                         [(lid, en, ko) for lid, pairs in GLOSSES.items() for en, ko in pairs])
def test_korean_gloss_stands_beside_the_english_term(lesson_id, english, korean):
    pages = "\n".join(page.text for page in lesson(lesson_id).pages)
    text = re.sub(r"\*\*|\s+", " ", pages).lower()
    first = text.index(english)  # the term's first appearance in the text carries the gloss
    assert korean in text[first : first + len(english) + 25], f"{korean} not beside {english!r}"


# -- the lecture's numbers, lesson by lesson ----------------------------------------------------


def test_lesson01_the_desmos_lab_in_eight_steps():
    text = all_text("lesson01")
    assert "Steps 1–2" in text and all(f"Step {n}" in text for n in range(3, 9))
    four = {(1, 1), (2, 2), (-1, -1), (-2, -2)}
    up = {(x, y + 1) for x, y in four}
    labs = [e for e in lesson("lesson01").experiments() if e.lab]
    datasets = {e.id: {tuple(r) for r in e.points} for e in labs}
    assert datasets["lab-h-equals-x"] == datasets["rotation"] == four
    assert datasets["lifted-no-bias"] == datasets["lifted-plus-1"] == datasets["shifting"] == up
    assert run("lesson01", "lab-h-equals-x").state(0).loss == 0  # h = x goes through all four
    assert run("lesson01", "rotation").state(0).params["w"] == 2  # h = 2x
    assert run("lesson01", "lifted-plus-1").state(0).loss == 0  # h = wx + 1 at w = 1
    assert not experiment("lesson01", "lifted-no-bias").bias and experiment("lesson01", "shifting").bias
    assert "rotation" in text and "shifting" in text and "(b / w)·x" in text


def test_lesson02_l1_walks_4_3_2_1_and_minus_2_to_1():
    down = run("lesson02", "l1-from-4")
    assert ws(down, 3) == [4, 3, 2, 1]
    assert losses(down, 3)[1:] == [2, 1, 0]  # the slide: Error E = 2, 1, 0
    assert down.state(0).grad["w"] == 1  # slope 1
    up = run("lesson02", "l1-from-minus-2")
    assert ws(up, 3) == [-2, -1, 0, 1]
    assert losses(up, 3)[1:] == [2, 1, 0]
    assert up.state(0).grad["w"] == -1  # slope ΔE/Δw = −1/+1


def test_lesson02_numerical_and_analytic_slope_at_w_3():
    exp = experiment("lesson02", "numerical-vs-analytic")
    problem = make_trace(exp, lesson("lesson02").datasets[exp.id]).problem
    assert float(problem.error(np.array([3.0]))) == 4  # w: 3 → E: 4
    assert float(problem.error(np.array([3.00001]))) == pytest.approx(4.00004, abs=1e-9)  # → E: 4.00004
    slope = run("lesson02", "numerical-vs-analytic").state(0).grad["w"]
    assert slope == pytest.approx(0.00004 / 0.00001, abs=1e-4)  # ΔE/Δw = 4
    assert run("lesson02", "l2-from-3").state(0).grad["w"] == 2 * (3 - 1)  # 2(w − 1) = 4
    assert ws(run("lesson02", "l2-from-3"), 1) == pytest.approx([3, 2.6])  # α = 0.1


def test_lesson03_learning_rates():
    l1 = run("lesson03", "l1-alpha-2")
    assert ws(l1, 5) == [-2, 0, 2, 0, 2, 0]  # the slide's table for α = 2
    assert losses(l1, 5)[1:] == [1, 1, 1, 1, 1]
    assert l1.state(5).status == "oscillating"
    assert ws(run("lesson03", "l1-alpha-1"), 3) == [-2, -1, 0, 1]
    assert run("lesson03", "l2-alpha-0.1").state(80).status == "converged"
    assert ws(run("lesson03", "l2-alpha-1"), 4) == [3, -1, 3, -1, 3]
    assert ws(run("lesson03", "l2-alpha-2"), 3) == [3, -5, 19, -53]
    assert run("lesson03", "l2-alpha-2").state(3).status == "diverged"


@pytest.mark.parametrize("exp_id", ["l2-alpha-0.1", "l2-alpha-0.5", "l2-alpha-1", "l2-alpha-2"])
def test_lesson03_each_l2_update_multiplies_w_minus_1_by_1_minus_2_alpha(exp_id):
    exp = experiment("lesson03", exp_id)
    assert exp.alphas, "the student changes α live with [ and ]"
    trace = run("lesson03", exp_id, 3)
    for k in range(min(3, trace.last)):
        before, after = ws(trace, k + 1)[k : k + 2]
        assert after - 1 == pytest.approx((1 - 2 * exp.alpha) * (before - 1))


def test_lesson04_forward_4_backward_4_update_2_6():
    exp = experiment("lesson04", "graph")
    assert exp.graph and exp.gradient == "backprop" and exp.init == {"w": 3}
    trace = run("lesson04", "graph", 1)
    problem = trace.problem
    passed = problem.graph().run(trace.params_at(0), problem.X, problem.y)
    forward = {ev.node: float(np.squeeze(ev.value)) for ev in passed.forward}
    assert forward == {"h": 3, "e": 2, "E": 4}  # (x, y) = (1, 1), w = 3 → E = 4
    grads = {ev.node: float(np.squeeze(ev.grad)) for ev in passed.backward}
    assert grads["e"] == 4 and grads["h"] == 4 and grads["w"] == 4  # 2e, 1·4, 1·4
    formulas = sorted(ev.local_formula.replace("−", "-") for ev in passed.backward if ev.consumer)
    assert formulas == sorted(["x", "w", "1", "-1", "2e"])  # the five local gradients
    assert trace.state(1).params["w"] == pytest.approx(3 - 0.1 * 4)  # w = 2.6
    assert run("lesson04", "graph-update").state(120).params["w"] == pytest.approx(1)
    text = all_text("lesson04")
    for part in ("neuron", "synapse", "input", "output", "hypothesis", "ground truth", "composite gate"):
        assert part in text.lower(), part
    assert "x · 1 · 2e" in text


def test_lesson05_a_csv_mean_square_error():
    data = lesson("lesson05").datasets["a-csv"]
    assert data.X.ravel().tolist() == [1, 2, 3] and data.y.tolist() == [1, 2, 3]
    start = run("lesson05", "a-csv").state(0)
    assert start.loss == pytest.approx((2**2 + 4**2 + 6**2) / 3)
    assert round(start.loss, 3) == 18.667
    assert experiment("lesson05", "lab03").csv == "a.csv"
    assert "Lab 03" in all_text("lesson05") and "mean square error" in all_text("lesson05")


def test_lesson06_bias_gate_and_a_convex_surface():
    trace = run("lesson06", "bias-graph", 1)
    problem = trace.problem
    gates = [(node.name, node.op) for node in problem.graph().gates]
    assert ("h", "add") in gates  # one more plus gate: h = wx + b
    assert trace.state(0).loss == ((1 * 1 + 1) - 1) ** 2  # E = ((wx + b) − y)² at w = b = 1
    assert experiment("lesson06", "lab02").bias
    surface = run("lesson06", "two-weights").problem
    assert surface.X.tolist() == [[1, 1]] and surface.y.tolist() == [1]  # E = (w1·1 + w2·1 − 1)²
    rng = np.random.default_rng(0)
    for _ in range(200):  # convex: E at a midpoint never above the average of the ends
        p, q = rng.uniform(-5, 5, size=(2, 2))
        mid = float(surface.error((p + q) / 2))
        assert mid <= (float(surface.error(p)) + float(surface.error(q))) / 2 + 1e-12
    assert "Lab 02" in all_text("lesson06") and "convex" in all_text("lesson06")


def test_lesson07_three_inputs_and_the_better_connection():
    exp = experiment("lesson07", "three-inputs")
    assert exp.inputs == 3 and exp.bias
    gates = [node.op for node in run("lesson07", "three-inputs", 0).problem.graph().gates]
    assert gates.count("mul") == 3 and gates.count("add") == 3  # w1x1 + w2x2 + w3x3 + b
    lab04 = experiment("lesson07", "lab04")
    assert lab04.inputs == 3
    text = all_text("lesson07")
    assert "Lab 04" in text and "making the connection" in text.lower()
    assert "((w1·x1 + w2·x2 + w3·x3 + b) − y)²" in text




def test_lesson08_replays_tensorflow_lab01_in_float32():
    exp = experiment("lesson08", "lab01")
    assert (exp.dtype, exp.alpha, exp.steps, exp.points) == ("float32", 0.01, 1001, [[1, 1]])
    trace = run("lesson08", "lab01")
    for update, printed in TENSORFLOW_LAB01.items():
        assert trace.params_at(update)[0] == np.float32(printed), update
    w = trace.params_at(1001)[0]
    assert np.float32(2) * w == np.float32("2.0000057")  # the test: x_data = [2]
    text = all_text("lesson08")
    assert "```python" in text and "range(1001)" in text and "learning_rate=0.01" in text
    for fact in ("2.96000004", "1.25993431", "1.03447235", "1.00457144", "1.00060618", "1.00000286"):
        assert fact in text, fact


def test_lesson08_explains_why_float32_stalls_near_1_0000029():
    trace = run("lesson08", "lab01")
    w = trace.params_at(1001)[0]
    gap = np.spacing(np.float32(1))
    assert gap == np.float32(2.0**-23) and float(gap) == pytest.approx(1.19e-7, rel=1e-2)
    step = np.float32(0.01) * trace.state(1001).grad["w"]
    assert float(step) == pytest.approx(5.7e-8, rel=1e-2)  # 0.01 · 2 · 2.86e-6
    assert step < gap / 2 and w - np.float32(step) == w  # the update rounds back to w
    text = all_text("lesson08")
    for fact in ("2⁻²³", "1.19e-7", "5.7e-8", "compat.v1", "disable_v2_behavior",
                 "Werbos", "1974", "1982", "Hinton", "1986"):
        assert fact in text, fact


# -- the guide's example ------------------------------------------------------------------------


def test_the_guides_example_lesson_passes_check(tmp_path: Path):
    guide = (REPO / "docs" / "lessons.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", guide, re.S)
    assert example, "docs/lessons.md lost its complete example"
    path = tmp_path / "lesson09.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    les = load_lesson(path)
    assert len(les.pages) == 3
    for exp in les.experiments():
        assert check_expectations(exp, make_trace(exp, les.datasets[exp.id])) == []


# -- words a newcomer meets ---------------------------------------------------------------------


def course_text() -> str:
    """Every page's text, lesson by lesson, in the order a student reads them."""
    return "\n".join(page.text for lid in IDS for page in lesson(lid).pages)


def test_epoch_is_explained_where_it_first_appears():
    text = re.sub(r"\*\*|\s+", " ", course_text())
    first = text.lower().index("epoch")
    assert "pass over" in text[first - 60 : first + 80], text[first - 60 : first + 80]


def test_scientific_notation_is_explained_where_it_first_appears():
    # Small numbers print as 8e-06 in the table and the readouts; say what that means.
    text = re.sub(r"\s+", " ", course_text())
    first = re.search(r"\d(\.\d+)?e-\d+", text)
    assert first, "the course never explains numbers like 8e-06"
    assert "× 10" in text[first.start() : first.end() + 40], text[first.start() : first.end() + 40]


def test_no_lab_is_named_before_it_is_introduced():
    # Lab 01 is lesson 8's topic: earlier lessons may name it only with a pointer to lesson 8.
    for lid in IDS[:7]:
        for page in lesson(lid).pages:
            for match in re.finditer(r"Lab 01", page.text):
                nearby = page.text[match.start() : match.end() + 30]
                assert "lesson 8" in nearby, f"{lid} / {page.title}: {nearby!r}"


def test_the_l1_kink_is_told_as_the_tutor_shows_it():
    # The engine uses slope 0 at the tip of the V (w = 1), as the table shows; the text says so.
    assert run("lesson02", "l1-from-4").state(3).grad["w"] == 0
    text = re.sub(r"\s+", " ", all_text("lesson02"))
    assert "no true slope at w = 1" in text and "uses 0 there" in text
