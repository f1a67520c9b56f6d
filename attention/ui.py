"""The thin Streamlit layer every page shares: link state, charts, tables, notices.

This is the only module of the package that imports Streamlit.
"""

import re
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from attention import linkstate, teaching

ZWSP = "\u200b"
KEPT = "_kept"  # values that outlive a page switch
KEPT_TEXT = "_kept_text"  # the same, as the link writes them
PRESENT = "present"  # the presentation-mode switch, shared by every page
ROUTER_NOTICES = "_router_notices"  # what the entry point could not read
PROJECTOR_FONT = 20  # chart text in presentation mode, in pixels


def escape_markdown(text):
    """User text shown as text: no markdown, no markup, no automatic links."""
    text = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", str(text))
    # a zero-width space keeps "www.", "://" and "@" from turning into links
    return re.sub(
        r"(www|://|@)", lambda m: m.group(1)[:-1] + ZWSP + m.group(1)[-1], text
    )


class Lesson:
    """One page's controls bound to the link, and its step-by-step reveal.

    Values come from the link on a session's first visit (checked, with a
    notice for whatever was ignored), survive a page switch, and are written
    back to the link on every run.
    """

    def __init__(self, page, steps=()):
        self.page = page
        self.steps = tuple(steps)
        self.fields = {}
        init_presentation()
        self.notices = st.session_state.pop(ROUTER_NOTICES, [])
        self._notice_box = st.container()
        self.presenting = bool(st.session_state.get(PRESENT, False))
        self.step = len(self.steps)
        if self.steps:
            key = self.bind("step", 1, linkstate.as_number(1, len(self.steps), True))
            self.step = st.session_state[key] if self.presenting else len(self.steps)

    # binding -------------------------------------------------------------

    def bind(self, name, default, parse=linkstate.as_text, to_text=str):
        """The widget key for `name`, its value set from the link or kept state."""
        key = f"{self.page}.{name}"
        kept = st.session_state.setdefault(KEPT, {})
        if key not in st.session_state:
            if key in kept:
                st.session_state[key] = kept[key]
            else:
                st.session_state[key] = self._from_link(name, default, parse)
        self.fields[name] = (key, to_text)
        return key

    def _from_link(self, name, default, parse):
        values = st.query_params.get_all(name)
        if not values:
            return default
        if len(values) > 1:
            self.notices.append(
                f"'{name}' was given {len(values)} times; used the first."
            )
        try:
            return parse(values[0])
        except ValueError as err:
            self.notices.append(f"'{name}': {err}; used the default.")
            return default

    # widgets that stay valid when their options change ---------------------

    def selectbox(self, label, options, name, default=None, **kwargs):
        options = list(options)
        start = default if default is not None else options[0]
        key = self.bind(name, start, linkstate.as_choice(options))
        if st.session_state[key] not in options:
            st.session_state[key] = options[0]
        return st.selectbox(label, options, key=key, **kwargs)

    def slider(self, label, low, high, name, default, step=None, **kwargs):
        parse = linkstate.as_number(low, high, integer=isinstance(default, int))
        key = self.bind(name, default, parse)
        if not low <= st.session_state[key] <= high:
            st.session_state[key] = min(max(st.session_state[key], low), high)
        if low == high:
            # a slider needs room to move: one possible value is just said
            st.session_state[key] = low
            st.caption(f"{label}: {low}")
            return low
        return st.slider(label, low, high, key=key, step=step, **kwargs)

    def text(self, label, name, default, **kwargs):
        # the link's text is checked against the same limit the box keeps
        key = self.bind(name, default, linkstate.as_text)
        return st.text_input(label, key=key, max_chars=linkstate.MAX_TEXT, **kwargs)

    def toggle(self, label, name, default=False, **kwargs):
        key = self.bind(name, default, linkstate.as_flag, linkstate.flag_text)
        return st.toggle(label, key=key, **kwargs)

    # presentation ----------------------------------------------------------

    def title(self, text):
        """The page title; when presenting, one row with Back / Next beside it."""
        if not (self.presenting and self.steps):
            st.title(text)
            return
        n, key = len(self.steps), self.fields["step"][0]
        title, back, label, forward = st.columns(
            [5, 1, 4, 1], vertical_alignment="center"
        )
        title.subheader(text)
        back.button("Back", on_click=_move, args=(key, -1, n), disabled=self.step <= 1)
        forward.button(
            "Next", on_click=_move, args=(key, 1, n), disabled=self.step >= n
        )
        label.markdown(f"**Step {self.step} of {n}: {self.steps[self.step - 1]}**")

    def controls(self):
        """Where the inputs go: folded away when presenting, so the step shows."""
        if self.presenting:
            return st.expander("Sentence and settings")
        return st.container()

    def shows(self, step):
        """In presentation mode one step at a time; otherwise everything."""
        if not self.presenting:
            return True
        return self.step == step

    def prose(self, text):
        """Explanations a presenter says aloud are hidden in presentation mode."""
        if not self.presenting:
            st.markdown(text)

    # the end of every run ----------------------------------------------------

    def stop(self):
        """End the run early (nothing to show): the link keeps what it had."""
        self.finish(complete=False, footer=False)
        st.stop()

    def finish(self, complete=True, footer=True):
        """Write the state to the link, offer it, show what the link lost.

        A run that drew only part of the page (one step of a presentation, or an
        early stop) keeps the settings it did not draw in the link, and only a
        complete run can tell that a name in the link belongs to no setting.
        """
        kept = st.session_state.setdefault(KEPT, {})
        kept_text = st.session_state.setdefault(KEPT_TEXT, {})
        params = {}
        for key, to_text in self.fields.values():
            if key in st.session_state:
                kept[key] = st.session_state[key]
                kept_text[key] = to_text(st.session_state[key])

        # settings drawn now, and those this run did not draw, by their last value
        prefix = f"{self.page}."
        for key, text in kept_text.items():
            if key.startswith(prefix) and text is not None:
                params[key.removeprefix(prefix)] = text

        # the link's other names: kept while part of the page is not drawn
        complete = complete and not self.presenting
        for name in st.query_params.keys():
            if name in params or name in self.fields or name == PRESENT:
                continue
            if complete:
                self.notices.append(f"'{name}' is not a setting of this page; ignored.")
            else:
                params[name] = st.query_params[name]
        if st.session_state.get(PRESENT):
            params[PRESENT] = "1"
        st.query_params.from_dict(params)

        if self.notices:
            with self._notice_box:
                said = " ".join(dict.fromkeys(self.notices))
                st.warning("From the link: " + escape_markdown(said))
        if footer:
            with st.expander("Link to this view"):
                st.code(share_link(params), language=None)


