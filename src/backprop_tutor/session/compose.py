"""The parts of a frame made from a run: the state table, the plots and the graph panel.

Every number is formatted here, by `format_number`, once: the table, the plot titles, the
graph's wires and the chain rule all read one quantity the same way. What a graph page shows
follows the walk: a value appears when the forward pass makes it, a gradient when
back-propagation reaches it, never before.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..engine import GATES, BackwardEvent, Pass, State
from ..frame import CurvePlot, DataPlot, GraphNode, GraphPart, StateTable, SurfacePlot, TableRow
from ..number_format import format_number, operand
from ..text_cells import cell_width
from ..words import Words
from .glyphs import Glyphs
from .run import Run

TABLE_ROWS = 4
"""Steps the state table shows at once (plus the one just left, when it moves on)."""
ENGLISH = Words()
"""The words of a part built for no session (an export file, a test)."""
PLOTTABLE = 1e15
"""Values beyond this in size are not drawn: the plot says the run has diverged instead."""


def _line(w: float, b: float | None) -> str:
    """h = w·x (+ b) as the lecture writes a line: `h = x` for w = 1, `h = -x`, `h = 2.6x`, `h = 0`
    for w = 0 (no `0x`), then `+ 0.5` or `− 0.5` for b (the minus of a formula, as in `w − 1`)."""
    coefficient = format_number(w)
    terms = [] if coefficient == "0" else [{"1": "x", "-1": "-x"}.get(coefficient, f"{coefficient}x")]
    if b is not None and (b != 0 or not terms):
        shown = format_number(abs(b) if terms else b)
        terms.append(shown if not terms else f"{'−' if b < 0 else '+'} {shown}")
    return "h = " + (" ".join(terms) or "0")


def _floats(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(values, dtype=np.float64).ravel())


def _finite(*arrays: np.ndarray | float) -> bool:
    with np.errstate(all="ignore"):
        return all(
            bool(np.all(np.isfinite(a))) and float(np.max(np.abs(a), initial=0.0)) <= PLOTTABLE for a in arrays
        )


def state_table(run: Run, g: Glyphs, words: Words = ENGLISH) -> StateTable:
    """The last few steps; on a graph page the current row hides what the walk has not made."""
    names = run.names
    step = run.step
    # Rows stay in place for four steps (only the new row repaints), then the table moves on.
    first = (step // TABLE_ROWS) * TABLE_ROWS
    if first and step == first:
        first -= 1  # keep the step just left in view
    reveal = run.reveal
    rows = []
    for k in range(first, step + 1):
        s = run.state_at(k)
        now = k == step
        cells = _cells(k, s, names)
        if now and reveal == "curve":
            cells[len(names) + 1] = ""
        if now and reveal != "slope":
            cells[len(names) + 2 :] = [""] * len(names)
        rows.append(TableRow(tuple(cells), words.cell(s.status), now))
    columns = (words("table.step"), *names, "E", *(g.slope_name(n) for n in names))
    widest = run.cached("table widths", (run.trace, words.language), lambda: _widest_cells(run, words))
    return StateTable(columns, tuple(rows), len(names), widest=widest)


def _widest_cells(run: Run, words: Words) -> tuple[int, ...]:
    """The widest cell of each column (step, parameters, E, slopes, status) over the run's story.

    Measured once per run (a fork or a new α is a new run): ~1,000 steps at most, a few ms each
    hundred. Without it the table would turn, or its columns shift, the first time a wider number
    comes (w = 1.524288 → 1.4194304 on lesson03). The run's own numbers are measured: a value the
    screen reads as 0 (`Run.state_at`) is never wider, and judging noise here would cost 2×."""
    last = run.record_story()
    widest = [0] * (2 * len(run.names) + 3)
    for k in range(last + 1):
        s = run.trace.state(k)
        for i, cell in enumerate([*_cells(k, s, run.names), words.cell(s.status)]):
            widest[i] = max(widest[i], cell_width(cell))
    return tuple(widest)


def _cells(k: int, s: State, names: tuple[str, ...]) -> list[str]:
    """Step `k`'s row of the table: the step, each parameter, E, each slope."""
    return [str(k), *(format_number(s.params[n]) for n in names), format_number(s.loss), *(format_number(s.grad[n]) for n in names)]


def data_plot(run: Run, words: Words = ENGLISH) -> DataPlot:
    """The data with the hypothesis line (one input), or y and h per datum (several)."""
    fit = run.trace.problem.as_float64()
    state = run.state
    one = fit.X.shape[1] == 1
    # The state's own numbers (a float32 run's as it reports them), as the table shows them.
    b = state.params["b"] if fit.neuron.bias else 0.0
    with np.errstate(all="ignore"):
        hs = fit.neuron.predict(run.trace.params_at(run.step).astype(np.float64), fit.X)
    if one:
        w = state.params[run.names[0]]
        title = words("plot.data", line=_line(w, b if fit.neuron.bias else None))
    else:
        w, title = float("nan"), words("plot.data_many")
    return DataPlot(
        _floats(fit.X[:, 0]) if one else _floats(np.arange(1, len(fit.y) + 1)),
        _floats(fit.y),
        () if one else _floats(hs),
        w,
        b,
        one,
        title,
    )


