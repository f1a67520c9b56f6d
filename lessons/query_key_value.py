import streamlit as st

from attention import figures, teaching, ui

lesson = ui.Lesson(
    "qkv",
    steps=["Three matrices", "Q, K and V", "The query meets every key"],
)
lesson.title("3. Query, Key, Value")
lesson.prose(
    "Each word gets three versions of itself: a **query** (what it is looking "
    "for), a **key** (what it offers) and a **value** (the meaning it hands over "
    "if chosen): **Q = E W_Q, K = E W_K, V = E W_V**."
)

with lesson.controls():
    tags, sentences = ui.two_sentences(lesson, ("money bank grows", "river bank flows"))

model = teaching.model()
runs = [model.run(words) for words in sentences]
candidates = list(dict.fromkeys(w.lower() for w in sentences[0]))
focus = lesson.selectbox("Word that asks", candidates, "word", default="bank")
axes = teaching.AXES

if lesson.shows(1):
    st.subheader("The learned matrices")
    lesson.prose(
        "Rows are the embedding's axes, columns what the projection produces. "
        "In this small model a key and a value are the word's own topics (grammar "
        "words offer little and hand over nothing); only W_Q was fitted."
    )
    for name, matrix in [("W_Q", model.w_q), ("W_K", model.w_k), ("W_V", model.w_v)]:
        fig = figures.matrix_heatmap(matrix, axes, axes, name, "from", "to")
        ui.show_matrix(fig, matrix, axes, axes, ui.slug("qkv", name))

if lesson.shows(2):
    run = runs[0]
    st.subheader(f"E and its three projections, sentence {tags[0]}")
    names = [
        ("E", run.static),
        ("Q = E W_Q", run.query),
        ("K = E W_K", run.key),
        ("V = E W_V", run.value),
    ]
    for row in ([names[0]], [names[1]], names[2:]):
        for column, (name, matrix) in zip(st.columns(len(row)), row, strict=True):
            with column:
                fig = figures.matrix_heatmap(matrix, run.words, axes, name)
                ui.show_matrix(
                    fig,
                    matrix,
                    run.words,
                    axes,
                    ui.slug("qkv", name.split()[0], *run.words),
                )

if lesson.shows(3):
    st.subheader(f"Q({ui.escape_markdown(focus)}) matched against every key")
    lesson.prose(
        "Line width is the match q . k / sqrt(d_k); each label reads "
        "match → the attention weight it becomes after softmax."
    )
    columns = st.columns(len(runs))
    for column, run, tag in zip(columns, runs, tags, strict=True):
        with column:
            lower = [w.lower() for w in run.words]
            if focus not in lower:
                st.info(f"'{ui.escape_markdown(focus)}' is not in sentence {tag}.")
                continue
            i = lower.index(focus)
            match = run.step.scaled[i]
            fig = figures.match_arrows(
                match, run.words[i], run.words, f"Sentence {tag}", run.step.weights[i]
            )
            ui.show_figure(fig, ui.slug("qkv-arrows", tag, focus, *run.words))
            others = [j for j in range(len(lower)) if j != i] or [i]
            best = max(others, key=lambda j: match[j])
            st.markdown(
                f"Q({ui.escape_markdown(run.words[i])}) matches "
                f"K({ui.escape_markdown(run.words[best])}) most among the other "
                f"words: weight **{run.step.weights[i, best]:.2f}**."
            )

lesson.finish()
