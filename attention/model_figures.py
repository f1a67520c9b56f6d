"""Figure builders for the real model's pages; arrays in, a plotly Figure out.

Labels reach Plotly escaped (`figures._safe`), so typed markup shows as text.
"""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from attention.figures import (
    ATTENTION_SCALE,
    NEUTRAL,
    PAIR_COLOURS,
    _layout,
    _safe,
)

GRID_TOKENS = 32  # the overview draws at most this many tokens per head


def head_grid(attentions, title, chosen=None):  # [n_layer, n_head, n, n] -> Figure
    """Every head of every layer as a small heatmap: layers down, heads across.

    `chosen` (layer, head), counted from 1, is outlined. Longer inputs are cut
    to their first GRID_TOKENS tokens.
    """
    # NOTE: 72 full heatmaps of a 512-token input are some 19 million cells,
    # more than a browser draws in a blink; the overview shows the start only.
    a = np.asarray(attentions)[..., :GRID_TOKENS, :GRID_TOKENS]
    n_layer, n_head = a.shape[:2]
    fig = make_subplots(
        rows=n_layer,
        cols=n_head,
        row_titles=[f"layer {i + 1}" for i in range(n_layer)],
        column_titles=[f"head {j + 1}" for j in range(n_head)],
        horizontal_spacing=0.006,
        vertical_spacing=0.012,
    )

    # one small heatmap a head, all on the attention colour scale
    for layer in range(n_layer):
        for head in range(n_head):
            fig.add_trace(
                go.Heatmap(
                    z=np.round(a[layer, head], 3),
                    coloraxis="coloraxis",
                    hovertemplate=(
                        f"layer {layer + 1}, head {head + 1}<br>"
                        "query %{y}, key %{x}: %{z:.2f}<extra></extra>"
                    ),
                ),
                row=layer + 1,
                col=head + 1,
            )
    bare = dict(showticklabels=False, ticks="", showgrid=False, zeroline=False)
    fig.update_xaxes(**bare)
    fig.update_yaxes(**bare, autorange="reversed")
    fig.update_annotations(font_size=11)

    # the head open above, outlined
    if chosen is not None:
        layer, head = chosen
        n = a.shape[-1]
        fig.add_shape(
            type="rect",
            x0=-0.5,
            x1=n - 0.5,
            y0=-0.5,
            y1=n - 0.5,
            line=dict(color="#d95f02", width=3),
            row=layer,
            col=head,
        )

    fig.update_layout(
        coloraxis=dict(colorscale=ATTENTION_SCALE, cmin=0, cmax=1),
        coloraxis_colorbar=dict(title="weight"),
    )
    _layout(fig, title, height=560, top=90)
    fig.update_layout(margin_r=60)
    return fig


def sense_map(points, static_point, senses, labels, sentences, explained, title):
    """Contextual vectors in 2D by sense, each with an arrow from the static one.

    `points` [k, 2] and `static_point` [2] come from one PCA; `labels`,
    `senses` and `sentences` have one entry per point; `explained` is the share
    of variance on each axis.
    """
    p = np.asarray(points, dtype=float)
    fig = go.Figure()

    # one arrow per occurrence, from the static vector to where context took it
    colours = {}
    for sense in senses:
        colours.setdefault(sense, PAIR_COLOURS[len(colours) % len(PAIR_COLOURS)])
    for (x, y), sense in zip(p, senses, strict=True):
        fig.add_annotation(
            x=x,
            y=y,
            ax=static_point[0],
            ay=static_point[1],
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowwidth=1.5,
            arrowcolor=colours[sense],
            opacity=0.6,
            text="",
        )

    # the contextual points, one legend entry per sense
    senses = np.asarray(senses, dtype=object)
    for sense, colour in colours.items():
        rows = np.flatnonzero(senses == sense)
        fig.add_trace(
            go.Scatter(
                x=p[rows, 0],
                y=p[rows, 1],
                mode="markers+text",
                name=_safe([sense])[0],
                text=_safe([labels[i] for i in rows]),
                textposition="top center",
                customdata=_safe([sentences[i] for i in rows]),
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
                marker=dict(size=13, color=colour),
            )
        )

    # the one static vector
    fig.add_trace(
        go.Scatter(
            x=[static_point[0]],
            y=[static_point[1]],
            mode="markers+text",
            name="static vector",
            text=["static"],
            textposition="bottom center",
            hovertemplate="the word-embedding row, before any context<extra></extra>",
            marker=dict(size=16, color=NEUTRAL, symbol="x"),
        )
    )

    fig.update_xaxes(title=f"PC1 ({explained[0]:.0%} of the variance)")
    fig.update_yaxes(title=f"PC2 ({explained[1]:.0%} of the variance)")
    fig.update_layout(legend=dict(orientation="h", y=-0.18))
    return _layout(fig, title, height=520)
