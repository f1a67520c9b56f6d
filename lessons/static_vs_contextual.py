import numpy as np
import pandas as pd
import streamlit as st

from attention import figures, teaching, ui


def use_preset():
    chosen = teaching.PRESETS[st.session_state["static.preset"]]
    for name, sentence in zip(("a", "b"), chosen["sentences"], strict=True):
        st.session_state[f"static.{name}"] = sentence
    st.session_state["static.x"], st.session_state["static.y"] = chosen["axes"]


PRESET_NAMES = {"bank": "bank: money or river", "apple": "Apple: company or fruit"}

lesson = ui.Lesson(
    "static",
    steps=[
        "Static vectors",
        "Attention tables",
        "Contextual vectors",
        "Before and after",
    ],
)
lesson.title("2. Static vs contextual embeddings")
lesson.prose(
    "A static embedding gives a word one fixed vector, whatever the sentence. "
    "Self-attention turns it into a contextual vector, a weighted mix of the "
    "sentence's vectors: **y_i = sum_j w_ij e_j**."
)

with lesson.controls():
    preset_name = lesson.selectbox(
        "Example",
        list(teaching.PRESETS),
        "preset",
        on_change=use_preset,
        format_func=PRESET_NAMES.get,
    )
    preset = teaching.PRESETS[preset_name]
    tags, sentences = ui.two_sentences(lesson, preset["sentences"])

    # the word to follow: the preset's, else one both sentences share
    candidates = teaching.follow_candidates(sentences)
    focus = lesson.selectbox(
        "Word to follow", candidates, "word", default=preset["word"]
    )

if lesson.shows(1):
    st.subheader("Static vectors: one row per word, the same in every sentence")
    columns = st.columns(len(sentences))
    for column, words, tag in zip(columns, sentences, tags, strict=True):
        with column:
            e = teaching.embed(words)
            fig = figures.matrix_heatmap(e, words, teaching.AXES, f"E, sentence {tag}")
            ui.show_matrix(
                fig, e, words, teaching.AXES, ui.slug("static-vectors", tag, *words)
            )
    if len(sentences) == 2 and all(focus in [w.lower() for w in s] for s in sentences):
        st.markdown(
            f"**{ui.escape_markdown(focus)}** has the same static vector in both "
            "sentences: a static embedding cannot tell its two meanings apart."
        )

# each sentence's attention table, editable, checked before use
tables = []
for words, tag in zip(sentences, tags, strict=True):
    preset_weights, source = teaching.example_weights(words)
    if not lesson.shows(2):
        weights, _ = ui.weights_table(
            lesson, f"t{tag.lower()}", words, preset_weights, False
        )
        tables.append(weights)
        continue
    st.subheader(f"Attention table, sentence {tag}")
    st.caption(f"Rows: the word that attends; from {source}. Edit any cell.")
    wide = len(words) > 4
    left, right = (st.container(), st.container()) if wide else st.columns(2)
    with left:
        weights, notes = ui.weights_table(
            lesson, f"t{tag.lower()}", words, preset_weights
        )
        for note in notes:
            st.warning(note)
    with right:
        fig = figures.attention_heatmap(weights, words, words, "Weights in use")
        ui.show_figure(fig, ui.slug("static-weights", tag, *words))
    tables.append(weights)

if lesson.shows(3):
    st.subheader("Contextual vectors: y_i = sum_j w_ij e_j")
    columns = st.columns(len(sentences))
    for column, words, weights, tag in zip(
        columns, sentences, tables, tags, strict=True
    ):
        with column:
            y = teaching.contextual(weights, teaching.embed(words))
            fig = figures.matrix_heatmap(y, words, teaching.AXES, f"Y, sentence {tag}")
            ui.show_matrix(
                fig, y, words, teaching.AXES, ui.slug("contextual-vectors", tag, *words)
            )
            lower = [w.lower() for w in words]
            if focus in lower:
                i = lower.index(focus)
                st.code(
                    f"y_{words[i]} = " + teaching.written_sum(weights[i], words),
                    language=None,
                    wrap_lines=True,
                )

if lesson.shows(4):
    st.subheader(f"Where {ui.escape_markdown(focus)} moves")
    left, right = st.columns(2)
    with left:
        x_axis = lesson.selectbox(
            "Horizontal axis", teaching.AXES, "x", default=preset["axes"][0]
        )
    with right:
        y_axis = lesson.selectbox(
            "Vertical axis", teaching.AXES, "y", default=preset["axes"][1]
        )
    ix, iy = teaching.AXES.index(x_axis), teaching.AXES.index(y_axis)

    landmarks, moves = {}, []
    for words, weights, tag in zip(sentences, tables, tags, strict=True):
        e = teaching.embed(words)
        y = teaching.contextual(weights, e)
        for word, vector in zip(words, e, strict=True):
            landmarks[word.lower()] = (word.lower(), vector[ix], vector[iy])
        for i, word in enumerate(words):
            if word.lower() == focus:
                moves.append(
                    (f"{word} in sentence {tag}", e[i, [ix, iy]], y[i, [ix, iy]])
                )
    fig = figures.embedding_shift(
        x_axis, y_axis, list(landmarks.values()), moves, "Static (grey) to contextual"
    )
    ui.show_figure(fig, ui.slug("static-vs-contextual", focus, x_axis, y_axis))
    shifts = pd.DataFrame(
        [np.subtract(end, start) for _, start, end in moves],
        index=[label for label, _, _ in moves],
        columns=[f"change across ({x_axis})", f"change up ({y_axis})"],
    )
    if moves:
        st.dataframe(shifts.style.format("{:+.3f}"))
    else:
        st.info(f"'{ui.escape_markdown(focus)}' does not occur in these sentences.")

lesson.finish()
