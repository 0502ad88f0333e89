"""`tutor trace --compare` and `--until`: runs side by side, and a stop where something happens.

Numbers are the lecture's, on (1, 1) from w = 3 with L2: w_{k+1} − 1 = (1 − 2α)(w_k − 1).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from backprop_tutor.cli import main


def tutor(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def closed_form(w0: float, alpha: float, k: int) -> float:
    return 1 + (1 - 2 * alpha) ** k * (w0 - 1)


def test_compare_alphas_side_by_side_as_a_table(capsys):
    code, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-0.1", "--compare", "alpha=0.1,1,2", "--steps", "3")
    lines = out.splitlines()
    assert code == 0 and "compared: α=0.1 | α=1 | α=2" in lines[0]
    assert lines[1].split() == ["α=0.1", "α=1", "α=2"]
    assert lines[2].split() == ["step", *["w", "E", "status"] * 3]
    rows = {line.split()[0]: line.split() for line in lines[3:7]}
    assert [rows[str(k)][1] for k in range(4)] == ["3", "2.6", "2.28", "2.024"]
    assert [rows[str(k)][4] for k in range(4)] == ["3", "-1", "3", "-1"]
    assert [rows[str(k)][7] for k in range(4)] == ["3", "-5", "19", "-53"]
    assert rows["3"][8:] == ["2916", "diverged"]  # E = (−53 − 1)²


def test_compare_as_csv_and_jsonl_names_each_run(capsys):
    _, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-0.1", "--compare", "alpha=0.1,1,2",
                      "--steps", "3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["run"] for r in rows] == ["α=0.1"] * 4 + ["α=1"] * 4 + ["α=2"] * 4
    for r in rows:
        alpha = float(r["alpha"])
        assert float(r["w"]) == pytest.approx(closed_form(3, alpha, int(r["step"])))
    _, out, _ = tutor(capsys, "trace", "lesson02", "--experiment", "l2-from-3", "--compare", "loss=l1,l2",
                      "--steps", "2", "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["run"], r["step"]) for r in records] == [("L1", 0), ("L1", 1), ("L1", 2), ("L2", 0), ("L2", 1), ("L2", 2)]
    assert records[2]["params"]["w"] == pytest.approx(3 - 2 * 0.1)  # L1: the slope is 1, a step of α
    assert records[5]["params"]["w"] == pytest.approx(closed_form(3, 0.1, 2))


def test_until_diverged_stops_at_the_step_it_diverges(capsys):
    code, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-2", "--until", "diverged")
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 0 and lines[-1] == "stopped at step 3: diverged"
    assert lines[-2].split()[:3] == ["3", "-53", "2916"]  # the last row printed is the stop


def test_until_a_loss_and_a_sign_change(capsys):
    _, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-0.1", "--until", "E<1e-6", "--format", "jsonl")
    stop = json.loads(out.splitlines()[-1])
    below = next(k for k in range(200) if (closed_form(3, 0.1, k) - 1) ** 2 < 1e-6)
    assert stop["kind"] == "stop" and stop["reason"] == "below" and stop["step"] == below
    _, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-1", "--until", "sign-change", "--format", "csv")
    assert [row["w"] for row in csv.DictReader(io.StringIO(out))] == ["3.0", "-1.0"]  # 3 → −1 jumps over 1


def test_until_that_never_happens_says_so(capsys):
    _, out, _ = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-0.1", "--until", "diverged", "--steps", "5")
    assert out.splitlines()[-2] == "did not stop within 5 steps"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--compare", "beta=1,2"), "--compare 'beta': compare one of alpha, loss, dtype, w"),
        (("--compare", "alpha"), "write NAME=V1,V2"),
        (("--compare", "alpha=0,1"), "--compare alpha=0: Input should be greater than 0"),
        (("--compare", "alpha=a"), "should be a number"),
        (("--compare", "loss=l3"), "--compare loss=l3"),
        (("--compare", "alpha=1,2,3,4,5"), "at most 4 values"),
        (("--until", "soon"), "--until 'soon': stop at one of"),
        (("--until", "E<x"), "--until 'E<x'"),
    ],
)
def test_bad_compare_and_until_are_one_line_errors(capsys, args, words):
    code, out, err = tutor(capsys, "trace", "lesson03", "--experiment", "l2-alpha-0.1", *args)
    assert code == 1 and out == "" and words in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_the_schema_knows_compare_and_until_loss(capsys):
    _, out, _ = tutor(capsys, "schema")
    schema = json.loads(out)
    experiment = schema["$defs"]["Experiment"]["properties"]
    assert experiment["compare"]["maxItems"] == 3 and experiment["compare"]["items"] == {"$ref": "#/$defs/Variant"}
    assert set(schema["$defs"]["Variant"]["properties"]) == {"alpha", "init", "loss", "dtype"}
    assert schema["$defs"]["Variant"]["additionalProperties"] is False
    assert "until_loss" in experiment
