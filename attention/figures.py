"""Figure builders: arrays and labels in, a plotly Figure out; no Streamlit.

Heatmaps put queries on rows in reading order (top to bottom) and keys on
columns (left to right). Positions, not labels, place the cells, so a word
that occurs twice keeps its own row and column.
"""

import numpy as np
import plotly.graph_objects as go

from attention.core import row_entropy

ATTENTION_SCALE = "Viridis"  # attention weights, on every page
SIGNED_SCALE = "RdBu_r"  # vectors and scores: blue below zero, red above
MAX_CELL_TEXT = 12  # print values in cells up to this many rows and columns
FONT = dict(size=15)
# the charts take the app's light or dark theme; colours set here read on both
NEUTRAL = "#8c8c8c"  # a grey as legible on white as on a dark background


def _layout(fig, title, height=None, top=60):
    """Shared look; the title sits at the top edge, above labels drawn on top."""
    fig.update_layout(
        title=dict(
            text=_safe([title])[0],
            x=0,
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=8),
        ),
        font=FONT,
        margin=dict(l=10, r=10, t=top, b=10),
        height=height,
    )
    return fig


def _cell_text(values, digits):
    if max(values.shape) > MAX_CELL_TEXT:
        return None
    # rounding to 0 keeps no sign: "-0.00" reads as a mistake
    return np.vectorize(
        lambda x: f"{x:.{digits}f}".replace(f"-0.{'0' * digits}", f"0.{'0' * digits}")
    )(values)


def _label_axes(fig, rows, cols, row_title, col_title):
    """Positions place the cells; the words are only tick labels, escaped."""
    fig.update_xaxes(
        tickvals=list(range(len(cols))),
        ticktext=_safe(cols),
        title=col_title,
        side="top",
        tickangle=-30 if _longest(cols) > 6 else 0,
        showgrid=False,
    )
    fig.update_yaxes(
        tickvals=list(range(len(rows))),
        ticktext=_safe(rows),
        title=row_title,
        autorange="reversed",
        showgrid=False,
    )


def _longest(labels):
    return max(map(len, map(str, labels)), default=0)


def _top_margin(cols):
    """Room above the plot for the title and the column labels."""
    longest = _longest(cols)
    return 70 + (int(6.5 * min(longest, 14)) if longest > 6 else 20)


def _label_grid(rows, cols):  # [n_r], [n_c] -> [n_r, n_c, 2] escaped labels
    return np.dstack(
        [
            np.repeat(np.array(_safe(rows), dtype=object)[:, None], len(cols), 1),
            np.repeat(np.array(_safe(cols), dtype=object)[None, :], len(rows), 0),
        ]
    )


def attention_heatmap(weights, queries, keys, title="Attention weights"):
    """Rows: queries, columns: keys; hover says query -> key: weight."""
    w = np.asarray(weights, dtype=float)
    assert w.shape == (len(queries), len(keys)), (
        f"weights {w.shape} do not match {len(queries)} queries x {len(keys)} keys"
    )
    sums = np.repeat(w.sum(axis=1)[:, None], len(keys), 1)
    custom = np.dstack([_label_grid(queries, keys), sums])
    fig = go.Figure(
        go.Heatmap(
            z=w,
            zmin=0,
            zmax=1,
            colorscale=ATTENTION_SCALE,
            colorbar=dict(title="weight", thickness=14),
            text=_cell_text(w, 2),
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate=(
                "%{customdata[0]} -> %{customdata[1]}: %{z:.3f}"
                "<br>row sums to %{customdata[2]:.2f}<extra></extra>"
            ),
        )
    )
    _label_axes(fig, queries, keys, "query (reading order)", "key")
    height = _square_height(len(queries)) + _top_margin(keys) - 60
    return _layout(fig, title, height, top=_top_margin(keys))


