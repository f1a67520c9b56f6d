import numpy as np
import pandas as pd
import streamlit as st

from attention import figures, linkstate, model_figures, projection, ui

OWN = "own"
PRESET_NAMES = {
    "bank": "bank: money or river",
    "apple": "apple: company or fruit",
    OWN: "my own word and sentences",
}


def use_preset():
    chosen = st.session_state["polysemy.preset"]
    st.session_state["polysemy.word"] = projection.SENSE_PRESETS.get(
        chosen, {"word": ""}
    )["word"]


def preset_table(chosen):
    rows = projection.SENSE_PRESETS.get(chosen, {"sentences": []})["sentences"]
    return pd.DataFrame(rows, columns=["sentence", "sense"], dtype=str)


def sentence_table(chosen, start):
    """The editable sentences: the link's table for its own preset, else the preset."""
    base = preset_table(chosen)
    if start is not None and start[0] == chosen:
        base = pd.DataFrame(start[1], columns=["sentence", "sense"], dtype=str)
    return st.data_editor(
        base,
        key=f"polysemy.table.{chosen}",
        num_rows="dynamic",
        width="stretch",
        column_config={
            "sentence": st.column_config.TextColumn("sentence", width="large"),
            "sense": st.column_config.TextColumn("sense"),
        },
    )


def table_from_link(chosen):
    """The sentence table a link brings, read once a session, with its preset."""
    key = lesson.bind("rows", "", to_text=lambda text: text or None)
    if "polysemy.rows.start" not in st.session_state:
        start = None
        if st.session_state[key]:
            try:
                start = (chosen, linkstate.as_rows(st.session_state[key]))
            except ValueError as err:
                lesson.notices.append(f"'rows': {err}; used the preset.")
        st.session_state["polysemy.rows.start"] = start
    return key, st.session_state["polysemy.rows.start"]


def keep_table(key, chosen, table):
    """The table goes into the link when it differs from the preset."""
    rows = [[cell(a), cell(b)] for a, b in table.itertuples(index=False)]
    preset = preset_table(chosen).values.tolist()
    st.session_state[key] = "" if rows == preset else linkstate.rows_text(rows)


def cell(value):
    """A table cell as clean text: a blank or missing cell becomes ''."""
    return "" if value is None or pd.isna(value) else str(value).strip()


def mean_text(value):
    return "none to compare" if np.isnan(value) else f"{value:.3f}"


lesson = ui.Lesson(
    "polysemy", steps=["Sentences", "Static and contextual", "Similarities"]
)
lesson.title("6. Polysemy lab")
lesson.prose(
    "A static embedding gives a word one vector, whatever it means. The real "
    "model's layers turn it into one vector per occurrence; if attention does "
    "its job, occurrences with the same sense end up close together."
)

encoder = ui.real_model()
if encoder is None:
    lesson.stop()

# the word, its sentences, and the layer to read
left, middle, right = st.columns([2, 1, 2])
with left:
    chosen = lesson.selectbox(
        "Example",
        list(PRESET_NAMES),
        "preset",
        on_change=use_preset,
        format_func=PRESET_NAMES.get,
    )
with middle:
    start = projection.SENSE_PRESETS.get(chosen, {"word": ""})["word"]
    word = lesson.text("Word", "word", start)
with right:
    layer = lesson.slider(
        "Layer", 0, encoder.n_layer, "layer", encoder.n_layer, help="0: embeddings"
    )

rows_key, start = table_from_link(chosen)
if lesson.shows(1):
    st.subheader("Sentences, each with the sense of the word")
    lesson.prose("Edit any cell, add rows at the bottom, or delete them.")
    table = sentence_table(chosen, start)
else:
    # in presentation mode the later steps keep the table folded away
    with st.expander("The sentences"):
        table = sentence_table(chosen, start)
keep_table(rows_key, chosen, table)

