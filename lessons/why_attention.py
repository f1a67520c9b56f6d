import streamlit as st

from attention import core, figures, teaching, ui

DEFAULT = (
    "my money in the bank grows with interest while the river by the forest "
    "flows to the sea where a boat of fish and a tree by the lake grows "
    "in the rain"
)

lesson = ui.Lesson(
    "why_attention",
    steps=["One step at a time", "Fading influence", "One vector for everything"],
)
lesson.title("1. Why attention")
lesson.prose(
    "A recurrent network (RNN) reads a sentence word by word: each step needs the "
    "hidden state of the step before. Self-attention looks at all words at once."
)

with lesson.controls():
    words = ui.teaching_sentence(lesson, "Sentence", "s", DEFAULT)
    if words is not None and len(words) < 2:
        st.info("Type at least two words: influence needs a word to travel from.")
        words = None
    if words is None:
        lesson.stop()

left, right = st.columns(2)
with left:
    n = lesson.slider("Sentence length (words read)", 2, len(words), "n", len(words))
with right:
    radius = lesson.slider(
        "Recurrent strength (spectral radius of W_h)", 0.2, 1.6, "r", 0.9, step=0.05
    )
words = words[:n]

# a small tanh RNN reads the teaching model's static vectors
e = teaching.embed(words)
w_x, w_h, b = teaching.small_rnn(e.shape[1], radius=radius)
norms = core.rnn_influence(e, w_x, w_h, b)
states = core.rnn(e, w_x, w_h, b)
step = teaching.model().run(words)

if lesson.shows(1):
    st.subheader("Sequential steps against one parallel step")
    lesson.prose(
        f"The RNN needs **{n} steps**, one after another; attention computes every "
        "word's new vector in **one step**, all words in parallel."
    )
    ui.show_figure(figures.rnn_steps(words), ui.slug("why-attention-steps", n))

if lesson.shows(2):
    st.subheader("How far a word's signal reaches")
    first = norms[0] / norms[-1] if n > 1 else 1.0
    st.markdown(
        "The first word's influence on the RNN's last state, next to the last "
        f"word's, is **{ui.as_fraction(first)}** ({n - 1} steps back). "
        "In attention every word is one hop from every other, whatever the distance."
    )
    lesson.prose(
        "Influence is the size (spectral norm) of the Jacobian d h_last / d x_t "
        "of this RNN, computed exactly. Raise the recurrent strength past 1 and "
        "it can grow instead of fade: the exploding side of the same problem."
    )
    ui.show_figure(
        figures.influence(words, norms), ui.slug("why-attention-influence", n)
    )

if lesson.shows(3):
    st.subheader("The bottleneck: one hidden vector against one vector per word")
    lesson.prose(
        f"After reading {n} words the RNN keeps a single vector of "
        f"{states.shape[1]} numbers. Attention keeps one contextual vector per word."
    )
    left, right = st.columns([1, 2])
    with left:
        last = states[-1:].T
        fig = figures.matrix_heatmap(
            last, [f"h{i + 1}" for i in range(len(last))], ["h_last"], "RNN: one vector"
        )
        ui.show_matrix(
            fig,
            last,
            [f"h{i + 1}" for i in range(len(last))],
            ["h_last"],
            ui.slug("why-attention-rnn-state", n),
        )
    with right:
        y = step.step.output
        fig = figures.matrix_heatmap(
            y, words, teaching.AXES, "Attention: one vector per word", "word", "axis"
        )
        ui.show_matrix(
            fig, y, words, teaching.AXES, ui.slug("why-attention-outputs", n)
        )

lesson.finish()
