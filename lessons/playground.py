import numpy as np
import streamlit as st

from attention import figures, heads, model_figures, ui

LONG_INPUT = 24  # tokens; longer inputs draw only each query's strongest links
STRONGEST = 3  # links per query on a long input
AVERAGE = "average"
LAYERS = list(range(1, 7))
HEADS = [AVERAGE, *range(1, 13)]


def head_name(head):
    return "average over heads" if head == AVERAGE else f"head {head}"


def open_from_overview():
    layer, head = st.session_state["playground.open"]
    st.session_state["playground.layer"] = layer
    st.session_state["playground.head"] = head


lesson = ui.Lesson("playground", steps=["One head", "As arrows", "All 72 heads"])
lesson.title("5. Playground: a real model")
lesson.prose(
    "Any sentence through all-MiniLM-L6-v2, a pretrained transformer with "
    "6 layers of 12 heads each. Every head computes its own "
    "**softmax(Q K^T / sqrt(d_k))** from the same tokens, and each learned to "
    "look somewhere different."
)

encoder = ui.real_model()
if encoder is None:
    lesson.stop()

# the sentence and the head to look at
with lesson.controls():
    text = lesson.text("Sentence", "s", "Apple launched a new phone")
left, middle, right = st.columns([1, 1, 2])
with left:
    layer = lesson.selectbox("Layer", LAYERS, "layer")
with middle:
    head = lesson.selectbox("Head", HEADS, "head", default=1, format_func=head_name)
with right:
    hide = lesson.toggle("Hide [CLS] and [SEP]", "hide")

if not text.strip():
    st.info("Type a sentence to see what the model's heads attend to.")
    lesson.stop()
result = ui.encode(encoder, text)
if result.truncated:
    st.warning(
        f"The model reads at most {encoder.max_tokens} tokens; "
        "the end of the sentence was cut."
    )

# the weights shown, with or without the special tokens (typed ones too)
special = np.array([t in ("[CLS]", "[SEP]") for t in result.tokens])
if special.all():
    st.info("The model found nothing to read in this text besides [CLS] and [SEP].")
    lesson.stop()
attentions, labels = result.attentions, result.labels
if hide:
    attentions = heads.hide_tokens(attentions, ~special)
    labels = [x for x, s in zip(labels, special, strict=True) if not s]
    st.caption(
        "[CLS] and [SEP] are hidden; each row is rescaled to sum to 1 "
        "over the tokens that are left."
    )
shown = attentions[layer - 1]
weights = heads.layer_average(shown) if head == AVERAGE else shown[head - 1]
name = ui.slug("playground", "layer", layer, head_name(head), text[:40])
chosen = f"layer {layer}, {head_name(head)}"

# what the head does, read from its full weights, special tokens included
full = result.attentions[layer - 1]
full = heads.layer_average(full) if head == AVERAGE else full[head - 1]
cls = [i for i, t in enumerate(result.tokens) if special[i] and t == "[CLS]"]
sep = [i for i, t in enumerate(result.tokens) if special[i] and t == "[SEP]"]
caption = heads.describe_head(full, cls, sep)
if hide and heads.main_pattern(full, cls, sep)[0] in ("[CLS]", "[SEP]"):
    caption += " Those tokens are hidden in the charts now."
st.markdown(f"**{chosen.capitalize()}.** {caption}")
if any(x.startswith("##") for x in labels):
    st.caption("A label with ## is a piece that continues the word before it.")

if lesson.shows(1):
    st.subheader(f"One head: {chosen}")
    lesson.prose(
        "Rows are queries in reading order, columns are keys; every row sums to 1."
    )
    # NOTE: near 512 tokens this heatmap is a few MB of JSON and takes seconds
    # to draw; short sentences, the common case, draw at once.
    fig = figures.attention_heatmap(weights, labels, labels, f"Attention, {chosen}")
    ui.show_matrix(fig, weights, labels, labels, name)

if lesson.shows(2):
    st.subheader("As arrows")
    lesson.prose("Each query on the left links to the keys it attends to.")
    links = weights
    if len(labels) > LONG_INPUT:
        links = heads.strongest_links(weights, STRONGEST)
        st.caption(
            f"{len(labels)} tokens: only the {STRONGEST} strongest links of each "
            "query are drawn."
        )
    fig = figures.token_arrows(links, labels, f"Attention as links, {chosen}")
    ui.show_figure(fig, name + "-arrows")

if lesson.shows(3):
    st.subheader("All 72 heads")
    lesson.prose(
        "Layers from top to bottom, heads from left to right; the outlined head "
        "is the one open above."
    )
    if len(labels) > model_figures.GRID_TOKENS:
        st.caption(
            f"Each small map shows the first {model_figures.GRID_TOKENS} of "
            f"{len(labels)} tokens."
        )
    outline = None if head == AVERAGE else (layer, head)
    fig = model_figures.head_grid(attentions, "Every head of every layer", outline)
    ui.show_figure(fig, ui.slug("playground", "all-heads", text[:40]))
    st.session_state["playground.open"] = (layer, head)
    st.selectbox(
        "Open a head",
        [(i, h) for i in LAYERS for h in HEADS],
        key="playground.open",
        format_func=lambda pair: f"layer {pair[0]}, {head_name(pair[1])}",
        on_change=open_from_overview,
    )

lesson.finish()
