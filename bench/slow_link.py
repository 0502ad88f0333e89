"""The tutor over a slow link: a relay between the program's pseudo-terminal and the screen that
delivers its output at 56 kbit/s, 256 kbit/s and 1 Mbit/s, against the bare Textual app through the
same relay in the same run.

The relay reads the pty as fast as the program writes (as sshd does, into its channel window and
the TCP send buffer) and delivers to the screen at the link's rate (a token bucket refilled every
5 ms, no saved-up credit): what the program wrote but the terminal has not received yet is the
**queue**. Keys go the other way at once (they are a few bytes). Latency is not modelled, only
bandwidth. Times are to the last byte delivered; a burst is over when the queue is empty and the
program has written nothing for 0.25 s.

At each rate, for the tutor (opened on the first lesson03 page with 50+ updates, via
bench/tutor_page.py) and the bare app:

- `first frame`: bytes and time until the start-up frame has been delivered;
- `step`: one space from rest (median of 3): bytes, key → last byte;
- `held`: 50 spaces at 30/s (a held key): last key → last byte, the largest queue, and the step
  the screen shows at the end (the run's own step is one per key);
- `page`: `n` to the next page (the press that changed the page number): bytes, time (tutor only);
- `resize`: 80×24 → 100×30 (TIOCSWINSZ, so the program gets SIGWINCH): bytes, time.

    python bench/slow_link.py                    # three rates (~2-3 min)
    python bench/slow_link.py --quick            # 56 kbit/s only, 20 held keys (~40 s)
    python bench/slow_link.py --rates 56000 --held 50 --json
    python bench/slow_link.py --quick --colours truecolor,256,16   # the same at three colour depths
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import select
import struct
import sys
import termios
import time

import pty_terminal as pt

TICK = 0.005
RATES = (56_000, 256_000, 1_000_000)


class SlowLink:
    """A pty program's output delivered to its screen at `bits` per second."""

    def __init__(self, app: pt.PtyApp, bits: int) -> None:
        self.app = app
        self.rate = bits / 8
        self.queue = bytearray()
        self.tokens = 0.0
        self.max_queue = 0

    def pump(self, sent: float, quiet: float = 0.25, limit: float = 120.0,
             keys: list[tuple[float, bytes]] | None = None, until=None) -> dict:
        """Relay until the queue is empty and the program quiet for `quiet` s (and `until(screen)`
        holds, if given), sending `keys` (times relative to `sent`) on the way."""
        app, keys = self.app, list(keys or [])
        delivered, written, last_out, last_in = 0, 0, None, time.perf_counter()
        self.max_queue = len(self.queue)
        clock = time.perf_counter()
        ok = until is None
        while True:
            now = time.perf_counter()
            while keys and now - sent >= keys[0][0]:
                os.write(app.fd, keys.pop(0)[1])
                last_in = max(last_in, now)
            self.tokens = min(self.tokens + (now - clock) * self.rate, self.rate * TICK * 2)
            clock = now
            n = min(len(self.queue), int(self.tokens))
            if n:
                chunk = bytes(self.queue[:n])
                del self.queue[:n]
                self.tokens -= n
                delivered += n
                last_out = now
                app.output += chunk
                app.screen.feed(chunk)
                app.answer()  # after the link: the answer says what has arrived
                if not ok and until(app.screen):
                    ok = True
            if not keys and not self.queue and ok and now - max(last_in, last_out or 0) >= quiet:
                break
            if now - sent > limit or not app.alive:
                break
            r, _, _ = select.select([app.fd], [], [], TICK)
            if r:
                try:
                    data = os.read(app.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    app._reap()
                    continue
                self.queue += data
                written += len(data)
                last_in = time.perf_counter()
                self.max_queue = max(self.max_queue, len(self.queue))
        return {"bytes": delivered, "written": written, "last": last_out, "max_queue": self.max_queue,
                "s": None if last_out is None else last_out - sent}


def _resize(app: pt.PtyApp, cols: int, rows: int) -> float:
    t = time.perf_counter()
    fcntl.ioctl(app.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    app.screen = pt.Screen(cols, rows)  # the program repaints the whole screen
    return t


def _one(kind: str, bits: int, page: int, held: int, lesson: str, colours: str = "truecolor") -> dict:
    cmd = pt.bare_command() if kind == "bare" else pt.tutor_page_command(lesson, page)
    ready = pt.bare_drawn if kind == "bare" else pt.keys_bar_drawn
    out: dict = {"app": "bare Textual app" if kind == "bare" else f"tutor {lesson} p{page + 1}", "bits": bits,
                 "colours": colours}
    with pt.PtyApp(cmd, 80, 24, colours=colours) as app:
        link = SlowLink(app, bits)
        first = link.pump(app.started, quiet=0.3, until=ready)
        out["frame_bytes"], out["frame_s"] = first["bytes"], first["s"]
        steps = []
        for _ in range(3):
            time.sleep(0.2)
            steps.append(link.pump(app.send(b" ")))
        steps.sort(key=lambda s: s["s"] or 0)
        out["step_bytes"], out["step_s"] = steps[1]["bytes"], steps[1]["s"]
        step_before = pt.current_step(app.screen) if kind != "bare" else pt.bare_count(app.screen)
        time.sleep(0.2)
        t0 = time.perf_counter()
        period = 1 / 30
        h = link.pump(t0, keys=[(i * period, b" ") for i in range(held)])
        last_key = t0 + (held - 1) * period
        out["held_after_last_key_s"] = None if h["last"] is None else h["last"] - last_key
        out["held_max_queue"], out["held_bytes"] = h["max_queue"], h["bytes"]
        shown = pt.current_step(app.screen) if kind != "bare" else pt.bare_count(app.screen)
        out["held_steps_shown"] = None if shown is None or step_before is None else shown - step_before
        if kind != "bare":
            before = pt.page_number(app.screen)
            for _ in range(3):  # a page with a question first warns once: measure the press that moved
                time.sleep(0.2)
                p = link.pump(app.send(b"n"))
                if pt.page_number(app.screen) != before:
                    break
            out["page_bytes"], out["page_s"] = p["bytes"], p["s"]
            out["page_changed"] = pt.page_number(app.screen) != before
        time.sleep(0.2)
        r = link.pump(_resize(app, 100, 30), quiet=0.4)
        out["resize_bytes"], out["resize_s"] = r["bytes"], r["s"]
    return out


def measure(rates: tuple[int, ...] = RATES, held: int = 50, lesson: str = "lesson03",
            colours: tuple[str, ...] = ("truecolor",)) -> dict:
    """Bare app and tutor at each rate (and colour depth), one after the other."""
    page = pt.first_experiment_page(pt.lesson_pages(lesson), min_steps=held + 5).index
    rows = []
    for bits, depth in ((b, c) for b in rates for c in colours):
        bare = _one("bare", bits, page, held, lesson, depth)
        tutor = _one("tutor", bits, page, held, lesson, depth)
        for f in ("frame_bytes", "frame_s", "step_bytes", "step_s", "held_after_last_key_s", "held_max_queue",
                  "resize_bytes", "resize_s"):
            tutor[f"ratio_{f}"] = tutor[f] / bare[f] if tutor.get(f) and bare.get(f) else None
        rows += [bare, tutor]
    slowest = [r for r in rows if r["bits"] == min(rates) and not r["app"].startswith("bare")][0]  # first depth
    return {"bench": "slow_link", "lesson": lesson, "page": page + 1, "held": held, "rows": rows,
            "summary": {"bits": slowest["bits"], "held_after_last_key_s": slowest["held_after_last_key_s"],
                        "held_max_queue": slowest["held_max_queue"], "step_bytes": slowest["step_bytes"],
                        "step_s": slowest["step_s"], "page_bytes": slowest.get("page_bytes"),
                        "page_s": slowest.get("page_s"), "resize_bytes": slowest["resize_bytes"],
                        "resize_s": slowest["resize_s"]}}


def _rate(bits: int) -> str:
    return f"{bits / 1e6:g} Mbit/s" if bits >= 1_000_000 else f"{bits / 1000:g} kbit/s"


def report(r: dict) -> str:
    """The result as plain-text tables."""
    rows = []
    for x in r["rows"]:
        rows.append([_rate(x["bits"]), x.get("colours", "truecolor"), x["app"], x["frame_bytes"], x["frame_s"],
                     x["step_bytes"], x["step_s"],
                     x["held_after_last_key_s"], x["held_max_queue"], x["held_steps_shown"],
                     x.get("page_bytes"), x.get("page_s"), x["resize_bytes"], x["resize_s"]])
    ratios = [[_rate(x["bits"]), x.get("colours", "truecolor"), x["app"], x["ratio_frame_bytes"],
               x["ratio_step_bytes"], x["ratio_step_s"],
               x["ratio_held_after_last_key_s"], x["ratio_held_max_queue"], x["ratio_resize_bytes"], x["ratio_resize_s"]]
              for x in r["rows"] if "ratio_step_s" in x]
    return "\n".join([
        f"slow link (output rate-limited; 80x24 -> 100x30; tutor on {r['lesson']} page {r['page']}; "
        f"held = {r['held']} spaces at 30/s)",
        pt.table(rows, ["link", "colours", "app", "frame B", "frame s", "step B", "step s", "held: after last key s",
                        "max queue B", "steps shown", "page B", "page s", "resize B", "resize s"]),
        "",
        "tutor ÷ bare app, same link",
        pt.table(ratios, ["link", "colours", "app", "frame B", "step B", "step s", "held after last key", "max queue",
                          "resize B", "resize s"]),
    ])


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rates", default=",".join(map(str, RATES)), help="bit/s, comma-separated")
    p.add_argument("--held", type=int, default=50, help="spaces held at 30/s")
    p.add_argument("--lesson", default="lesson03")
    p.add_argument("--quick", action="store_true", help="56 kbit/s only, 20 held spaces")
    p.add_argument("--colours", default="truecolor", help="colour depths, comma-separated: truecolor,256,16")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    rates = tuple(int(x) for x in args.rates.split(","))
    if args.quick:
        rates, args.held = (56_000,), 20
    result = measure(rates, args.held, args.lesson, tuple(args.colours.split(",")))
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
