import numpy as np
import streamlit as st

from attention import figures, teaching, ui

lesson = ui.Lesson(
    "scores",
    steps=["Raw scores", "Scaling", "Softmax", "Weighted sum"],
)
lesson.title("4. Scores, softmax, weighted sum")
lesson.prose(
    "The whole of self-attention in three steps: compare every query with every "
    "key, turn each row of scores into weights, mix the values: "
    "**softmax(Q K^T / sqrt(d_k)) V**."
)

with lesson.controls():
    words = ui.teaching_sentence(lesson, "Sentence", "s", "river bank flows")
    if words is None:
        lesson.stop()

left, right = st.columns(2)
with left:
    candidates = list(dict.fromkeys(w.lower() for w in words))
    focus = lesson.selectbox("Word that asks", candidates, "word")
with right:
    temperature = lesson.slider(
        "Softmax temperature T",
        0.1,
        5.0,
        "t",
        1.0,
        step=0.1,
        help="Below 1 sharpens the weights, above 1 flattens them.",
    )

run = teaching.model().run(words, temperature=temperature)
step = run.step
i = [w.lower() for w in words].index(focus)
d_k = run.key.shape[1]

if lesson.shows(1):
    st.subheader("Step 1: raw scores q . k")
    lesson.prose("Each cell compares one query (row) with one key (column).")
    fig = figures.matrix_heatmap(step.scores, words, words, "Q K^T", "query", "key")
    ui.show_matrix(fig, step.scores, words, words, ui.slug("raw-scores", *words))

if lesson.shows(2):
    st.subheader(f"Step 2: divide by sqrt(d_k) = sqrt({d_k}) = {np.sqrt(d_k):.2f}")
    lesson.prose(
        "Longer vectors give larger dot products; dividing by sqrt(d_k) keeps the "
        "scores in a range where softmax still spreads its weight."
    )
    fig = figures.matrix_heatmap(
        step.scaled, words, words, "Q K^T / sqrt(d_k)", "query", "key"
    )
    ui.show_matrix(fig, step.scaled, words, words, ui.slug("scaled-scores", *words))

if lesson.shows(3):
    st.subheader(f"Step 3: softmax, row by row (T = {temperature:g})")
    left, right = st.columns(2)
    with left:
        fig = figures.attention_heatmap(step.weights, words, words, "Attention weights")
        ui.show_matrix(
            fig,
            step.weights,
            words,
            words,
            ui.slug("weights", *words, "t", temperature),
        )
    with right:
        fig = figures.softmax_row(
            step.scaled[i], step.weights[i], words, words[i], temperature
        )
        ui.show_figure(fig, ui.slug("softmax-row", words[i], "t", temperature))
    fig = figures.effective_words(step.weights, words)
    ui.show_figure(fig, ui.slug("effective-words", *words, "t", temperature))

if lesson.shows(4):
    st.subheader("Step 4: the weighted sum of the values")
    written = teaching.written_sum(step.weights[i], words, vector="V")
    st.code(f"y_{words[i]} = {written}", language=None, wrap_lines=True)
    y = step.output[i]
    st.code(
        f"y_{words[i]} = ["
        + ", ".join(f"{a} {v:+.2f}" for a, v in zip(teaching.AXES, y, strict=True))
        + "]",
        language=None,
        wrap_lines=True,
    )
    fig = figures.weighted_sum(
        step.weights[i], run.value, words, teaching.AXES, words[i]
    )
    ui.show_figure(fig, ui.slug("weighted-sum", words[i], *words))

lesson.finish()
