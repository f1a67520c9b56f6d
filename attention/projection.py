"""One word's vectors across sentences, and two ways to compare them.

PCA flattens vectors to 2D for a plot; cosine similarity compares them in
their full width. Pure NumPy.
"""

import numpy as np

# the polysemy lab's examples: one word, two senses, four sentences each
SENSE_PRESETS = {
    "bank": {
        "word": "bank",
        "sentences": [
            ("She deposited her salary at the bank.", "money"),
            ("The bank approved the loan on Monday.", "money"),
            ("He works as a teller in a small bank.", "money"),
            ("The bank raised its interest rates again.", "money"),
            ("They had a picnic on the river bank.", "river"),
            ("The boat drifted toward the muddy bank.", "river"),
            ("Reeds grow thick along the bank of the stream.", "river"),
            ("We sat on the grassy bank and watched the water.", "river"),
        ],
    },
    "apple": {
        "word": "apple",
        "sentences": [
            ("Apple launched a new phone.", "company"),
            ("Apple reported record profits this quarter.", "company"),
            ("She got a job as an engineer at Apple.", "company"),
            ("Apple released an update for its laptops.", "company"),
            ("She ate a crisp red apple.", "fruit"),
            ("He baked an apple pie for dessert.", "fruit"),
            ("An apple fell from the tree in the orchard.", "fruit"),
            ("Slice the apple and add it to the salad.", "fruit"),
        ],
    },
}


def pca_2d(x):  # [n, d] -> [n, 2], [2]
    """The points on their two main axes, and the share of variance each holds.

    The axes are the top right singular vectors of the centred points. Each
    axis is turned so its largest loading is positive, so the picture does not
    flip between runs. Fewer than three distinct points leave the missing
    axes at zero.
    """
    x = np.asarray(x, dtype=float)
    centred = x - x.mean(axis=0)

    # singular vectors of the centred points are the covariance's eigenvectors
    _, s, vt = np.linalg.svd(centred, full_matrices=False)  # [r], [r, d]
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    vt = vt * np.where(signs == 0, 1.0, signs)[:, None]

    # project, and pad to two axes when there are fewer
    points = np.zeros((x.shape[0], 2))
    explained = np.zeros(2)
    m = min(2, len(s))
    points[:, :m] = centred @ vt[:m].T
    total = float(np.sum(s**2))
    if total > 0:
        explained[:m] = s[:m] ** 2 / total
    return points, explained


def cosine_similarity(x):  # [n, d] -> [n, n]
    """cos(a, b) = a . b / (|a| |b|) for every pair; a zero vector gives 0."""
    x = np.asarray(x, dtype=float)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def within_across(similarity, senses):  # [n, n], [n] -> (float, float)
    """Mean similarity of distinct pairs with the same sense, and across senses.

    NaN where there is no such pair (one occurrence per sense, or one sense).
    """
    s = np.asarray(similarity, dtype=float)
    senses = np.asarray(senses, dtype=object)
    same = senses[:, None] == senses[None, :]
    pairs = ~np.eye(len(senses), dtype=bool)
    within, across = s[same & pairs], s[~same & pairs]
    return (
        float(within.mean()) if within.size else float("nan"),
        float(across.mean()) if across.size else float("nan"),
    )


def find_word(tokens, word_ids, pieces):  # [n] str, [n] int | None, [m] str -> list
    """The token positions of every whole-word occurrence of `pieces`.

    A word is the run of tokens sharing a word id; it matches when its pieces
    are exactly `pieces`, so "bank" is found in "River bank" but not in "banks".
    """
    pieces = list(pieces)
    occurrences, start = [], 0
    for end in range(1, len(tokens) + 1):
        if end < len(tokens) and word_ids[end] == word_ids[start]:
            continue

        # tokens[start:end] is one word, or one special token
        if word_ids[start] is not None and list(tokens[start:end]) == pieces:
            occurrences.append(list(range(start, end)))
        start = end
    return occurrences


def occurrence_vectors(vectors, occurrences):  # [n, d], k lists -> [k, d]
    """One vector per occurrence: the mean over its pieces' rows."""
    vectors = np.asarray(vectors)
    return np.stack([vectors[rows].mean(axis=0) for rows in occurrences])