def init_presentation():
    """Presentation mode from the link, once a session; a notice if unreadable."""
    if PRESENT in st.session_state:
        return
    try:
        st.session_state[PRESENT] = linkstate.as_flag(st.query_params.get(PRESENT, "0"))
    except ValueError as err:
        st.session_state[PRESENT] = False
        st.session_state[ROUTER_NOTICES] = [f"'{PRESENT}': {err}; used off."]


def follow_switch():
    st.session_state[PRESENT] = st.session_state["presentation-switch"]


def presentation_style():
    """Larger type for a projector at 1280x720."""
    st.markdown(
        "<style>"
        "html, .stMarkdown p, .stMarkdown li { font-size: 1.25rem; }"
        "h1 { font-size: 2rem !important; padding-bottom: 0.25rem; }"
        # below the app's header bar, which overlays the top 3.75rem
        "[data-testid='stMainBlockContainer'] { padding-top: 4.5rem; }"
        "</style>",
        unsafe_allow_html=True,
    )


def _move(key, delta, n):
    st.session_state[key] = min(max(st.session_state[key] + delta, 1), n)


def share_link(params):
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urlencode(params)}" if params else base


# charts and matrices ------------------------------------------------------


def show_figure(fig, name):
    """A chart whose camera button saves `name`.png at double resolution."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
    }
    if st.session_state.get(PRESENT):
        fig = _for_projector(fig)
    st.plotly_chart(fig, config=config, key=f"chart-{name}")


def _for_projector(fig):
    """A copy of the chart with type large enough to read from the back row."""
    fig = go.Figure(fig)
    fig.update_layout(font_size=PROJECTOR_FONT, title_font_size=PROJECTOR_FONT + 4)
    # the title at the very top, the keys' labels below it, words at the sides
    margin = fig.layout.margin
    fig.update_layout(
        title_y=1,
        title_yanchor="top",
        title_pad_t=8,
        margin_t=(margin.t or 60) + 30,
        margin_l=(margin.l or 10) + 30,
        margin_r=(margin.r or 10) + 30,
    )
    fig.update_traces(cliponaxis=False, selector=dict(type="scatter"))
    fig.update_annotations(font_size=PROJECTOR_FONT - 2)
    fig.update_xaxes(tickfont_size=PROJECTOR_FONT, title_font_size=PROJECTOR_FONT)
    fig.update_yaxes(tickfont_size=PROJECTOR_FONT, title_font_size=PROJECTOR_FONT)
    return fig


def unique_labels(labels):
    """Labels as table headers: a repeated word gets its position."""
    labels = [str(x) for x in labels]
    counts = pd.Series(labels).value_counts()
    return [f"{x} ({i + 1})" if counts[x] > 1 else x for i, x in enumerate(labels)]


def matrix_frame(values, rows, cols):
    return pd.DataFrame(
        np.asarray(values), index=unique_labels(rows), columns=unique_labels(cols)
    )


def show_matrix(fig, values, rows, cols, name):
    """A heatmap, the same numbers as a table, and a CSV download of them."""
    show_figure(fig, name)
    frame = matrix_frame(values, rows, cols)
    with st.expander("Show as a table"):
        st.dataframe(frame.style.format("{:.3f}"))
    st.download_button(
        "Download CSV",
        frame.to_csv(float_format="%.6g"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
    )


def weights_table(lesson, name, words, preset, editable=True):
    """An editable attention table whose cleaned values live in the link.

    A new editor starts from the table kept for this sentence (edited before,
    or brought by a link), else from the preset. While the editor stays on
    screen its starting table stays fixed, so each edit is applied once.
    Returns (weights, notes).
    """
    key = lesson.bind(name, "", to_text=lambda text: text or None)
    words = tuple(words)
    _read_link_table(lesson, name, key, words)

    # a step that does not show the editor uses the table kept last
    if not editable:
        return teaching.clean_weights(_kept_table(key, words, preset), preset)

    editor = slug(lesson.page, name, *words)
    if editor not in st.session_state:
        st.session_state[f"{editor}.base"] = _kept_table(key, words, preset)
    frame = st.data_editor(
        matrix_frame(st.session_state[f"{editor}.base"], words, words), key=editor
    )
    weights, notes = teaching.clean_weights(frame, preset)

    # keep what is shown, for the link and for the next editor
    edited = not np.allclose(weights, preset, atol=5e-5)
    st.session_state[key] = linkstate.weights_text(weights) if edited else ""
    st.session_state[f"{key}.for"] = words
    return weights, notes


def _read_link_table(lesson, name, key, words):
    """Once a session: the link's table belongs to the sentence it came with."""
    if f"{key}.for" in st.session_state:
        return
    st.session_state[f"{key}.for"] = words
    if not st.session_state[key]:
        return
    try:
        linkstate.as_weights(st.session_state[key], len(words))
    except ValueError as err:
        lesson.notices.append(f"'{name}': {err}; used the preset.")
        st.session_state[key] = ""