def curve_plot(run: Run, words: Words = ENGLISH, also: tuple[float, ...] = ()) -> CurvePlot:
    """E along the first parameter with the path, the current point and its tangent (reaching
    the values `also` too: pinned runs' points)."""
    name = run.names[0]
    s = run.state
    ws, Es, path = run.error_curve(also)
    old = run.old_future()
    w, E, slope = s.params[name], s.loss, s.grad[name]
    reveal = run.reveal
    finite = _finite(ws, Es, path, np.array([w, E, slope]))
    if finite and old.size:
        old = old[(old >= ws[0]) & (old <= ws[-1])] if _finite(old) else np.empty(0)
    if reveal in ("curve", "point"):
        title = words(f"plot.{reveal}", name=name) + (words("plot.old") if old.size else "")
    elif old.size:  # the x marks need their key more than the slope its number (the table has it)
        title = words("plot.slope_old", name=name)
    else:
        title = words("plot.slope", name=name, slope=format_number(slope))
    return CurvePlot(_floats(ws), _floats(Es), w, E, slope, _floats(path), _floats(old), reveal, title, finite)


def surface_plot(run: Run, words: Words = ENGLISH) -> SurfacePlot:
    """E over the first two parameters, with the path walked to now."""
    first, second, E, path = run.error_surface()
    a, b = run.names[0], run.names[1]
    return SurfacePlot(
        _floats(first),
        _floats(second),
        tuple(_floats(row) for row in E),
        tuple((float(x), float(y)) for x, y in path),
        (a, b),
        words("plot.surface", a=a, b=b),
        _finite(first, second, E, path),
    )


# -- the graph -----------------------------------------------------------------------------------


def node_value(value: np.ndarray) -> str:
    """A node's value: a number, or for a few data rows the list of them, `[1,2,3]`."""
    array = np.asarray(value)
    if array.size == 1:
        return format_number(float(array.reshape(())))
    if array.size <= 4:
        return "[" + ",".join(format_number(float(v)) for v in array.ravel()) + "]"
    return f"[{array.size} values]"


def graph_part(run: Run, g: Glyphs, composite: bool, words: Words = ENGLISH) -> GraphPart:
    """The graph panel at the cursor: values and gradients as far as the walk has come."""
    passed = run.graph_pass()
    graph = run.trace.problem.graph()
    forward_count = len(passed.forward)
    forward = passed.forward[: min(run.event, forward_count)]
    backward = passed.backward[: max(0, run.event - forward_count)]
    values = {ev.node: node_value(ev.value) for ev in forward}
    grads = {ev.node: node_value(ev.grad) for ev in backward}
    active = backward[-1].node if backward else forward[-1].node if forward else None
    nodes = []
    for node in graph.nodes:
        gate = GATES.get(node.op)
        symbol = (gate.ascii if g.ascii_only else gate.symbol) if gate else ""
        value = values.get(node.name) if gate else node_value(passed.values[node.name])
        nodes.append(GraphNode(node.name, node.op if not gate else "gate", symbol, node.parents, value, grads.get(node.name)))
    lines = _composite(run, passed, grads, values, g) if composite else ()
    local = () if composite else tuple(_local_gradients(passed, backward, g))
    slopes = _three_slopes(run, words) if run.reveal == "slope" else ()
    return GraphPart(
        _where(run, g, words),
        tuple(nodes),
        active,
        lines,
        "" if composite else _chain_rule(passed, backward, g),
        (words("graph.local"), *local) if local else (),
        slopes,
        _walked(passed, tuple(nodes)),
    )


def _three_slopes(run: Run, words: Words) -> tuple[str, ...]:
    """The slope three ways, as lesson 2 named them: `slope:`, `backprop 4`, `= derivative 4`,
    `≈ numerical 4.00001` (a line that wraps goes on at an `=` or `≈`)."""
    three = {how: format_number(value) for how, value in run.slopes().items()}
    backprop = three["backprop"]
    return (
        words("graph.slope"),
        words("graph.by_backprop", slope=backprop),
        ("= " if three["analytic"] == backprop else "≈ ") + words("graph.by_derivative", slope=three["analytic"]),
        ("= " if three["numerical"] == backprop else "≈ ") + words("graph.by_numerical", slope=three["numerical"]),
    )


