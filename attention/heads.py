"""What one attention head does, read from its weights alone.

Every function takes weights whose rows are queries and columns keys, each row
summing to 1, as `attention.minilm` returns them ([n_layer, n_head, n, n] or
any slice of that ending in [n, n]).
"""

import numpy as np

# a pattern names a head once it holds this share of an average row
MAIN_SHARE = 0.4


def hide_tokens(weights, keep):  # [..., n, n], [n] bool -> [..., m, m]
    """Drop the rows and columns not kept, then rescale each row to sum to 1.

    A row whose kept weights are all zero stays zero rather than dividing by 0.
    """
    keep = np.asarray(keep, dtype=bool)
    w = np.asarray(weights)
    assert w.shape[-1] == w.shape[-2] == keep.shape[0], (
        f"weights {w.shape} do not match {keep.shape[0]} tokens"
    )

    # keep the chosen queries and keys
    w = w[..., keep, :][..., keep]

    # renormalise every row over what is left
    sums = w.sum(axis=-1, keepdims=True)
    return np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)


def layer_average(weights):  # [n_head, n, n] -> [n, n]
    """The mean over a layer's heads; rows still sum to 1."""
    return np.asarray(weights).mean(axis=0)


def strongest_links(weights, k):  # [n_q, n_k], k -> [n_q, n_k]
    """Each query's k largest weights kept as they are, every other set to 0."""
    w = np.asarray(weights)
    if k >= w.shape[-1]:
        return w.copy()

    # the positions of each row's k largest weights
    order = np.argsort(-w, axis=-1, kind="stable")[..., :k]
    kept = np.zeros(w.shape, dtype=bool)
    np.put_along_axis(kept, order, True, axis=-1)
    return np.where(kept, w, 0.0)


def pattern_shares(weights, cls=(), sep=()):  # [n, n], positions -> dict
    """How much of an average query's weight goes where a head typically looks.

    `cls` and `sep` are the positions of [CLS] and [SEP]; leave them empty
    when those tokens are not among the keys.
    """
    w = np.asarray(weights, dtype=float)
    n = w.shape[0]
    shares = {"itself": float(np.mean(np.diag(w)))}

    # one step along the sentence, for the queries that have such a neighbour
    if n > 1:
        shares["the next token"] = float(np.mean(np.diag(w, k=1)))
        shares["the previous token"] = float(np.mean(np.diag(w, k=-1)))

    # the special tokens, summed over their columns
    for name, positions in (("[SEP]", sep), ("[CLS]", cls)):
        if len(positions):
            shares[name] = float(np.mean(w[:, list(positions)].sum(axis=1)))
    return shares


def main_pattern(weights, cls=(), sep=()):  # [n, n], positions -> (str, float)
    """The pattern with the largest share, or ("broad", share) if none is large."""
    shares = pattern_shares(weights, cls, sep)
    name = max(shares, key=shares.get)
    if shares[name] < MAIN_SHARE:
        return "broad", shares[name]
    return name, shares[name]


def describe_head(weights, cls=(), sep=()):  # [n, n], positions -> str
    """A sentence a student can read: what this head mostly attends to."""
    name, share = main_pattern(weights, cls, sep)
    if name == "broad":
        return (
            "Spreads its attention broadly: on average no single pattern "
            f"(itself, a neighbour, [CLS] or [SEP]) gets more than {share:.0%} "
            "of a query's weight."
        )
    return (
        f"Mostly attends to {name}: on average {share:.0%} of each query's "
        "weight goes there."
    )
