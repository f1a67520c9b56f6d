"""The teaching model: a small vocabulary on named axes and one attention head.

Every embedding axis means something a class can name (finance, water, food,
...). Keys and values are the embedding read almost unchanged, so they can be
read on the same axes; the query matrix W_Q is fitted by least squares so that
the head reproduces two example attention tables ("money bank grows" and
"river bank flows") and lets "apple" look for a word that settles its sense.
"""

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from attention import core

AXES = (
    "finance",
    "nature",
    "water",
    "technology",
    "food",
    "movement",
    "growth",
    "grammar",
)

# each word as a few named amounts; every other axis is 0
LEXICON = {
    "money": {"finance": 1.0},
    "cash": {"finance": 0.9},
    "loan": {"finance": 0.9, "growth": 0.2},
    "account": {"finance": 0.8, "technology": 0.2},
    "savings": {"finance": 0.9, "growth": 0.3},
    "interest": {"finance": 0.8, "growth": 0.4},
    "deposit": {"finance": 0.8, "movement": 0.2},
    "market": {"finance": 0.7, "food": 0.3},
    "price": {"finance": 0.8},
    "invest": {"finance": 0.9, "growth": 0.4},
    "pay": {"finance": 0.7, "movement": 0.2},
    "bank": {"finance": 0.6, "nature": 0.3, "water": 0.6},
    "river": {"nature": 0.6, "water": 1.0},
    "water": {"nature": 0.4, "water": 1.0},
    "lake": {"nature": 0.6, "water": 0.9},
    "sea": {"nature": 0.5, "water": 1.0},
    "shore": {"nature": 0.7, "water": 0.6},
    "fish": {"nature": 0.6, "water": 0.7, "food": 0.3},
    "boat": {"water": 0.8, "movement": 0.4},
    "swim": {"water": 0.7, "movement": 0.7},
    "rain": {"nature": 0.5, "water": 0.8},
    "tree": {"nature": 1.0, "growth": 0.3},
    "forest": {"nature": 1.0},
    "grass": {"nature": 0.9, "growth": 0.2},
    "flows": {"water": 0.5, "movement": 1.0},
    "runs": {"movement": 0.9},
    "grows": {"finance": 0.2, "nature": 0.3, "growth": 1.0},
    "apple": {"technology": 0.6, "food": 0.6},
    "phone": {"technology": 1.0},
    "computer": {"technology": 1.0},
    "laptop": {"technology": 0.9},
    "software": {"technology": 0.9},
    "app": {"technology": 0.8},
    "launched": {"technology": 0.5, "finance": 0.2, "movement": 0.4},
    "company": {"technology": 0.4, "finance": 0.6},
    "new": {"technology": 0.3, "growth": 0.2, "grammar": 0.3},
    "banana": {"food": 1.0, "nature": 0.2},
    "orange": {"food": 0.9, "nature": 0.2},
    "fruit": {"food": 0.9, "nature": 0.4},
    "pie": {"food": 1.0},
    "juice": {"food": 0.8, "water": 0.3},
    "bread": {"food": 1.0},
    "ate": {"food": 0.8, "movement": 0.1},
    "eat": {"food": 0.8, "movement": 0.1},
    "sweet": {"food": 0.7},
    "tasty": {"food": 0.8},
    "ripe": {"food": 0.6, "nature": 0.4},
}
FUNCTION_WORDS = (
    "the a an and or of by in on at to is was are with my her his their "
    "our your its this that i she he we they you it for from where while when "
    "as so but not all there here be has have had were"
).split()

MAX_WORDS = 48

# how hard the fit holds to the example tables, the sense rows and the prior
TABLE_WEIGHT = 300.0
SENSE_WEIGHT = 10.0
PRIOR_STRENGTH = 4.0
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# the two example tables the head must reproduce, rows are queries
NOTES_TABLES = {
    "money bank grows": [
        [0.70, 0.20, 0.10],
        [0.25, 0.70, 0.05],
        [0.10, 0.20, 0.70],
    ],
    "river bank flows": [
        [0.80, 0.15, 0.05],
        [0.20, 0.78, 0.02],
        [0.40, 0.01, 0.59],
    ],
}

# "apple" should end up looking most at the word that settles its sense
SENSE_TARGETS = {
    "apple launched a new phone": ("apple", "phone"),
    "she ate a sweet apple pie": ("apple", "pie"),
}


def _vector(amounts):  # {axis: amount} -> [d]
    return np.array([amounts.get(axis, 0.0) for axis in AXES])


