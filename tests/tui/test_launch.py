"""How `tutor run` reads the terminal it is in: the locale the user set, colour, TERM=dumb."""

from __future__ import annotations

import pytest

from backprop_tutor.tui.launch import wants_ascii, wants_no_colour


@pytest.mark.parametrize(
    ("environ", "coerced", "ascii_only"),
    [
        # LANG=C: Python sets LC_CTYPE=C.UTF-8 itself (PEP 538); the user's C still means ASCII.
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, True, True),
        ({"LC_CTYPE": "C.UTF-8"}, True, True),  # no locale at all
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C.UTF-8"}, True, False),
        ({"LC_CTYPE": "C.UTF-8"}, False, False),  # the user's own C.UTF-8
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, False, True),
        ({"LANG": "ko_KR.UTF-8"}, False, False),
        ({"LANG": "ko_KR.eucKR"}, False, True),
    ],
)
def test_the_locale_the_user_set_decides_ascii(environ, coerced, ascii_only):
    assert wants_ascii(environ, coerced=coerced) is ascii_only


@pytest.mark.parametrize(
    ("flag", "environ", "mono"),
    [(False, {}, False), (True, {}, True), (False, {"NO_COLOR": "1"}, True), (False, {"TERM": "dumb"}, True),
     (False, {"TERM": "xterm"}, False)],
)
def test_colour_is_off_when_asked_or_on_a_dumb_terminal(flag, environ, mono):
    assert wants_no_colour(flag, environ) is mono