def matrix_heatmap(values, rows, cols, title, row_title="", col_title=""):
    """A signed matrix (vectors, weights of a projection, raw scores)."""
    v = np.asarray(values, dtype=float)
    assert v.shape == (len(rows), len(cols)), (
        f"values {v.shape} do not match {len(rows)} rows x {len(cols)} columns"
    )
    limit = float(np.max(np.abs(v))) if v.size else 1.0
    custom = _label_grid(rows, cols)
    fig = go.Figure(
        go.Heatmap(
            z=v,
            zmid=0,
            zmin=-limit or -1,
            zmax=limit or 1,
            colorscale=SIGNED_SCALE,
            colorbar=dict(thickness=14),
            text=_cell_text(v, 2),
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate=(
                "%{customdata[0]}, %{customdata[1]}: %{z:.3f}<extra></extra>"
            ),
        )
    )
    _label_axes(fig, rows, cols, row_title, col_title)
    height = _square_height(len(rows)) + _top_margin(cols) - 60
    return _layout(fig, title, height, top=_top_margin(cols))


def _square_height(n_rows):
    return int(min(900, max(260, 120 + 38 * n_rows)))


def match_arrows(strength, query, keys, title, weights=None):
    """Lines from one query to every key, width and label by match strength.

    `strength` [n_k] sets line width (scaled to the strongest); the label shows
    it, and the weight after softmax when `weights` is given.
    """
    s = np.asarray(strength, dtype=float)
    n = len(keys)
    query, keys = _safe([query])[0], _safe(keys)
    top = float(np.max(np.abs(s))) if n else 1.0
    fig = go.Figure()

    # one line per key, thicker for a stronger match
    for j, key in enumerate(keys):
        width = 1 + 11 * abs(s[j]) / (top or 1.0)
        label = f"{s[j]:.2f}"
        if weights is not None:
            label += f" → {weights[j]:.2f}"
        fig.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[(n - 1) / 2, j],
                mode="lines",
                line=dict(width=width, color=_line_colour(s[j])),
                hovertext=f"Q({query}) . K({key}): {label}",
                hoverinfo="text",
                showlegend=False,
            )
        )
        fig.add_annotation(
            x=0.62,
            y=(n - 1) / 2 + 0.62 * (j - (n - 1) / 2),
            text=label,
            showarrow=False,
            # dark text on a light box reads in either theme
            bgcolor="rgba(255,255,255,0.85)",
            font=dict(size=13, color="#222"),
        )

    # the query on the left, the keys on the right
    fig.add_trace(
        go.Scatter(
            x=[0] + [1] * n,
            y=[(n - 1) / 2] + list(range(n)),
            mode="markers+text",
            text=[f"Q({query})"] + [f"K({k})" for k in keys],
            textposition=["middle left"] + ["middle right"] * n,
            marker=dict(size=12, color=NEUTRAL),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    _hide_axes(fig, n)
    return _layout(fig, title, height=max(260, 70 + 45 * n))


def _line_colour(value):
    return "#d95f02" if value >= 0 else "#7570b3"


def _hide_axes(fig, n):
    fig.update_xaxes(visible=False, range=[-0.45, 1.45])
    fig.update_yaxes(visible=False, range=[n - 0.5, -0.5])


def token_arrows(weights, tokens, title, min_weight=0.0):
    """Two columns of tokens; a line from each query to each key it attends to.

    Line width and opacity follow the weight; links below `min_weight` are
    left out.
    """
    w = np.asarray(weights, dtype=float)
    n = len(tokens)
    tokens = _safe(tokens)
    fig = go.Figure()

    # one line per kept link
    for i in range(n):
        for j in range(n):
            if w[i, j] <= min_weight or w[i, j] < 1e-3:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[0, 1],
                    y=[i, j],
                    mode="lines",
                    line=dict(width=0.5 + 8 * w[i, j], color="#1b9e77"),
                    opacity=float(0.25 + 0.75 * w[i, j]),
                    hovertext=f"{tokens[i]} -> {tokens[j]}: {w[i, j]:.3f}",
                    hoverinfo="text",
                    showlegend=False,
                )
            )

    # queries on the left, keys on the right
    fig.add_trace(
        go.Scatter(
            x=[0] * n + [1] * n,
            y=list(range(n)) * 2,
            mode="text",
            text=list(tokens) * 2,
            textposition=["middle left"] * n + ["middle right"] * n,
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_annotation(x=0, y=-1, text="query", showarrow=False)
    fig.add_annotation(x=1, y=-1, text="key", showarrow=False)
    _hide_axes(fig, n)
    fig.update_yaxes(range=[n - 0.5, -1.5])
    return _layout(fig, title, height=max(300, 90 + 26 * n))


def embedding_shift(x_name, y_name, landmarks, moves, title):
    """Static points as landmarks, and arrows from a static to a contextual point.

    `landmarks`: [(label, x, y)]; `moves`: [(label, (x0, y0), (x1, y1))].
    """
    fig = go.Figure()

    # every word's static vector, in grey
    if landmarks:
        labels, xs, ys = zip(*landmarks, strict=True)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers+text",
                text=_safe(labels),
                textposition="top center",
                name="static vectors",
                marker=dict(size=11, color="#999", symbol="circle-open"),
            )
        )

    # one arrow per contextual vector, from where the word started
    for n, (label, start, end) in enumerate(moves):
        colour = PAIR_COLOURS[n % len(PAIR_COLOURS)]
        fig.add_trace(
            go.Scatter(
                x=[end[0]],
                y=[end[1]],
                mode="markers",
                name=_safe([label])[0],
                marker=dict(size=14, color=colour, symbol="diamond"),
                hovertemplate="%{fullData.name}: (%{x:.2f}, %{y:.2f})<extra></extra>",
            )
        )
        arrow(fig, start, end, colour, width=2.5)

    # both axes span just the points, so a short move still shows
    xs = [p[1] for p in landmarks] + [q[i][0] for _, *q in moves for i in (0, 1)]
    ys = [p[2] for p in landmarks] + [q[i][1] for _, *q in moves for i in (0, 1)]
    fig.update_xaxes(title=x_name, zeroline=True, range=_padded(xs))
    fig.update_yaxes(title=y_name, zeroline=True, range=_padded(ys))
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.25))
    _layout(fig, title, height=500)
    return fig.update_layout(margin_b=70)