@cache
def _table():  # -> {word: [d]}
    table = {word: _vector(amounts) for word, amounts in LEXICON.items()}
    table.update({word: _vector({"grammar": 1.0}) for word in FUNCTION_WORDS})
    for vector in table.values():
        vector.setflags(write=False)
    return table


def vocabulary():
    return sorted(_table())


@dataclass(frozen=True)
class Words:
    """A sentence split into the words the model reads, and what it left out."""

    words: tuple  # as typed, in reading order, repeats kept
    unknown: tuple  # indices of words outside the vocabulary
    ignored: str  # characters that are not words (punctuation, emoji)
    truncated: int  # how many words were cut by MAX_WORDS


def split_words(text, max_words=MAX_WORDS):
    """Words in reading order, matched case-insensitively; the rest reported."""
    found = WORD.findall(text or "")
    ignored = WORD.sub(" ", text or "")
    ignored = "".join(ch for ch in ignored if not ch.isspace())
    kept = found[:max_words]
    table = _table()
    unknown = tuple(i for i, w in enumerate(kept) if w.lower() not in table)
    return Words(tuple(kept), unknown, ignored, len(found) - len(kept))


def embed(words):  # [n words] -> [n, d]
    """Static vectors: one fixed row per word, zeros for unknown words."""
    table = _table()
    zero = np.zeros(len(AXES))
    return np.array([table.get(w.lower(), zero) for w in words]).reshape(
        len(words), len(AXES)
    )


def _key_matrix():  # -> [d, d]
    """Keys offer the word's topics; grammar words offer little."""
    w_k = np.eye(len(AXES))
    w_k[AXES.index("grammar"), AXES.index("grammar")] = 0.2
    return w_k


def _value_matrix():  # -> [d, d]
    """Values carry the word's topics; grammar carries no meaning to share."""
    w_v = np.eye(len(AXES))
    w_v[AXES.index("grammar"), AXES.index("grammar")] = 0.0
    return w_v


def _prior_query_matrix():  # -> [d, d]
    """A readable start: each topic looks for its own topic, grammar for none."""
    w_q = PRIOR_STRENGTH * np.eye(len(AXES))
    w_q[AXES.index("grammar")] = 0.0
    return w_q


def _logit_rows(sentence, rows, w_k):
    """Linear equations on vec(W_Q): centred scores of row i = centred log w_i.

    `rows` maps a query position to its target weights over the sentence.
    """
    e = embed(sentence.split())
    k = e @ w_k
    d = len(AXES)
    design, rhs = [], []
    for i, target in rows.items():
        # score_ij = e_i W_Q k_j / sqrt(d), centred over j to drop the row constant
        a = np.einsum("a,jb->jab", e[i], k).reshape(len(k), d * d) / np.sqrt(d)
        log_w = np.log(np.asarray(target))
        design.append(a - a.mean(axis=0))
        rhs.append(log_w - log_w.mean())
    return np.vstack(design), np.concatenate(rhs)


def _sense_row(sentence, query, key, strength=0.6):
    """`query` gives `strength` to `key` and shares the rest evenly."""
    words = sentence.split()
    row = np.full(len(words), (1 - strength) / (len(words) - 1))
    row[words.index(key)] = strength
    return {words.index(query): row}


@cache
def _fitted_query_matrix():  # -> [d, d]
    """W_Q by ridge least squares toward the readable prior."""
    w_k = _key_matrix()
    d = len(AXES)
    blocks, targets = [], []

    # the two example tables, weighted so they are met almost exactly
    for sentence, table in NOTES_TABLES.items():
        a, b = _logit_rows(sentence, dict(enumerate(table)), w_k)
        blocks.append(TABLE_WEIGHT * a)
        targets.append(TABLE_WEIGHT * b)

    # the rows where "apple" finds the word that settles its sense
    for sentence, (query, key) in SENSE_TARGETS.items():
        a, b = _logit_rows(sentence, _sense_row(sentence, query, key), w_k)
        blocks.append(SENSE_WEIGHT * a)
        targets.append(SENSE_WEIGHT * b)

    # stay close to the prior where the examples say nothing
    blocks.append(np.eye(d * d))
    targets.append(_prior_query_matrix().reshape(-1))

    solution, *_ = np.linalg.lstsq(np.vstack(blocks), np.concatenate(targets))
    return solution.reshape(d, d)


@dataclass(frozen=True)
class TeachingModel:
    axes: tuple
    w_q: np.ndarray  # [d, d] rows: embedding axis, columns: what the query seeks
    w_k: np.ndarray  # [d, d]
    w_v: np.ndarray  # [d, d]

    def run(self, words, temperature=1.0):
        """E -> Q, K, V -> one attention step, every intermediate kept."""
        e = embed(words)
        q, k, v = core.project(e, self.w_q, self.w_k, self.w_v)
        step = core.attend(q, k, v, temperature=temperature)
        return Pass(tuple(words), e, q, k, v, step)


