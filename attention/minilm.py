"""all-MiniLM-L6-v2, a six-layer BERT encoder, run forward in NumPy.

The attention in every layer is the one in `attention.core`, so what the model
pages show is the same maths the toy lessons teach. Everything is float32, as
the weights are. Each layer is

    a = LayerNorm(x + MultiHead(x) W_O)
    y = LayerNorm(a + GELU(a W_1) W_2)

Labels: every token is labelled with the text the user typed at its offsets,
so "Apple" stays "Apple" and "naïve" stays "naïve" although the wordpieces
are lower-cased and stripped of accents. A piece that continues a word keeps
the tokenizer's "##" in front ("encoding", "##s"), so subwords stay visible.
A piece the vocabulary lacks is the token "[UNK]" but keeps its typed label,
such as the emoji itself.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

from attention.core import multi_head_attention
from attention.model_files import ModelDamaged, check_files, find_model_dir


@dataclass(frozen=True)
class Layer:
    """One encoder layer's weights, laid out [d_in, d_out] for x @ w."""

    qkv: np.ndarray  # [d, 3d] queries, keys, values side by side
    qkv_bias: np.ndarray  # [3d]
    output: np.ndarray  # [d, d] merges the heads' values
    output_bias: np.ndarray  # [d]
    norm1: tuple  # ([d], [d]) gain and bias after attention
    up: np.ndarray  # [d, d_ff]
    up_bias: np.ndarray  # [d_ff]
    down: np.ndarray  # [d_ff, d]
    down_bias: np.ndarray  # [d]
    norm2: tuple  # ([d], [d]) gain and bias after the feed-forward


@dataclass(frozen=True)
class EncoderResult:
    """What one sentence looks like inside the model, for every layer.

    The arrays are read-only, so a cached result can be shared between pages.
    """

    # NOTE: the lists can still be changed in place by a caller; they are lists
    # because pages and tests compare them with lists.

    tokens: list  # [n] wordpieces, "[CLS]" first and "[SEP]" last
    static: np.ndarray  # [n, d] word-embedding rows, before any context
    hidden: np.ndarray  # [n_layer + 1, n, d] embeddings, then each layer's output
    attentions: np.ndarray  # [n_layer, n_head, n, n] weights, rows sum to 1
    offsets: list  # [n] (start, end) into the text, (0, 0) for specials
    word_ids: list  # [n] index of the word a piece belongs to, None for specials
    labels: list  # [n] the text as typed, "##" before a continuing piece
    truncated: bool  # True when the text was cut to the model's limit


class Encoder:
    """The tokenizer and weights of one BERT model, ready to run sentences."""

    def __init__(self, tokenizer, config, weights):
        self.tokenizer = tokenizer
        self.n_layer = config["num_hidden_layers"]
        self.n_head = config["num_attention_heads"]
        self.d_model = config["hidden_size"]
        self.max_tokens = config["max_position_embeddings"]
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.prefix = tokenizer.model.continuing_subword_prefix

        # embeddings
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"]
        self.norm0 = norm_weights(weights, "embeddings.LayerNorm")

        # layers
        self.layers = [
            layer_weights(weights, f"encoder.layer.{i}") for i in range(self.n_layer)
        ]

    def run(self, text):
        """Tokenize `text` and keep every layer's output and attention weights."""
        encoding = self.tokenizer.encode(text)
        ids = np.array(encoding.ids, dtype=np.int64)
        assert len(ids) <= self.max_tokens, (
            f"{len(ids)} tokens, limit {self.max_tokens}"
        )

        # static embeddings, then every layer in turn
        static = self.word[ids]
        hidden = np.empty((self.n_layer + 1, *static.shape), dtype=np.float32)
        attentions = np.empty(
            (self.n_layer, self.n_head, len(ids), len(ids)), np.float32
        )
        hidden[0] = self.embed(static)
        for i, layer in enumerate(self.layers):
            hidden[i + 1], attentions[i] = block(
                hidden[i], layer, self.n_head, self.eps
            )

        return EncoderResult(
            tokens=list(encoding.tokens),
            static=frozen(static),
            hidden=frozen(hidden),
            attentions=frozen(attentions),
            offsets=[tuple(o) for o in encoding.offsets],
            word_ids=list(encoding.word_ids),
            labels=self.labels(text, encoding),
            truncated=bool(encoding.overflowing),
        )

    def embed(self, static):  # [n, d] -> [n, d]
        """LayerNorm(word + position + token type); one sentence is type 0."""
        n = static.shape[0]
        x = static + self.position[:n] + self.token_type[0]
        return layer_norm(x, *self.norm0, self.eps)

    def labels(self, text, encoding):  # text, encoding -> [n] str
        labels = []
        for token, (start, end), special in zip(
            encoding.tokens, encoding.offsets, encoding.special_tokens_mask, strict=True
        ):
            if special:
                labels.append(token)
            elif token.startswith(self.prefix):
                labels.append(self.prefix + text[start:end])
            else:
                labels.append(text[start:end])
        return labels


