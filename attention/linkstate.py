"""Reading settings from a link: each parser returns a value or raises ValueError.

The message of the ValueError is shown to the person who opened the link, so it
says in plain words what was wrong.
"""

import json
import math
import re

MAX_TEXT = 600  # characters of a sentence taken from a link

# digits 0-9 only, as a link would write them: no other scripts' digits
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
WHOLE_NUMBER = re.compile(r"[+-]?\d+(\.0*)?", re.ASCII)

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def as_text(raw):
    text = str(raw)
    if len(text) > MAX_TEXT:
        raise ValueError(f"longer than {MAX_TEXT} characters")
    return text


def as_flag(raw):
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{raw!r} is not on/off (use 1 or 0)")


def flag_text(value):
    return "1" if value else "0"


def as_number(low, high, integer=False):
    """A parser for a number in [low, high]; whole numbers only if `integer`."""

    def parse(raw):
        if not PLAIN_NUMBER.fullmatch(str(raw).strip()):
            raise ValueError(f"{raw!r} is not a number")
        value = float(str(raw).strip())
        if not math.isfinite(value):
            raise ValueError(f"{raw!r} is not a finite number")
        if integer and not WHOLE_NUMBER.fullmatch(str(raw).strip()):
            raise ValueError(f"{raw!r} is not a whole number")
        if not low <= value <= high:
            raise ValueError(f"{raw!r} is outside {low} to {high}")
        return int(value) if integer else value

    return parse


def as_choice(options):
    """A parser that accepts one of `options`, written as in the link."""
    by_text = {str(o): o for o in options}

    def parse(raw):
        if str(raw) not in by_text:
            shown = ", ".join(list(by_text)[:8])
            raise ValueError(f"{raw!r} is not one of {shown}")
        return by_text[str(raw)]

    return parse


def as_weights(raw, n):
    """An n x n table written "0.7,0.2,0.1;0.25,...": rows by ';', cells by ','."""
    rows = [row.split(",") for row in str(raw).split(";")]
    if len(rows) != n or any(len(row) != n for row in rows):
        raise ValueError(f"the table is not {n} x {n}, one row and column per word")
    try:
        table = [[float(cell) for cell in row] for row in rows]
    except ValueError:
        raise ValueError("the table holds something that is not a number") from None
    if not all(math.isfinite(x) and x >= 0 for row in table for x in row):
        raise ValueError("the table holds a negative or infinite number")
    return table


def weights_text(table):
    return ";".join(",".join(f"{x:.4g}" for x in row) for row in table)


MAX_ROWS_TEXT = 4000  # characters of a sentence table taken from a link
MAX_ROWS = 40


def as_rows(raw):
    """A table of [sentence, sense] rows, written as JSON in the link."""
    if len(str(raw)) > MAX_ROWS_TEXT:
        raise ValueError(f"the table is longer than {MAX_ROWS_TEXT} characters")
    try:
        rows = json.loads(str(raw))
    except ValueError:
        raise ValueError("the table cannot be read") from None
    fits = isinstance(rows, list) and len(rows) <= MAX_ROWS
    fits = fits and all(
        isinstance(row, list) and len(row) == 2 and all(isinstance(c, str) for c in row)
        for row in rows
    )
    if not fits:
        raise ValueError(f"the table is not up to {MAX_ROWS} rows of sentence, sense")
    return rows


def rows_text(rows):
    return json.dumps([[str(a), str(b)] for a, b in rows], ensure_ascii=False)
