"""Time each page's first run and its rerun after one widget change.

    .venv/bin/python bench/bench_rerun.py [--runs N]

Every file under lessons/ runs in Streamlit's AppTest, on its own when it needs
nothing from the router, else through streamlit_app.py. The widget changed is
the first slider, else the first text input, else the first selectbox. Each
figure is the median of N fresh runs, in milliseconds. The table goes to
stdout; Streamlit's own log lines (bare-mode warnings, script errors) go to
stderr: add `2>/dev/null` to hide them.

NOTE: AppTest runs the script in this process, with no server, websocket or
browser, so these figures are a proxy for what a person waits for: they show
the script's own cost and how it changes, not the time to the screen.
Streamlit's caches stay warm from one run to the next in this process, as on
a server that has shown the page before.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ROUTER = ROOT / "streamlit_app.py"
PAGE_FILES = sorted((ROOT / "lessons").glob("*.py"))
TIMEOUT = 120  # seconds; the real model's first load is slow


def ms_since(start):
    return (time.perf_counter() - start) * 1000


def first_run(page):
    """A fresh AppTest of the page after one run, and how long the run took."""
    app = AppTest.from_file(str(page), default_timeout=TIMEOUT)
    start = time.perf_counter()
    app.run()
    elapsed = ms_since(start)
    if not app.exception:
        return app, elapsed, "alone"

    # the page needs what the router sets up: open it through the router
    app = AppTest.from_file(str(ROUTER), default_timeout=TIMEOUT)
    app.switch_page(str(page.relative_to(ROOT)))
    start = time.perf_counter()
    app.run()
    return app, ms_since(start), "via router"


def other_value(widget, choices):
    """A value for the widget that differs from its current one."""
    return next(value for value in choices if value != widget.value)


def change_a_widget(app):
    """Change the first slider, text input or selectbox; say which, or None."""
    if app.slider:
        slider = app.slider[0]
        if isinstance(slider.value, tuple):
            ends = [(slider.min, slider.max), (slider.min, slider.min)]
            slider.set_value(other_value(slider, ends))
        else:
            slider.set_value(other_value(slider, [slider.max, slider.min]))
        return f"slider '{slider.label}'"
    if app.text_input:
        box = app.text_input[0]
        box.input(f"{box.value or ''} again".strip())
        return f"text input '{box.label}'"
    if app.selectbox and len(app.selectbox[0].options) > 1:
        box = app.selectbox[0]
        box.select(other_value(box, box.options))
        return f"selectbox '{box.label}'"
    return None


def bench_page(page, runs):
    firsts, reruns = [], []
    for _ in range(runs):
        app, elapsed, how = first_run(page)
        if app.exception:
            return [page.stem, "error", "-", app.exception[0].message[:60]]
        firsts.append(elapsed)

        changed = change_a_widget(app)
        if changed is None:
            continue
        start = time.perf_counter()
        app.run()
        reruns.append(ms_since(start))
        if app.exception:
            return [page.stem, "-", "error", app.exception[0].message[:60]]

    first = f"{statistics.median(firsts):.0f}"
    rerun = f"{statistics.median(reruns):.0f}" if reruns else "-"
    return [page.stem, first, rerun, f"{changed or 'no widget'} ({how})"]


def print_table(header, rows):
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per page (7)")
    args = parser.parse_args()

    # pages import the attention package and read files relative to the root
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    rows = [bench_page(page, args.runs) for page in PAGE_FILES]
    header = ["page", "first run ms", "rerun after change ms", "changed"]
    print(f"median of {args.runs} runs, AppTest (a proxy for the real server)")
    print_table(header, rows)


if __name__ == "__main__":
    main()