def _kept_table(key, words, preset):  # -> [n, n]
    if st.session_state.get(f"{key}.for") != words or not st.session_state[key]:
        return np.asarray(preset)
    return np.asarray(linkstate.as_weights(st.session_state[key], len(words)))


def as_fraction(ratio):
    """A ratio in words a class reads: "about 1/5,900", "0.42", "3.1 times"."""
    if ratio >= 1.05:
        return f"{ratio:,.2g} times" if ratio < 1e4 else f"{ratio:,.0f} times"
    if ratio >= 0.1:
        return f"{ratio:.2f}"
    if ratio <= 0:
        return "none"
    return f"about 1/{float(f'{1 / ratio:.2g}'):,.0f}"


def slug(*parts):
    """A file name from words: lower case, dashes, nothing odd."""
    text = "-".join(str(p) for p in parts if p != "")
    text = re.sub(r"[^\w]+", "-", text.lower(), flags=re.ASCII).strip("-")
    return text[:80] or "chart"


# sentences for the teaching model ------------------------------------------


def teaching_sentence(lesson, label, name, default):
    """A sentence box; returns its words, or None with a message if it has none."""
    text = lesson.text(label, name, default)
    words = teaching.split_words(text)

    if words.truncated:
        st.warning(
            f"Only the first {teaching.MAX_WORDS} words are used; "
            f"{words.truncated} more were left out."
        )
    if words.ignored:
        st.caption("Not words, left out: " + escape_markdown(words.ignored[:80]))
    if not words.words:
        st.info("Type a sentence with at least one word (letters or digits).")
        return None
    if words.unknown:
        unknown = ", ".join(escape_markdown(words.words[i]) for i in words.unknown)
        st.info(
            f"The small model does not know: {unknown}. "
            "Here they carry no meaning (a vector of zeros)."
        )
        with st.expander("Words the small model knows"):
            st.write(", ".join(teaching.vocabulary()))
    return words.words


