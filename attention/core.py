"""The NumPy core: softmax, scaled dot-product attention, masks, heads, an RNN.

Pure NumPy. Every lesson and both models call these functions, so the numbers a
page shows are the numbers these functions return.
"""

from dataclasses import dataclass

import numpy as np


def softmax(x, axis=-1, temperature=1.0):  # [..., n] -> [..., n]
    """exp(x / T) / sum(exp(x / T)), stable for large and infinite scores."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    x = np.asarray(x)
    if temperature != 1.0:
        x = x / temperature

    # a +inf score takes the whole row, shared among the +inf entries
    if np.isposinf(x).any():
        infinite = np.isposinf(x)
        has_inf = np.any(infinite, axis=axis, keepdims=True)
        x = np.where(has_inf, np.where(infinite, 0.0, -np.inf), x)

    # subtract the row maximum so exp never overflows
    peak = np.max(x, axis=axis, keepdims=True)
    z = np.exp(x - np.where(np.isfinite(peak), peak, 0))

    # a row with no finite score (fully masked) stays all zeros
    total = np.sum(z, axis=axis, keepdims=True)
    return np.divide(z, total, out=np.zeros_like(z), where=total > 0)


@dataclass(frozen=True)
class Attention:
    """Every intermediate of one attention step, so a lesson never recomputes."""

    scores: np.ndarray  # [n_q, n_k] raw q . k
    scaled: np.ndarray  # [n_q, n_k] q . k / sqrt(d_k)
    weights: np.ndarray  # [n_q, n_k] softmax rows, masked entries 0
    output: np.ndarray  # [n_q, d_v] weights @ v


def attend(q, k, v, mask=None, temperature=1.0):
    """softmax(Q K^T / sqrt(d_k), temperature) V with every step kept.

    `mask` is boolean [n_q, n_k], True where a query may look at a key. A query
    with no allowed key gets a row of zero weights and a zero output.
    """
    q, k, v = np.asarray(q), np.asarray(k), np.asarray(v)
    assert q.ndim == k.ndim == v.ndim == 2, "q, k, v must be 2-D [n, d]"
    assert q.shape[1] == k.shape[1], (
        f"queries and keys need one width d_k, got {q.shape[1]} and {k.shape[1]}"
    )
    assert k.shape[0] == v.shape[0], (
        f"one value per key, got {k.shape[0]} keys and {v.shape[0]} values"
    )

    # similarity of every query with every key
    scores = q @ k.T  # [n_q, n_k]

    # scale so the spread does not grow with d_k
    scaled = scores / np.sqrt(k.shape[1])  # [n_q, n_k]

    # masked entries can never win the softmax
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        assert mask.shape == scaled.shape, (
            f"mask must be {scaled.shape} (queries x keys), got {mask.shape}"
        )
        scaled = np.where(mask, scaled, -np.inf)

    # one probability row per query
    weights = softmax(scaled, axis=-1, temperature=temperature)  # [n_q, n_k]

    # gather the values
    output = weights @ v  # [n_q, d_v]

    return Attention(scores, scaled, weights, output)


def scaled_dot_product_attention(q, k, v, mask=None, temperature=1.0):
    """softmax(Q K^T / sqrt(d_k)) V; returns (output, weights)."""
    step = attend(q, k, v, mask=mask, temperature=temperature)
    return step.output, step.weights


def project(e, w_q, w_k, w_v):  # [n, d], [d, d_k], [d, d_k], [d, d_v] -> 3 arrays
    """Q = E W_Q, K = E W_K, V = E W_V."""
    return e @ w_q, e @ w_k, e @ w_v


def causal_mask(n):  # n -> [n, n]
    """True on and below the diagonal: each word sees itself and earlier words."""
    return np.tril(np.ones((n, n), dtype=bool))


def padding_mask(is_real):  # [n] -> [n, n]
    """True where the key is a real token, for every query."""
    is_real = np.asarray(is_real, dtype=bool)
    return np.broadcast_to(is_real, (is_real.size, is_real.size)).copy()


def split_heads(x, n_head):  # [n, d] -> [n_head, n, d / n_head]
    n, d = x.shape
    assert d % n_head == 0, f"width {d} does not divide into {n_head} heads"
    return x.reshape(n, n_head, d // n_head).transpose(1, 0, 2)


def merge_heads(x):  # [n_head, n, d_head] -> [n, n_head * d_head]
    n_head, n, d_head = x.shape
    return x.transpose(1, 0, 2).reshape(n, n_head * d_head)


def multi_head_attention(q, k, v, n_head, mask=None):
    """Attention in each head on its slice of the width, heads side by side.

    [n, d], [n, d], [n, d] -> ([n, d], [n_head, n, n])
    """
    # split into heads
    q, k, v = (split_heads(x, n_head) for x in (q, k, v))

    # scores and weights for every head at once
    scaled = q @ k.transpose(0, 2, 1) / q.dtype.type(np.sqrt(q.shape[-1]))
    if mask is not None:
        scaled = np.where(mask, scaled, -np.inf)
    weights = softmax(scaled, axis=-1)  # [n_head, n, n]

    # merge heads
    return merge_heads(weights @ v), weights


def rnn(x, w_x, w_h, b):  # [n, d_in], [d_in, d_h], [d_h, d_h], [d_h] -> [n, d_h]
    """h_t = tanh(x_t W_x + h_{t-1} W_h + b), one step after another."""
    h = np.zeros(w_h.shape[0])
    states = []
    for x_t in x:
        h = np.tanh(x_t @ w_x + h @ w_h + b)
        states.append(h)
    return np.array(states)


def rnn_influence(x, w_x, w_h, b):  # [n, d_in], ... -> [n]
    """||d h_last / d x_t|| (spectral norm) for every input position t.

    d h_T / d x_t = D_T W_h^T D_{T-1} ... W_h^T D_t W_x^T, D_s = diag(1 - h_s^2).
    """
    h = rnn(x, w_x, w_h, b)
    n = len(x)

    # walk back from the last state, carrying d h_T / d h_t
    grad = np.eye(w_h.shape[0])  # [d_h, d_h]
    norms = np.zeros(n)
    for t in range(n - 1, -1, -1):
        local = grad * (1 - h[t] ** 2)  # d h_T / d (pre-activation at t)
        norms[t] = np.linalg.norm(local @ w_x.T, ord=2)
        grad = local @ w_h.T

    return norms


def row_entropy(weights):  # [n_q, n_k] -> [n_q]
    """-sum_j w_j log w_j in nats; exp of it is the effective number of words."""
    w = np.asarray(weights)
    logs = np.log(w, out=np.zeros_like(w, dtype=float), where=w > 0)
    return -np.sum(w * logs, axis=-1)