def arrow(fig, start, end, colour, width=2.0, opacity=1.0):
    """An arrow in data coordinates from `start` to `end`."""
    fig.add_annotation(
        x=end[0],
        y=end[1],
        ax=start[0],
        ay=start[1],
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        showarrow=True,
        arrowhead=3,
        arrowwidth=width,
        arrowcolor=colour,
        opacity=opacity,
        text="",
    )


def _padded(values, pad=0.12):  # [n] -> [low, high]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    span = max(high - low, 0.2)
    return [low - pad * span, high + pad * span]


PAIR_COLOURS = ("#d95f02", "#1b9e77", "#7570b3", "#e7298a")


def _safe(labels):
    """Text shown by Plotly as written: its HTML subset is escaped."""
    return [
        str(x).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for x in labels
    ]


def rnn_steps(words):
    """When each word is processed: one after another, or all at once."""
    n = len(words)
    rows = list(range(n))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(range(1, n + 1)),
            y=rows,
            mode="markers+lines",
            name=f"RNN: {n} steps, each waits for the last",
            marker=dict(size=12, color="#d95f02"),
            line=dict(dash="dot"),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[1] * n,
            y=rows,
            mode="markers",
            name="attention: 1 step for all",
            marker=dict(size=12, color="#1b9e77", symbol="square"),
        )
    )
    fig.update_xaxes(title="time step", dtick=1 if n <= 20 else 5)
    fig.update_yaxes(
        tickvals=rows, ticktext=_safe(words), autorange="reversed", title="word"
    )
    fig.update_layout(legend=dict(orientation="h", y=-0.25))
    return _layout(fig, "Steps that must run one after another", _square_height(n))