# the word as the model splits it
pieces = encoder.tokenizer.encode(word.strip(), add_special_tokens=False)
if not pieces.tokens:
    st.info("Type a word to follow through the sentences.")
    lesson.stop()
if len(set(pieces.word_ids)) > 1:
    st.info("Type a single word: no spaces or punctuation inside it.")
    lesson.stop()
if encoder.tokenizer.token_to_id("[UNK]") in pieces.ids:
    st.info(
        "The model has no pieces for this word (it reads it as [UNK], like "
        "every other unknown character): type a word made of letters."
    )
    lesson.stop()
shown_word = ui.escape_markdown(word.strip())
if len(pieces.tokens) > 1:
    st.caption(
        f"The model splits {shown_word} into {len(pieces.tokens)} pieces "
        f"({ui.escape_markdown(' '.join(pieces.tokens))}); each vector below is "
        "the average over its pieces."
    )

# every occurrence of the word, with its sentence and sense
vectors, senses, sentences, missing = [], [], [], []
for k, row in enumerate(table.itertuples(index=False), start=1):
    sentence, sense = cell(row.sentence), cell(row.sense) or "(no sense)"
    if not sentence:
        continue
    result = ui.encode(encoder, sentence)
    found = projection.find_word(result.tokens, result.word_ids, pieces.tokens)
    if not found:
        missing.append(str(k))
    for rows in found:
        vectors.append(projection.occurrence_vectors(result.hidden[layer], [rows])[0])
        senses.append(sense)
        sentences.append(sentence)
if missing:
    st.warning(
        f"{'Sentences' if len(missing) > 1 else 'Sentence'} {', '.join(missing)} "
        f"{'do' if len(missing) > 1 else 'does'} not contain {shown_word}; "
        "left out."
    )
if len(vectors) < 2:
    st.info(
        f"The word {shown_word} needs to occur at least twice in the sentences "
        "to be compared; add sentences that use it."
    )
    lesson.stop()

contextual = np.stack(vectors)
labels = [f"{i + 1}. {sense}" for i, sense in enumerate(senses)]
static = projection.occurrence_vectors(encoder.word, [pieces.ids])[0]
where = "the embedding layer" if layer == 0 else f"layer {layer}"

if lesson.shows(2):
    st.subheader(f"One static vector, {len(vectors)} contextual ones")
    lesson.prose(
        f"The cross is the word-embedding row of {shown_word}, the same in every "
        f"sentence; each dot is its vector after {where} in one sentence. "
        "PCA flattens the 384 numbers of each vector to the two directions along "
        "which they vary most."
    )
    points, explained = projection.pca_2d(np.vstack([static, contextual]))
    fig = model_figures.sense_map(
        points[1:],
        points[0],
        senses,
        labels,
        sentences,
        explained,
        f"{word.strip()}: static and after {where}",
    )
    ui.show_figure(fig, ui.slug("polysemy", word, "layer", layer))

if lesson.shows(3):
    st.subheader("How similar the occurrences are")
    similarity = projection.cosine_similarity(contextual)
    fig = figures.matrix_heatmap(
        similarity, labels, labels, f"Cosine similarity after {where}"
    )
    ui.show_matrix(
        fig, similarity, labels, labels, ui.slug("similarity", word, "layer", layer)
    )
    within, across = projection.within_across(similarity, senses)
    first, second = st.columns(2)
    first.metric("Mean similarity, same sense", mean_text(within))
    second.metric("Mean similarity, different senses", mean_text(across))
    if np.isnan(within) or np.isnan(across):
        st.info("Give at least two senses, one of them twice, to compare them.")
    elif within > across:
        st.success(
            f"After {where}, occurrences with the same sense are closer to each "
            f"other ({within:.3f}) than to the other senses ({across:.3f})."
        )
    else:
        st.warning(
            f"After {where}, the same sense is not closer ({within:.3f}) than "
            f"the other senses ({across:.3f}): try a later layer."
        )

lesson.finish()