@dataclass(frozen=True)
class Pass:
    words: tuple
    static: np.ndarray  # [n, d] E
    query: np.ndarray  # [n, d] Q = E W_Q
    key: np.ndarray  # [n, d] K = E W_K
    value: np.ndarray  # [n, d] V = E W_V
    step: core.Attention  # scores, scaled, weights, output


@cache
def model():
    matrices = [_fitted_query_matrix(), _key_matrix(), _value_matrix()]
    for m in matrices:
        m.setflags(write=False)
    return TeachingModel(AXES, *matrices)


def contextual(weights, static):  # [n, n], [n, d] -> [n, d]
    """y_i = sum_j w_ij e_j: each word becomes a mix of the sentence's vectors."""
    return np.asarray(weights) @ np.asarray(static)


def clean_weights(edited, preset):  # [n, n] of anything, [n, n] -> [n, n], notes
    """An edited attention table made usable: every row non-negative, summing to 1.

    Blank, non-numeric and negative cells take the preset's value; a row that
    does not sum to 1 is divided by its sum. Each change is reported.
    """
    preset = np.asarray(preset, dtype=float)
    table = pd.DataFrame(edited).apply(pd.to_numeric, errors="coerce")
    table = table.to_numpy(float, copy=True)
    notes = []

    # cells that are not usable numbers fall back to the preset
    bad = ~np.isfinite(table) | (table < 0)
    if bad.any():
        table = np.where(bad, preset, table)
        notes.append(
            f"{int(bad.sum())} blank, negative or non-numeric cell(s) "
            "were given back their preset value."
        )

    # rows must be probabilities; a row whose sum overflows is first divided
    # by its largest entry
    with np.errstate(over="ignore"):
        sums = table.sum(axis=1, keepdims=True)
    huge = ~np.isfinite(sums[:, 0])
    table[huge] /= table[huge].max(axis=1, keepdims=True)
    sums = table.sum(axis=1, keepdims=True)
    empty = sums[:, 0] <= 0
    if empty.any():
        table[empty] = 1.0 / table.shape[1]
        notes.append(f"{int(empty.sum())} row(s) summing to 0 were spread evenly.")
    sums = table.sum(axis=1, keepdims=True)
    if not np.allclose(sums, 1.0, atol=1e-9):
        table = table / sums
        notes.append("Rows not summing to 1 were divided by their sum (renormalised).")
    return table, notes


def small_rnn(d_in, d_hidden=16, radius=0.9, seed=7):
    """A fixed random tanh RNN; `radius` is the spectral radius of W_h."""
    rng = np.random.default_rng(seed)
    w_x = rng.normal(0, 1 / np.sqrt(d_in), (d_in, d_hidden))
    w_h = rng.normal(0, 1, (d_hidden, d_hidden))
    w_h *= radius / np.max(np.abs(np.linalg.eigvals(w_h)))
    b = np.zeros(d_hidden)
    return w_x, w_h, b


# two sentences that give one word two senses, and the axes that show it
PRESETS = {
    "bank": {
        "sentences": ("money bank grows", "river bank flows"),
        "word": "bank",
        "axes": ("finance", "water"),
    },
    "apple": {
        "sentences": ("Apple launched a new phone", "she ate a sweet apple pie"),
        "word": "apple",
        "axes": ("technology", "food"),
    },
}


def example_weights(words):  # [n words] -> [n, n], source
    """The example table when the sentence is one of them, else the model's."""
    table = NOTES_TABLES.get(" ".join(words).lower())
    if table is not None:
        return np.array(table), "the example table"
    return model().run(words).step.weights, "the teaching model"


def follow_candidates(sentences):  # [[words], ...] -> [word]
    """The first sentence's words, those every sentence shares first."""
    first = list(dict.fromkeys(w.lower() for w in sentences[0]))
    shared = set.intersection(*({w.lower() for w in s} for s in sentences))
    known = _table()
    content = [w for w in first if w in known and w not in FUNCTION_WORDS]
    order = [w for w in first if w in shared and w in content]
    return list(dict.fromkeys(order + content + first))


def written_sum(weights, words, vector="e"):  # [n], [n words] -> str
    """'0.25*e_money + 0.70*e_bank + ...' with the live numbers."""
    return " + ".join(
        f"{w:.2f}*{vector}_{word}" for w, word in zip(weights, words, strict=True)
    )
