"""The error computation graph of the lecture, with forward and back propagation as events.

For E = (w·x − y)² the graph is three gates (×, −, ²) and five local gradients:
∂h/∂w = x, ∂h/∂x = w, ∂e/∂h = 1, ∂e/∂y = −1, ∂E/∂e = 2e. A bias adds one plus gate and each
extra input one multiply and one plus gate.

Like micrograd, a gate is a node holding its value and how to get its local gradients; unlike
micrograd nothing is accumulated in place: every pass is a new, immutable record of events, so a
gradient can never be seen before back-propagation reached it, nor add up across two passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .losses import L1, L2, Loss
from .neuron import Neuron

Op = Literal["param", "data", "mul", "add", "sub", "square", "abs"]


def _one(*args: np.ndarray) -> Any:
    """1 in the dtype of the gate's inputs (a local gradient that is a constant)."""
    return np.result_type(*args).type(1)


@dataclass(frozen=True)
class Gate:
    """One kind of gate, as the slides draw it: its symbol, its value and its local gradients.

    `local[i]` is ∂out/∂(input i) written as the slides write it, with `{a}`, `{b}` standing for
    the names of the first and second input; `gradients[i]` computes it from the inputs.
    The two loss gates take the residuals of all the data and give E, their mean.
    """

    op: str
    symbol: str
    """How it is drawn in Unicode."""
    ascii: str
    """How it is drawn with ASCII only."""
    local: tuple[str, ...]
    value: Callable[..., Any]
    gradients: tuple[Callable[..., Any], ...]

    def formula(self, index: int, inputs: tuple[str, ...], data: int = 1) -> str:
        """∂out/∂inputs[index] as the slides write it, e.g. `x`, `-1`, `2e` (`2eᵢ/3` on 3 data)."""
        text = self.local[index].format(**dict(zip("ab", inputs)))
        if data > 1 and self.op in ("square", "abs"):
            text = self.local[index].format(a=inputs[0] + "ᵢ") + f"/{data}"
        return text


GATES: dict[str, Gate] = {
    gate.op: gate
    for gate in (
        Gate("mul", "×", "*", ("{b}", "{a}"), lambda a, b: a * b, (lambda a, b: b, lambda a, b: a)),
        Gate("add", "+", "+", ("1", "1"), lambda a, b: a + b, (_one, _one)),
        Gate("sub", "−", "-", ("1", "-1"), lambda a, b: a - b, (_one, lambda a, b: -_one(a, b))),
        Gate("square", "²", "^2", ("2{a}",), L2.value, (L2.local_gradient,)),
        Gate("abs", "|·|", "abs", ("sign({a})",), L1.value, (L1.local_gradient,)),
    )
}
"""Every gate of the lecture's graphs, by op: what the graph computes and the UI draws."""


@dataclass(frozen=True)
class Node:
    """One node of the graph: an input (`param`, `data`) or the output of a gate."""

    name: str
    op: Op
    parents: tuple[str, ...] = ()

    @property
    def is_gate(self) -> bool:
        """True for the output of a gate, False for an input."""
        return self.op not in ("param", "data")


@dataclass(frozen=True)
class ForwardEvent:
    """A gate computed its output: `node = op(inputs) = value`."""

    node: str
    op: str
    inputs: tuple[str, ...]
    value: np.ndarray


@dataclass(frozen=True)
class BackwardEvent:
    """Back-propagation reached `node`.

    `local` is ∂consumer/∂node (the gate's local gradient, written `local_formula`), and `grad`
    is ∂E/∂node = local · ∂E/∂consumer (summed over the data for a parameter). The seed event
    for E itself has no consumer and grad 1.
    """

    node: str
    consumer: str | None
    local: np.ndarray
    local_formula: str
    grad: np.ndarray


@dataclass(frozen=True)
class Pass:
    """One forward pass and the back-propagation after it, at fixed parameters."""

    values: dict[str, np.ndarray]
    forward: tuple[ForwardEvent, ...]
    backward: tuple[BackwardEvent, ...]

    @property
    def loss(self) -> np.ndarray:
        """E at the end of the forward pass."""
        return self.values["E"]

    def gradient(self, names: tuple[str, ...]) -> np.ndarray:
        """∂E/∂p for each parameter name, as back-propagation found it."""
        grads = {ev.node: ev.grad for ev in self.backward}
        return np.array([grads[n] for n in names])


