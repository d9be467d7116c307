"""Figures for planners: matplotlib (Agg) with a Japanese font, deterministic output.

Every figure function takes a stage's result (a DataFrame, a graph, the corpus) and returns a
:class:`matplotlib.figure.Figure` whose axes, titles and legends are in Japanese.  Nothing is
shown on screen; :func:`figure_svg` / :func:`figure_png` / :func:`save_figure` turn a figure into
bytes that are the same on every run.

- :mod:`.setup`: the font, colours, label helpers and SVG / PNG output;
- :mod:`.themes`: :func:`theme_bars`, :func:`theme_heatmap`;
- :mod:`.keyness`: :func:`keyness_chart`;
- :mod:`.network`: :func:`cooccurrence_network` (its rules stated under it:
  :func:`network_caption`), :func:`packed_layout`;
- :mod:`.labels`: labels placed without overlaps (:func:`place_labels`, :func:`spread_until_placed`);
- :mod:`.continuity`: :func:`continuity_diagram`.

>>> import pandas as pd
>>> fig = theme_bars(pd.DataFrame({"theme": ["連携", "見守り"], "generation": [2, 2], "count": [3, 1]}))
>>> fig.axes[0].get_xlabel()
'出現数（テキスト単位）'
"""

from __future__ import annotations

from .continuity import continuity_diagram
from .keyness import CRITICAL_G2, keyness_chart
from .labels import place_labels, spread_until_placed
from .network import cooccurrence_network, network_caption, packed_layout
from .setup import (CONTENT_COLOUR, DROPPED_COLOUR, FONT_FAMILY, NEUTRAL_COLOUR, NEW_COLOUR, PALETTE,
                    STATED_COLOUR, SVG_HASH_SALT, figure_png, figure_svg, figures_close, generation_label, plain, plan_label,
                    save_figure, setup_matplotlib, wrap_label)
from .themes import theme_bars, theme_heatmap

__all__ = ["CONTENT_COLOUR", "CRITICAL_G2", "DROPPED_COLOUR", "FONT_FAMILY", "NEUTRAL_COLOUR", "NEW_COLOUR",
           "PALETTE", "STATED_COLOUR", "SVG_HASH_SALT", "continuity_diagram", "cooccurrence_network",
           "figure_png", "figure_svg", "figures_close", "generation_label", "plan_label", "keyness_chart", "network_caption",
           "packed_layout", "place_labels", "plain", "save_figure", "setup_matplotlib", "spread_until_placed",
           "theme_bars", "theme_heatmap", "wrap_label"]
