"""Plotly figure JSON as plain lists: typed arrays ("bdata") decoded."""

import base64
import json

import numpy as np


def decode(node):
    if isinstance(node, dict) and "bdata" in node and "dtype" in node:
        raw = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
        if "shape" in node:
            shape = [int(s) for s in str(node["shape"]).split(",")]
            raw = raw.reshape(shape)
        return raw.tolist()
    if isinstance(node, dict):
        return {key: decode(value) for key, value in node.items()}
    if isinstance(node, list):
        return [decode(value) for value in node]
    return node


def chart_specs(at):
    """Every Plotly chart an AppTest run drew, as decoded figure dicts."""
    return [decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