class Graph:
    """The computation graph E = loss(neuron(x) − y) for one neuron and one loss."""

    def __init__(self, neuron: Neuron, loss: Loss) -> None:
        self.neuron = neuron
        self.loss = loss
        self.nodes: list[Node] = []
        ws, xs = neuron.weight_names, neuron.input_names
        n = neuron.inputs
        for w, x in zip(ws, xs):
            self.nodes += [Node(w, "param"), Node(x, "data")]
        if n == 1:
            last = "h" if not neuron.bias else "wx"
            self.nodes.append(Node(last, "mul", (ws[0], xs[0])))
        else:
            last = ""
            for i, (w, x) in enumerate(zip(ws, xs), start=1):
                product = f"w{i}x{i}"
                self.nodes.append(Node(product, "mul", (w, x)))
                if i == 1:
                    last = product
                    continue
                total = "h" if (i == n and not neuron.bias) else f"s{i}"
                self.nodes.append(Node(total, "add", (last, product)))
                last = total
        if neuron.bias:
            self.nodes += [Node("b", "param"), Node("h", "add", (last, "b"))]
        self.nodes += [
            Node("y", "data"),
            Node("e", "sub", ("h", "y")),
            Node("E", "abs" if loss.name == "l1" else "square", ("e",)),
        ]
        self.by_name = {node.name: node for node in self.nodes}
        self.consumer: dict[str, str] = {}
        for node in self.nodes:
            for parent in node.parents:
                self.consumer[parent] = node.name

    @property
    def gates(self) -> list[Node]:
        """The gates in forward order."""
        return [node for node in self.nodes if node.is_gate]

    def run(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> Pass:
        """Forward-propagate at `params` over data (`X`, `y`), then back-propagate."""
        dtype = X.dtype.type
        values: dict[str, np.ndarray] = {}
        for i, name in enumerate(self.neuron.param_names):
            values[name] = dtype(params[i])
        for j, name in enumerate(self.neuron.input_names):
            values[name] = X[:, j]
        values["y"] = y
        forward = []
        with np.errstate(all="ignore"):
            for node in self.gates:
                args = [values[p] for p in node.parents]
                values[node.name] = self._apply(node.op, args)
                forward.append(ForwardEvent(node.name, node.op, node.parents, values[node.name]))
            backward = self._backward(values)
        return Pass(values, tuple(forward), backward)

    def _apply(self, op: str, args: list[np.ndarray]) -> np.ndarray:
        return GATES[op].value(*args)

    def _local(self, consumer: Node, parent: str, values: dict[str, np.ndarray]) -> tuple[np.ndarray, str]:
        """∂consumer/∂parent and how the slides write it."""
        gate = GATES[consumer.op]
        index = consumer.parents.index(parent)
        args = [values[p] for p in consumer.parents]
        return gate.gradients[index](*args), gate.formula(index, consumer.parents, values["e"].shape[0])

    def _backward(self, values: dict[str, np.ndarray]) -> tuple[BackwardEvent, ...]:
        one = values["e"].dtype.type(1)
        grads: dict[str, np.ndarray] = {"E": one}
        events = [BackwardEvent("E", None, one, "1", one)]
        # Data first, parameters last: each gate's walk then ends on the parameter being learned,
        # and the whole walk ends on ∂E/∂w, where the slides end it.
        rank = {"data": 0, "param": 2}
        for consumer in reversed(self.gates):
            for parent in sorted(consumer.parents, key=lambda p: rank.get(self.by_name[p].op, 1)):
                local, formula = self._local(consumer, parent, values)
                grad = local * grads[consumer.name]
                if self.by_name[parent].op == "param":
                    grad = grad.sum() if np.ndim(grad) else grad
                grads[parent] = grad
                events.append(BackwardEvent(parent, consumer.name, local, formula, grad))
        return tuple(events)
