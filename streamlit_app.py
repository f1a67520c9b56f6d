"""The entry point: the lesson path, and the controls every page shares."""

import streamlit as st

from attention import ui

LESSONS = [
    st.Page("lessons/home.py", title="Start here", default=True),
    st.Page(
        "lessons/why_attention.py", title="1. Why attention", url_path="why_attention"
    ),
    st.Page(
        "lessons/static_vs_contextual.py",
        title="2. Static vs contextual",
        url_path="static_vs_contextual",
    ),
    st.Page(
        "lessons/query_key_value.py",
        title="3. Query, Key, Value",
        url_path="query_key_value",
    ),
    st.Page(
        "lessons/scores_softmax.py",
        title="4. Scores, softmax, sum",
        url_path="scores_softmax",
    ),
]
REAL_MODEL = [
    st.Page("lessons/playground.py", title="5. Playground", url_path="playground"),
    st.Page(
        "lessons/polysemy_lab.py", title="6. Polysemy lab", url_path="polysemy_lab"
    ),
]

# presentation mode comes from the link on the first visit, then the switch
ui.init_presentation()

# the tab icon is an emoji the browser draws itself: no icon font to fetch
st.set_page_config(
    page_title="Self-attention, step by step",
    page_icon="🎓",
    layout="wide",
    # a link that opens presenting leaves the whole width to the lesson
    initial_sidebar_state="collapsed" if st.session_state[ui.PRESENT] else "auto",
)
with st.sidebar:
    st.toggle(
        "Presentation mode",
        value=st.session_state[ui.PRESENT],
        key="presentation-switch",
        on_change=ui.follow_switch,
        help="Larger type, one step at a time",
    )

if st.session_state[ui.PRESENT]:
    ui.presentation_style()

st.navigation({"Lessons": LESSONS, "A real model": REAL_MODEL}).run()
