"""PNG charts for the feedback digest, drawn with matplotlib's object API on the Agg canvas
(no pyplot global state, no display needed, safe in a server thread)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

BLUE = "#1d4f91"
GREEN = "#2e7d32"
AMBER = "#c77700"
GREY = "#6b6b6b"


def _figure(height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: Path) -> Path:
    from matplotlib.ticker import MaxNLocator

    for ax in fig.axes:  # counts are whole numbers
        axis = ax.xaxis if ax.get_xlabel() else ax.yaxis  # the axis that carries counts
        axis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def bar_chart(path: Path, title: str, counts: Sequence[tuple[str, int]], *,
              horizontal: bool = False, color: str = BLUE) -> Path:
    """One bar per label. Horizontal bars suit long labels (themes, agencies)."""
    labels = [label for label, _ in counts]
    values = [value for _, value in counts]
    height = max(2.6, 0.38 * len(labels) + 1.2) if horizontal else 3.6
    fig = _figure(height)
    ax = fig.add_subplot()
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        bars = ax.barh(positions, values, color=color)
        ax.set_yticks(positions, labels)
        ax.set_xlabel("submissions")
    else:
        bars = ax.bar(range(len(labels)), values, color=color)
        ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 4 else 0,
                      ha="right" if len(labels) > 4 else "center")
        ax.set_ylabel("submissions")
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def grouped_chart(path: Path, title: str, groups: Sequence[str],
                  series: Sequence[tuple[str, Sequence[int], str]]) -> Path:
    """Side-by-side horizontal bars per group, e.g. working well vs getting in the way by theme."""
    fig = _figure(max(3.0, 0.5 * len(groups) + 1.4))
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    base = list(range(len(groups)))[::-1]
    for n, (name, values, color) in enumerate(series):
        offsets = [b + (len(series) / 2 - n - 0.5) * width for b in base]
        ax.barh(offsets, values, height=width, label=name, color=color)
    ax.set_yticks(base, list(groups))
    ax.set_xlabel("submissions")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)
