"""PCA and cosine similarity against plain computations, and the real model."""

import numpy as np
import pytest

from attention import minilm, model_files, projection


def test_pca_matches_the_covariance_eigenvectors():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20, 6)) @ rng.normal(size=(6, 6))

    points, explained = projection.pca_2d(x)

    # independent: eigendecomposition of the covariance matrix
    centred = x - x.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    expected = centred @ vectors[:, :2]

    # each axis may point either way
    for axis in range(2):
        sign = np.sign(points[:, axis] @ expected[:, axis])
        np.testing.assert_allclose(points[:, axis], sign * expected[:, axis])
    np.testing.assert_allclose(explained, values[:2] / values.sum())


def test_explained_variance_of_points_on_a_plane_sums_to_one():
    rng = np.random.default_rng(2)
    plane = rng.normal(size=(2, 5))
    x = rng.normal(size=(12, 2)) @ plane + 3.0

    _, explained = projection.pca_2d(x)

    assert explained.sum() == pytest.approx(1.0)
    assert explained[0] >= explained[1] > 0


def test_pca_of_two_points_or_one():
    points, explained = projection.pca_2d([[0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(np.abs(points[:, 0]), [2.5, 2.5])
    np.testing.assert_allclose(points[:, 1], 0.0, atol=1e-12)
    np.testing.assert_allclose(explained, [1.0, 0.0], atol=1e-12)

    points, explained = projection.pca_2d([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(points, [[0.0, 0.0]])
    np.testing.assert_array_equal(explained, [0.0, 0.0])


def test_pca_picture_does_not_flip():
    x = np.array([[0.0, 0.0], [1.0, 0.1], [2.0, -0.1], [3.0, 0.0]])
    first, _ = projection.pca_2d(x)
    second, _ = projection.pca_2d(x[::-1])
    np.testing.assert_allclose(first, second[::-1])


def test_cosine_similarity_against_a_plain_loop():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(7, 10))
    x[4] = 0.0

    similarity = projection.cosine_similarity(x)

    for i in range(7):
        for j in range(7):
            a, b = x[i], x[j]
            norm = np.sqrt(a @ a) * np.sqrt(b @ b)
            expected = 0.0 if norm == 0 else (a @ b) / norm
            assert similarity[i, j] == pytest.approx(expected)


def test_within_and_across_sense_means():
    s = np.array(
        [
            [1.0, 0.9, 0.2, 0.1],
            [0.9, 1.0, 0.3, 0.0],
            [0.2, 0.3, 1.0, 0.7],
            [0.1, 0.0, 0.7, 1.0],
        ]
    )
    within, across = projection.within_across(s, ["a", "a", "b", "b"])
    assert within == pytest.approx((0.9 + 0.7) / 2)
    assert across == pytest.approx((0.2 + 0.1 + 0.3 + 0.0) / 4)

    within, across = projection.within_across(s[:2, :2], ["a", "a"])
    assert within == pytest.approx(0.9)
    assert np.isnan(across)


def test_find_word_matches_whole_words_only():
    tokens = ["[CLS]", "bank", "banks", "river", "bank", "play", "##s", "[SEP]"]
    word_ids = [None, 0, 1, 2, 3, 4, 4, None]

    assert projection.find_word(tokens, word_ids, ["bank"]) == [[1], [4]]
    assert projection.find_word(tokens, word_ids, ["play", "##s"]) == [[5, 6]]
    assert projection.find_word(tokens, word_ids, ["play"]) == []
    assert projection.find_word(tokens, word_ids, ["[SEP]"]) == []


def test_occurrence_vectors_average_the_pieces():
    vectors = np.arange(12.0).reshape(4, 3)
    np.testing.assert_allclose(
        projection.occurrence_vectors(vectors, [[0], [1, 3]]),
        [[0.0, 1.0, 2.0], [6.0, 7.0, 8.0]],
    )


@pytest.fixture(scope="module")
def encoder():
    try:
        return minilm.load()
    except (model_files.ModelUnavailable, model_files.ModelDamaged) as error:
        pytest.skip(f"the real model is not available: {error}")


@pytest.mark.parametrize("name", sorted(projection.SENSE_PRESETS))
def test_same_sense_is_closer_at_the_last_layer(encoder, name):
    preset = projection.SENSE_PRESETS[name]
    pieces = encoder.tokenizer.encode(preset["word"], add_special_tokens=False)
    vectors, senses = [], []
    for sentence, sense in preset["sentences"]:
        result = encoder.run(sentence)
        found = projection.find_word(result.tokens, result.word_ids, pieces.tokens)
        assert len(found) == 1, f"{preset['word']!r} once in {sentence!r}"
        vectors.append(projection.occurrence_vectors(result.hidden[-1], found)[0])
        senses.append(sense)

    similarity = projection.cosine_similarity(np.stack(vectors))
    within, across = projection.within_across(similarity, senses)

    assert within > across