def influence(words, rnn_norms):
    """How strongly each word still reaches the last state: RNN against attention."""
    n = len(words)
    relative = np.asarray(rnn_norms) / max(float(np.max(rnn_norms)), 1e-300)
    positions = list(range(1, n + 1))
    hover = [f"{w}: {r:.2e}" for w, r in zip(_safe(words), relative, strict=True)]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=positions,
            y=relative,
            name="RNN: size of d h_last / d x_t",
            marker_color="#d95f02",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=positions,
            y=[1.0] * n,
            mode="lines+markers",
            name="attention: every word one hop away",
            line=dict(color="#1b9e77"),
        )
    )
    fig.update_yaxes(
        type="log",
        dtick=1,
        exponentformat="power",
        title="influence on the last state (largest = 1)",
    )
    fig.update_xaxes(
        title="word position", tickvals=positions, ticktext=_safe(words), tickangle=-45
    )
    fig.update_layout(legend=dict(orientation="h", y=-0.45))
    return _layout(fig, "Influence of each word on the last state", height=460)


def weighted_sum(weights, values, words, axes, target):
    """y = sum_j w_j v_j as stacked bars: each word's share on every axis."""
    w = np.asarray(weights)
    v = np.asarray(values)
    fig = go.Figure()
    for j, word in enumerate(_safe(words)):
        fig.add_trace(
            go.Bar(
                x=list(axes),
                y=w[j] * v[j],
                name=f"{w[j]:.2f} x V({word})",
                hovertemplate="%{fullData.name} on %{x}: %{y:.3f}<extra></extra>",
            )
        )
    y = w @ v
    fig.add_trace(
        go.Scatter(
            x=list(axes),
            y=y,
            mode="markers",
            name=f"y({_safe([target])[0]})",
            marker=dict(
                size=14, symbol="line-ew-open", color="#d95f02", line=dict(width=3)
            ),
        )
    )
    fig.update_layout(barmode="relative", legend=dict(orientation="h", y=-0.3))
    fig.update_yaxes(title="amount")
    return _layout(fig, f"y({target}) built from the values", height=440)


def softmax_row(scaled, weights, keys, query, temperature):
    """One query's scaled scores (left axis) and the weights (right axis, 0 to 1)."""
    positions = list(range(len(keys)))
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=positions,
            y=scaled,
            name="scaled score",
            marker_color="#7570b3",
            offsetgroup="score",
        )
    )
    fig.add_trace(
        go.Bar(
            x=positions,
            y=weights,
            name=f"weight (T = {temperature:g})",
            marker_color="#1b9e77",
            text=[f"{w:.2f}" for w in weights],
            textposition="outside",
            yaxis="y2",
            offsetgroup="weight",
        )
    )
    fig.update_xaxes(tickvals=positions, ticktext=_safe(keys), title="key")
    fig.update_layout(
        barmode="group",
        legend=dict(orientation="h", yanchor="top", y=-0.3),
        yaxis=dict(title="scaled score"),
        yaxis2=dict(
            title="weight",
            overlaying="y",
            side="right",
            range=[0, 1.15],
            tickvals=[0, 0.25, 0.5, 0.75, 1],
            showgrid=False,
        ),
    )
    _layout(fig, f"Softmax of the row of {query}", height=440)
    return fig.update_layout(margin_b=90)


def effective_words(weights, queries):
    """exp(entropy) per row: how many words a query spreads over."""
    effective = np.exp(row_entropy(weights))
    positions = list(range(len(queries)))
    fig = go.Figure(
        go.Bar(
            x=positions,
            y=effective,
            marker_color="#1b9e77",
            text=[f"{e:.1f}" for e in effective],
            textposition="outside",
        )
    )
    fig.update_xaxes(tickvals=positions, ticktext=_safe(queries), title="query")
    top = float(np.max(effective)) if len(queries) else 1.0
    fig.update_yaxes(title="effective words", range=[0, 1.2 * top + 0.5])
    return _layout(fig, "Effective number of words attended, exp(entropy)", 360)
