"""Random documents, random CSVs and mangled copies of the shipped lessons: the loader only ever
returns a lesson or raises `LessonError` with clean one-line problems, and quickly.

The budget is small locally and larger in CI (where `CI` is set).
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.errors import LessonError
from backprop_tutor.lessons import load_lesson
from backprop_tutor.lessons.data import parse_csv
from backprop_tutor.experiments import make_trace

from tests.support import LESSONS, REPO

INSERTS = [
    b"&a ", b"*a", b"<<: ", b"---\n", b"{", b"[", b": ", b"- ", b"\x00", b"\x1b", b"\xff",
    b"!!python/name:os.system ", b"!!int ", b"!!float ", b"!!bool ", b"!!binary ", b"!!timestamp ", b"!x ",
    b"1e400", b".nan", b"9" * 5000, b"{w:999999999}", b"../../etc/passwd",
]
"""Fragments a mutation may insert: YAML's sharp edges and hostile values."""

SHIPPED = {path.name: path.read_bytes() for path in sorted(LESSONS.glob("*.yaml"))}

# -- what is generated ---------------------------------------------------------------------------

KEYS = [
    "title", "summary", "pages", "text", "experiment", "question", "id", "inputs", "bias", "loss",
    "points", "csv", "init", "alpha", "alphas", "steps", "gradient", "dtype", "graph", "lab",
    "expect", "step", "params", "grad", "status", "path", "tolerance", "prompt", "answer",
    "predict", "choices", "hint", "explain", "w", "b", "w1", "w2",
]
PLACEHOLDER_TEXT = st.sampled_from(["{w}", "{E:.3f}", "{nope}", "{w:999}", "{{", "}}", "{", "{step:", "plain"])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["l1", "l2", "float32", "analytic", "backprop", "a.csv", "../x.csv", "/etc/passwd", "w", "b"]),
    PLACEHOLDER_TEXT,
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=40,
)


@st.composite
def lesson_shaped(draw: st.DrawFn) -> dict:
    """A document shaped like a lesson, with random values where the lesson has its own."""
    experiment = draw(
        st.fixed_dictionaries(
            {"id": st.sampled_from(["e", "e2", "bad id"])},
            optional={
                "points": st.lists(st.lists(scalars, max_size=4), max_size=4),
                "csv": st.sampled_from(["a.csv", "data.csv", "missing.csv", "..", ""]),
                "inputs": scalars,
                "bias": scalars,
                "alpha": scalars,
                "steps": st.one_of(st.integers(-5, 200), scalars),
                "init": st.dictionaries(st.sampled_from(["w", "b", "w1", "q"]), scalars, max_size=3),
                "loss": scalars,
                "gradient": st.sampled_from(["analytic", "numerical", "central", "backprop", "other"]),
                "dtype": st.sampled_from(["float32", "float64", "float16"]),
                "expect": st.lists(st.dictionaries(st.sampled_from(["step", "loss", "status", "params"]), scalars), max_size=2),
            },
        )
    )
    question = draw(
        st.fixed_dictionaries(
            {"prompt": st.one_of(PLACEHOLDER_TEXT, st.text(max_size=10))},
            optional={"answer": scalars, "choices": st.lists(st.text(max_size=3), max_size=3), "hint": scalars, "predict": scalars},
        )
    )
    page = draw(
        st.fixed_dictionaries(
            {"title": st.one_of(st.text(min_size=1, max_size=10), scalars)},
            optional={
                "text": st.lists(PLACEHOLDER_TEXT, max_size=4).map(" ".join),
                "experiment": st.just(experiment),
                "question": st.just(question),
            },
        )
    )
    pages = draw(st.lists(st.just(page), min_size=0, max_size=3))
    return {"title": draw(scalars), "pages": pages, **draw(st.dictionaries(keys, scalars, max_size=1))}


@st.composite
def mutated_lessons(draw: st.DrawFn) -> bytes:
    """A shipped lesson with one to four lines deleted, duplicated or swapped, characters
    flipped, tabs inserted, or its end cut off."""
    raw = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    for _ in range(draw(st.integers(1, 4))):
        lines = raw.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "tab", "truncate", "insert"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        if kind in ("delete", "duplicate", "swap"):
            raw = b"\n".join(lines)
            continue
        at = draw(st.integers(0, max(len(raw) - 1, 0)))
        if kind == "flip":
            raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
        elif kind == "tab":
            raw = raw[:at] + b"\t" + raw[at:]
        elif kind == "truncate":
            raw = raw[:at]
        else:
            raw = raw[:at] + draw(st.sampled_from(INSERTS)) + raw[at:]
    return raw


csv_texts = st.one_of(
    st.text(alphabet="0123456789.,-+eExy \"\n\r\tnaif", max_size=200),
    st.builds(
        lambda header, rows: header + "\n" + "\n".join(",".join(row) for row in rows),
        st.sampled_from(["x,y", "x1,x2,y", "x,y,z", "y,x", "x", "", "X,Y", "x1,x2,x3,y"]),
        st.lists(
            st.lists(
                st.one_of(
                    st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.integers(-(10**15), 10**15).map(str),
                    st.text(max_size=5),
                ),
                max_size=4,
            ),
            max_size=8,
        ),
    ),
)

# -- the check -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A scratch copy of the course's layout: `lessons/` to write into, `data/` with the CSVs."""
    root = tmp_path_factory.mktemp("course")
    (root / "lessons").mkdir()
    shutil.copytree(REPO / "data", root / "data")
    (root / "lessons" / "data.csv").write_text("x,y\n1,1\n2,2\n")
    return root


def assert_loads_or_refuses(path: Path, raw: bytes) -> None:
    """Load `raw` from `path`: a lesson whose runs start, or clean problems.

    No clock here (CI runs on a loaded machine): the loader's size limits are tested in
    test_bad_lessons.py, each by the problem it reports.
    """
    path.write_bytes(raw)
    try:
        lesson = load_lesson(path)
    except LessonError as exc:
        assert exc.problems
        for problem in exc.problems:
            text = str(problem)
            assert text.isprintable() and text.startswith((f"{path}:", str(path.parent.parent))), text
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for exp in lesson.experiments():
                make_trace(exp, lesson.datasets[exp.id]).extend_to(min(exp.steps, 5))


@given(documents)
def test_random_documents_load_or_are_refused(course, document):
    raw = yaml.safe_dump(document, allow_unicode=True).encode()
    assert_loads_or_refuses(course / "lessons" / "random.yaml", raw)


@given(lesson_shaped())
def test_lesson_shaped_documents_load_or_are_refused(course, document):
    raw = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    assert_loads_or_refuses(course / "lessons" / "shaped.yaml", raw)


@given(mutated_lessons())
def test_mutated_shipped_lessons_load_or_are_refused(course, raw):
    assert_loads_or_refuses(course / "lessons" / "mutated.yaml", raw)


@given(st.binary(max_size=300))
def test_random_bytes_are_refused(course, raw):
    assert_loads_or_refuses(course / "lessons" / "bytes.yaml", raw)


@given(csv_texts, st.one_of(st.none(), st.integers(1, 3)))
def test_random_csv_texts_parse_or_are_refused(text, inputs):
    try:
        data = parse_csv(text, "fuzz.csv", inputs)
    except LessonError as exc:
        assert all(str(p).startswith("fuzz.csv:") and str(p).isprintable() for p in exc.problems)
    else:
        assert data.X.shape[0] == data.y.shape[0] >= 1
        assert inputs is None or data.inputs == inputs
