"""A student's place and answers survive quitting, and the tutor offers to start over."""

from __future__ import annotations

from pathlib import Path

from backprop_tutor.lessons import load_lesson
from backprop_tutor.progress import ProgressStore
from backprop_tutor.tui.launch import make_app

MINI = Path(__file__).parent / "mini.yaml"


async def test_answer_move_quit_and_resume(tmp_path):
    lesson = load_lesson(MINI)
    store = ProgressStore(tmp_path)
    app = make_app(lesson, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")  # to the question page
        await pilot.press("4", "enter")  # the right answer
        assert app.session.answer.right
        await pilot.press("n", "n")  # two pages on (a right answer leaves the box)
        assert app.session.page_index == 3
        await pilot.press("q")  # quit
    saved = store.get(lesson.progress_key)
    assert saved.page == 3 and saved.done
    again = make_app(lesson, store=ProgressStore(tmp_path))
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.session.page_index == 3
        assert "Press R" in again.session.message
        await pilot.press("b", "b")  # back to the question
        assert again.session.answer.right and again.session.answer.tries == 1
        await pilot.press("R")  # start the lesson over
        assert again.session.page_index == 0


async def test_resume_opens_the_page_at_its_step(tmp_path):
    lesson = load_lesson(MINI)
    store = ProgressStore(tmp_path)
    app = make_app(lesson, store=store, page=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "q")  # two updates on the run page, then quit
    assert store.get(lesson.progress_key).step == 2
    again = make_app(lesson, store=ProgressStore(tmp_path))
    async with again.run_test(size=(80, 24)):
        run = again.session.run
        assert again.session.page_index == 2 and run.step == 2
        # w after two L2 updates on (1, 1) from 3 with α = 0.1: 1 + 0.8²·2 = 2.28
        assert run.state.params["w"] == 1 + 0.8**2 * 2
        assert again.session.message.startswith("Welcome back: resumed on page 3 of 4, at step 2.")


async def test_a_forked_run_resumes_on_its_page_from_the_start(tmp_path):
    lesson = load_lesson(MINI)
    store = ProgressStore(tmp_path)
    app = make_app(lesson, store=store, page=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "right_square_bracket", "space", "q")  # α doubled: not the lesson's run
    again = make_app(lesson, store=ProgressStore(tmp_path))
    async with again.run_test(size=(80, 24)):
        assert again.session.page_index == 2 and again.session.run.step == 0


async def test_restart_flag_starts_at_the_first_page(tmp_path):
    lesson = load_lesson(MINI)
    store = ProgressStore(tmp_path)
    app = make_app(lesson, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "n", "n")  # skip past the question (asked once)
    assert store.get(lesson.progress_key).page > 0
    fresh = make_app(lesson, store=store, restart=True)
    async with fresh.run_test(size=(80, 24)):
        assert fresh.session.page_index == 0


async def test_export_writes_csv_and_plot_text(tmp_path):
    lesson = load_lesson(MINI)
    app = make_app(lesson, page=2, export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "e")  # two updates, then export
        assert "Saved" in app.session.message
    csv_file = tmp_path / "mini-run-trace.csv"
    rows = csv_file.read_text().splitlines()
    assert rows[0].startswith("lesson,experiment,step,w,E") and len(rows) == 4
    assert float(rows[2].split(",")[3]) == 2.6
    assert "E(w)" in (tmp_path / "mini-run-trace.txt").read_text()


async def test_export_writes_the_alpha_each_step_ran_with(tmp_path):
    lesson = load_lesson(MINI)
    app = make_app(lesson, page=2, export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "right_square_bracket", "space", "e")  # α doubles after step 1
    rows = (tmp_path / "mini-run-trace.csv").read_text().splitlines()
    header = rows[0].split(",")
    alphas = [float(r.split(",")[header.index("alpha")]) for r in rows[1:]]
    assert alphas == [0.1, 0.2, 0.2]
