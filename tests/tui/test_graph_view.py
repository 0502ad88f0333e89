"""The graph drawing, from a frame's graph part: the layout follows the slides and the width."""

from __future__ import annotations

from backprop_tutor.frame import GraphNode, GraphPart
from backprop_tutor.tui.graph_view import graph_diagram


def part(values: dict[str, str], grads: dict[str, str], active: str | None = None) -> GraphPart:
    nodes = (
        GraphNode("w", "param", "", (), values.get("w", "3"), grads.get("w")),
        GraphNode("x", "data", "", (), values.get("x", "1"), grads.get("x")),
        GraphNode("h", "gate", "×", ("w", "x"), values.get("h"), grads.get("h")),
        GraphNode("y", "data", "", (), values.get("y", "1"), grads.get("y")),
        GraphNode("e", "gate", "−", ("h", "y"), values.get("e"), grads.get("e")),
        GraphNode("E", "gate", "²", ("e",), values.get("E"), grads.get("E")),
    )
    return GraphPart("step 0", nodes, active, (), "", "", "")


def test_values_show_once_made_and_gradients_once_reached():
    before = graph_diagram(part({}, {}), 80).plain
    assert "w=3" in before and "h=" not in before and "∂E/∂" not in before
    after = graph_diagram(part({"h": "3", "e": "2", "E": "4"}, {"E": "1", "e": "4"}), 80).plain
    assert "─(×)─ h=3" in after and "e=2" in after and "E=4" in after
    assert "∂E/∂e=4" in after and "∂E/∂h" not in after


def test_a_narrow_panel_wraps_into_bands_that_fit():
    full = part({"h": "3", "e": "2", "E": "4"}, {"E": "1", "e": "4", "h": "4", "w": "4"})
    wide = graph_diagram(full, 120).plain.splitlines()
    narrow = graph_diagram(full, 24).plain.splitlines()
    assert len(narrow) > len(wide)
    assert all(len(line) <= 24 for line in narrow), narrow


def test_ascii_wires():
    text = graph_diagram(part({"h": "3"}, {}), 80, ascii_only=True).plain
    assert "-(" in text and ")-" in text and "─" not in text and "┘" not in text


def test_a_graph_too_wide_for_one_band_is_a_table_of_gates():
    from backprop_tutor.tui.graph_view import diagram_width, gate_table

    full = part({"h": "2.6", "e": "1.6", "E": "2.56"}, {"E": "1", "e": "3.2", "h": "3.2", "w": "3.2"}, active="h")
    assert diagram_width(full) > 30
    rows = gate_table(full, 30).plain.splitlines()
    assert rows[0] == "data: x=1  y=1"
    assert [r.split(" = ")[0].strip() for r in rows[1:] if not r.startswith(" ")] == ["h", "e", "E", "w"]
    assert all(len(r) <= 30 for r in rows), rows
    assert "h = w × x = 2.6" in rows[1]