# the real model ---------------------------------------------------------------


def two_sentences(lesson, defaults):
    """Sentence A and B side by side; (tags, words) of those that have words.

    Stops the page, with the boxes' own messages, when neither has a word.
    """
    given = []
    for column, tag, default in zip(st.columns(2), "AB", defaults, strict=True):
        with column:
            words = teaching_sentence(lesson, f"Sentence {tag}", tag.lower(), default)
        if words is not None:
            given.append((tag, words))
    if not given:
        lesson.stop()
    return [tag for tag, _ in given], [words for _, words in given]


CACHED_TEXT = 300  # characters: longer sentences are run again, not kept


def encode(encoder, text):
    """One text through the real model; short ones are kept for every session.

    The results are read-only, so sessions can share them. A long text is not
    kept: near 512 tokens one result holds some 80 MB of attention weights.
    """
    if len(text) > CACHED_TEXT:
        return encoder.run(text)
    return _encode_cached(encoder, text)


@st.cache_resource(max_entries=256, show_spinner=False)
def _encode_cached(_encoder, text):
    return _encoder.run(text)


def real_model():
    """The all-MiniLM-L6-v2 encoder, loaded once per server, or None if it can't be.

    A missing or damaged model is said in an error box with what to install;
    the page decides what to show without it, and every other page still works.
    """
    from attention import model_files  # the teaching pages never need it

    try:
        folder = model_files.find_model_dir(progress=_download_progress())
        return _encoder(str(folder))
    except (model_files.ModelUnavailable, model_files.ModelDamaged) as error:
        message = str(error)
        if model_files.HOW_TO_INSTALL not in message:
            message += " " + model_files.HOW_TO_INSTALL
        st.error(f"The real model cannot be used. {message}")
        return None


@st.cache_resource(show_spinner="Loading the model...")
def _encoder(folder):
    from attention import minilm

    return minilm.load(folder)


def _download_progress():
    """A progress callback that draws a bar only if a download really starts."""
    slot = st.empty()

    def progress(done, total, name):
        if total:
            slot.progress(min(done / total, 1.0), text=f"Downloading {name}")
        else:
            slot.progress(0.0, text=f"Downloading {name}: {done / 1e6:.0f} MB")
        if total and done >= total:
            slot.empty()

    return progress