def _walked(passed: Pass, nodes: tuple[GraphNode, ...]) -> tuple[GraphNode, ...]:
    """`nodes` as the end of this step's walk shows them: every value made, every gradient reached."""
    grads = {ev.node: node_value(ev.grad) for ev in passed.backward}
    return tuple(dataclasses.replace(n, value=node_value(passed.values[n.name]), grad=grads.get(n.name)) for n in nodes)


def _where(run: Run, g: Glyphs, words: Words = ENGLISH) -> str:
    """Where the walk is: the update just made, the pass under way, or what space does next."""
    step, event = run.step, run.event
    forward = run.forward_events
    if event == 0:
        if step == 0:
            return words("graph.start", step=step)
        before = run.state_at(step - 1)
        alpha = run.trace.alpha_at(step - 1)
        now = run.state
        updates = [
            f"{n} = {format_number(before.params[n])} {g.minus} {format_number(alpha)}{g.times}"
            f"{operand(before.grad[n])} = {format_number(now.params[n])}"
            for n in run.names
        ]
        return words("graph.updated", updates="; ".join(updates))
    if event <= forward:
        return words("graph.forward", step=step, event=event, events=forward)
    total = run.events_per_step()
    if event < total:
        return words("graph.backward", step=step, event=event - forward, events=total - forward)
    name = run.names[0]
    return words("graph.update_next", step=step, name=name, minus=g.minus, alpha=g.alpha, times=g.times, slope=g.slope_name(name))


def _local_gradients(passed: Pass, backward: tuple[BackwardEvent, ...], g: Glyphs) -> list[str]:
    """Each local gradient as the slides name it (`∂h/∂w = x = 1`), once backprop reached it."""
    lines = []
    for ev in backward:
        if ev.consumer is None:
            continue
        value = node_value(ev.local)
        text = f"{g.d}{ev.consumer}/{g.d}{ev.node} = {ev.local_formula}"
        if value != ev.local_formula:
            text += f" = {value}"
        lines.append(text)
    return lines


def _chain_rule(passed: Pass, backward: tuple[BackwardEvent, ...], g: Glyphs) -> str:
    """The chain-rule product written out so far, e.g. `∂E/∂w = x · 1 · 2e = 1 · 1 · 4 = 4`."""
    if len(backward) < 2:
        return ""
    last = backward[-1]
    by_node = {ev.node: ev for ev in backward}
    chain = []
    node: str | None = last.node
    while node is not None and node in by_node and by_node[node].consumer is not None:
        chain.append(by_node[node])
        node = by_node[node].consumer
    if not chain:
        return ""
    dot = f" {g.times} "
    formulas = dot.join(ev.local_formula for ev in chain)
    total = node_value(last.grad)
    head = f"{g.slope_name(last.node)} = "
    if np.size(passed.values["e"]) == 1:
        numbers = dot.join(node_value(ev.local) for ev in chain)
        # "∂E/∂e = 2e = 4", not "= 4 = 4": a step that says nothing new is left out.
        parts: list[str] = []
        for part in (formulas, numbers, total):
            if not parts or parts[-1] != part:
                parts.append(part)
        return head + " = ".join(parts)
    if np.ndim(passed.values[last.node]) == 0:  # a parameter sums the rule over the data
        return f"{head}Σᵢ {formulas} = {total}"
    return f"{head}{formulas} = {total}"


def _composite(
    run: Run, passed: Pass, grads: dict[str, str], values: dict[str, str], g: Glyphs
) -> tuple[tuple[str, ...], ...]:
    """The composite gate of the slides: h and e folded into one gate E = (w·x − y)², whose local
    gradient for each parameter is the whole chain at once."""
    graph = run.trace.problem.graph()
    params = [n.name for n in graph.nodes if n.op == "param"]
    data = [n.name for n in graph.nodes if n.op == "data"]
    formula = graph.neuron.formula.removeprefix("h = ").replace("·", g.times)
    gate = f"|{formula} {g.minus} y|" if graph.loss.name == "l1" else f"({formula} {g.minus} y)²"
    inputs = tuple(f"{n}={node_value(passed.values[n])}" for n in params + data)
    out = f"E={values['E']}" if "E" in values else "E"
    lines = [inputs, (f"──[ {gate} ]──", out)]
    outer = "2e" if graph.loss.name == "l2" else "sign(e)"
    inputs_of = dict(zip(graph.neuron.weight_names, graph.neuron.input_names))
    mean = "" if np.size(passed.values["e"]) == 1 else "mean of "
    for p in params:
        if p in grads:
            merged = f"{outer}{g.times}{inputs_of[p]}" if p in inputs_of else outer
            lines.append((f"{g.slope_name(p)} = {mean}{merged} = {grads[p]}",))
    return tuple(lines)
