"""The core against plain Python loops and hand-worked values."""

import math

import numpy as np
import pytest

from attention import core


def loop_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d)) v one number at a time, no NumPy maths."""
    d = len(k[0])
    out, weights = [], []
    for i, qi in enumerate(q):
        scores = [
            sum(a * b for a, b in zip(qi, kj, strict=True)) / math.sqrt(d) for kj in k
        ]
        allowed = [mask is None or mask[i][j] for j in range(len(k))]
        if not any(allowed):
            weights.append([0.0] * len(k))
            out.append([0.0] * len(v[0]))
            continue
        top = max(s for s, ok in zip(scores, allowed, strict=True) if ok)
        exps = [
            math.exp(s - top) if ok else 0.0
            for s, ok in zip(scores, allowed, strict=True)
        ]
        row = [x / sum(exps) for x in exps]
        weights.append(row)
        out.append(
            [sum(row[j] * v[j][c] for j in range(len(v))) for c in range(len(v[0]))]
        )
    return np.array(out), np.array(weights)


def test_softmax_hand_worked():
    # exp(0) : exp(ln 2) = 1 : 2
    np.testing.assert_allclose(core.softmax([0.0, math.log(2)]), [1 / 3, 2 / 3])


def test_softmax_large_scores_do_not_overflow():
    w = core.softmax(np.array([[1000.0, 1000.0, 0.0]]))
    np.testing.assert_allclose(w, [[0.5, 0.5, 0.0]], atol=1e-12)


def test_softmax_infinite_score_takes_the_row():
    w = core.softmax(np.array([np.inf, 3.0, np.inf]))
    np.testing.assert_allclose(w, [0.5, 0.0, 0.5])
    assert not np.isnan(w).any()


def test_softmax_temperature_sharpens_and_flattens():
    x = np.array([2.0, 1.0, 0.0])
    sharp, flat = core.softmax(x, temperature=0.5), core.softmax(x, temperature=4.0)
    np.testing.assert_allclose(sharp, core.softmax(2 * x))
    np.testing.assert_allclose(flat, core.softmax(x / 4))
    assert sharp[0] > core.softmax(x)[0] > flat[0]


@pytest.mark.parametrize("t", [0, -1.0, float("nan")])
def test_softmax_rejects_bad_temperature(t):
    with pytest.raises(ValueError, match="temperature must be > 0"):
        core.softmax([1.0, 2.0], temperature=t)


def test_attention_matches_the_loop():
    rng = np.random.default_rng(3)
    q, k, v = rng.normal(size=(4, 5)), rng.normal(size=(6, 5)), rng.normal(size=(6, 3))
    out, weights = core.scaled_dot_product_attention(q, k, v)
    ref_out, ref_weights = loop_attention(q.tolist(), k.tolist(), v.tolist())
    np.testing.assert_allclose(weights, ref_weights, atol=1e-12)
    np.testing.assert_allclose(out, ref_out, atol=1e-12)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def test_attention_keeps_every_step():
    q = np.array([[1.0, 0.0]])
    k = np.array([[2.0, 0.0], [0.0, 2.0]])
    v = np.array([[1.0], [3.0]])
    step = core.attend(q, k, v)
    np.testing.assert_allclose(step.scores, [[2.0, 0.0]])
    np.testing.assert_allclose(step.scaled, [[2 / math.sqrt(2), 0.0]])
    w0 = 1 / (1 + math.exp(-math.sqrt(2)))
    np.testing.assert_allclose(step.weights, [[w0, 1 - w0]])
    np.testing.assert_allclose(step.output, [[w0 * 1 + (1 - w0) * 3]])


def test_mask_and_a_query_with_no_key():
    rng = np.random.default_rng(4)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 2))
    mask = core.causal_mask(3)
    mask[2] = False
    out, weights = core.scaled_dot_product_attention(q, k, v, mask=mask)
    ref_out, ref_weights = loop_attention(q.tolist(), k.tolist(), v.tolist(), mask)
    np.testing.assert_allclose(weights, ref_weights, atol=1e-12)
    np.testing.assert_allclose(out, ref_out, atol=1e-12)
    assert weights[0, 1] == 0 and weights[0, 2] == 0
    assert not np.isnan(out).any() and (weights[2] == 0).all() and (out[2] == 0).all()


def test_shapes_are_checked():
    with pytest.raises(AssertionError, match="one width d_k"):
        core.attend(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 1)))
    with pytest.raises(AssertionError, match="one value per key"):
        core.attend(np.ones((2, 3)), np.ones((2, 3)), np.ones((5, 1)))
    with pytest.raises(AssertionError, match="mask must be"):
        core.attend(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 1)), np.ones((3, 3)))


def test_masks():
    np.testing.assert_array_equal(
        core.causal_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    )
    np.testing.assert_array_equal(core.padding_mask([1, 1, 0]), [[1, 1, 0]] * 3)


def test_heads_split_and_merge_back():
    x = np.arange(24.0).reshape(2, 12)
    heads = core.split_heads(x, 3)
    assert heads.shape == (3, 2, 4)
    np.testing.assert_array_equal(heads[1, 0], x[0, 4:8])
    np.testing.assert_array_equal(core.merge_heads(heads), x)
    with pytest.raises(AssertionError, match="does not divide"):
        core.split_heads(x, 5)


def test_multi_head_is_attention_per_slice():
    rng = np.random.default_rng(5)
    q, k, v = (rng.normal(size=(4, 6)) for _ in range(3))
    out, weights = core.multi_head_attention(q, k, v, n_head=2)
    for h, cols in enumerate([slice(0, 3), slice(3, 6)]):
        ref_out, ref_w = loop_attention(
            q[:, cols].tolist(), k[:, cols].tolist(), v[:, cols].tolist()
        )
        np.testing.assert_allclose(weights[h], ref_w, atol=1e-12)
        np.testing.assert_allclose(out[:, cols], ref_out, atol=1e-12)


def test_projections():
    e = np.array([[1.0, 2.0]])
    w = np.array([[1.0, 0.0], [0.0, -1.0]])
    q, k, v = core.project(e, w, 2 * w, np.eye(2))
    np.testing.assert_array_equal(q, [[1.0, -2.0]])
    np.testing.assert_array_equal(k, [[2.0, -4.0]])
    np.testing.assert_array_equal(v, e)


def test_rnn_influence_matches_finite_differences():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(7, 3))
    w_x, w_h, b = rng.normal(size=(3, 5)), 0.4 * rng.normal(size=(5, 5)), np.zeros(5)
    norms = core.rnn_influence(x, w_x, w_h, b)
    eps = 1e-6
    for t in range(7):
        jac = np.zeros((5, 3))
        for j in range(3):
            up = x.copy()
            up[t, j] += eps
            down = x.copy()
            down[t, j] -= eps
            jac[:, j] = (
                core.rnn(up, w_x, w_h, b)[-1] - core.rnn(down, w_x, w_h, b)[-1]
            ) / (2 * eps)
        assert norms[t] == pytest.approx(np.linalg.norm(jac, 2), rel=1e-5)


def test_rnn_influence_fades_with_distance():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(30, 4))
    w_x, w_h = rng.normal(size=(4, 8)), rng.normal(size=(8, 8))
    w_h *= 0.8 / np.max(np.abs(np.linalg.eigvals(w_h)))
    norms = core.rnn_influence(x, w_x, w_h, np.zeros(8))
    assert norms[0] < 1e-2 * norms[-1]


def test_row_entropy():
    h = core.row_entropy(np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]))
    np.testing.assert_allclose(h, [math.log(2), 0.0])