def load(path=None):
    """An Encoder from a folder of model files; None looks them up."""
    folder = Path(path) if path is not None else find_model_dir()
    check_files(folder)

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    try:
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        weights = load_file(folder / "model.safetensors")
    except Exception as error:  # the libraries raise their own error types
        raise ModelDamaged(
            f"The model files in {folder} cannot be read: {error}"
        ) from error

    # one sentence at a time, cut at the model's own limit
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=config["max_position_embeddings"])

    weights = {strip_prefix(k): frozen(v) for k, v in weights.items()}
    return Encoder(tokenizer, config, weights)


def strip_prefix(key):  # "bert.embeddings..." -> "embeddings..."
    return key.removeprefix("bert.")


def norm_weights(weights, name):  # name -> ([d], [d])
    return weights[f"{name}.weight"], weights[f"{name}.bias"]


def layer_weights(weights, name):
    """Transpose to [d_in, d_out] and join W_Q, W_K, W_V into one matrix."""
    w = {
        k.removeprefix(name + "."): v for k, v in weights.items() if k.startswith(name)
    }
    attention = "attention.self"
    return Layer(
        qkv=frozen(
            np.ascontiguousarray(
                np.concatenate(
                    [
                        w[f"{attention}.query.weight"].T,
                        w[f"{attention}.key.weight"].T,
                        w[f"{attention}.value.weight"].T,
                    ],
                    axis=1,
                )
            )
        ),
        qkv_bias=frozen(
            np.concatenate(
                [
                    w[f"{attention}.query.bias"],
                    w[f"{attention}.key.bias"],
                    w[f"{attention}.value.bias"],
                ]
            )
        ),
        output=frozen(np.ascontiguousarray(w["attention.output.dense.weight"].T)),
        output_bias=w["attention.output.dense.bias"],
        norm1=norm_weights(w, "attention.output.LayerNorm"),
        up=frozen(np.ascontiguousarray(w["intermediate.dense.weight"].T)),
        up_bias=w["intermediate.dense.bias"],
        down=frozen(np.ascontiguousarray(w["output.dense.weight"].T)),
        down_bias=w["output.dense.bias"],
        norm2=norm_weights(w, "output.LayerNorm"),
    )


def frozen(a):  # array -> the same array, read-only
    a.setflags(write=False)
    return a


def layer_norm(x, gain, bias, eps):  # [n, d] -> [n, d]
    """(x - mean) / sqrt(variance + eps) * gain + bias, over the width."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * gain + bias


def gelu(x):  # [n, d_ff] -> [n, d_ff]
    """x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2))), the exact form, not tanh.

    Works in one buffer: at 256 tokens each temporary is another 1.5 MB pass.
    """
    # NOTE: scipy's erf runs one element at a time (about 7 ns each), so at 256
    # tokens GELU is about a sixth of the run; a tanh approximation would be
    # faster but would no longer match the reference within 1e-4.
    y = x * np.float32(1 / np.sqrt(2))
    erf(y, out=y)
    y += 1.0
    y *= x
    y *= 0.5
    return y


def self_attention(x, layer, n_head):  # [n, d] -> [n, d], [n_head, n, n]
    """softmax(Q K^T / sqrt(d_head)) V in every head, merged and projected."""
    # queries, keys and values from one matmul
    q, k, v = np.split(x @ layer.qkv + layer.qkv_bias, 3, axis=-1)  # 3 x [n, d]

    # the core's attention in every head, heads merged back side by side
    merged, weights = multi_head_attention(q, k, v, n_head)  # [n, d], [h, n, n]

    # project the merged heads
    return merged @ layer.output + layer.output_bias, weights


def block(x, layer, n_head, eps):  # [n, d] -> [n, d], [n_head, n, n]
    """One encoder layer: attention and feed-forward, each with residual and norm."""
    # attention, residual, norm
    attended, weights = self_attention(x, layer, n_head)
    x = layer_norm(x + attended, *layer.norm1, eps)

    # feed-forward, residual, norm
    inner = gelu(x @ layer.up + layer.up_bias)  # [n, d_ff]
    x = layer_norm(x + inner @ layer.down + layer.down_bias, *layer.norm2, eps)

    return x, weights
