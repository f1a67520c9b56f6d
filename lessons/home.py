import streamlit as st

from attention import ui

lesson = ui.Lesson("home")

lesson.title("Self-attention, step by step")
st.markdown(
    "How does a transformer know that *bank* means money in one sentence and a "
    "riverside in another? Follow the lessons in order; every number on every "
    "page is computed live from the sentence you type."
)

st.page_link("lessons/why_attention.py", label="1. Why attention: what RNNs lose")
st.page_link(
    "lessons/static_vs_contextual.py",
    label="2. Static vs contextual embeddings: one word, two meanings",
)
st.page_link(
    "lessons/query_key_value.py", label="3. Query, Key, Value: who asks, who offers"
)
st.page_link(
    "lessons/scores_softmax.py",
    label="4. Scores, softmax, weighted sum: the whole computation",
)
st.page_link(
    "lessons/playground.py", label="5. Playground: a real pretrained transformer"
)
st.page_link(
    "lessons/polysemy_lab.py", label="6. Polysemy lab: one word in many sentences"
)

lesson.prose(
    "Lessons 1 to 4 use a small **teaching model**: a few dozen words whose "
    "embedding axes have names (finance, nature, water, technology, food, ...), "
    "so every vector can be read. Lessons 5 and 6 run a real pretrained model, "
    "all-MiniLM-L6-v2, on any sentence.\n\n"
    "Teaching a class? Switch on **Presentation mode** in the sidebar: larger "
    "type and one step at a time. Every page offers a link that reopens exactly "
    "what you see."
)
lesson.finish()
