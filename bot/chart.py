"""Charts of table answers: lines for a trend, bars for a compare or a rank.

Chinese labels are drawn with Noto Sans CJK SC from the `noto-cjk-sans-otc` package (SIL Open
Font License 1.1), which the project's install brings, so no system font is assumed and no
label is drawn as empty boxes. Rows the reports do not state are shown as such (a gap in the
line, a bar slot marked 未载明), never drawn as 0.
"""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import Answer

SOURCE = "数据来源：各机关政府信息公开工作年度报告"
FAMILY = "Noto Sans CJK SC"
MAX_BARS = 30
SIZE = (10.0, 6.0)  # inches, at DPI: 1000 × 600 pixels
DPI = 100


@lru_cache(maxsize=1)
def font_path() -> str:
    """Register the bundled CJK font with matplotlib once; its file."""
    import noto_cjk_sans_otc
    from matplotlib import font_manager

    path = str(noto_cjk_sans_otc.FONT_PATH)
    font_manager.fontManager.addfont(path)
    return path


def _label(a: Answer) -> str:
    first = a.rows[0]
    unit = next((r["unit"] for r in a.rows if r["unit"]), "")
    return f"{first.get('label', '')}（{unit}）" if unit else str(first.get("label", ""))


def draw(a: Answer, out: str | Path | io.BytesIO) -> None:
    """Draw a table answer to a PNG file (or buffer). ValueError when the answer is not a table."""
    if not a.rows or not any(r["value"] is not None for r in a.rows):
        raise ValueError(
            "this answer has no table of numbers to chart (ask a trend, compare or rank question)"
        )
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font_path()
    zh = a.language == "zh"
    missing = "未载明" if zh else "not stated"
    with plt.rc_context({"font.family": [FAMILY, "DejaVu Sans"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
        try:
            if a.kind == "trend":
                years = [r["year"] for r in a.rows]
                values = [r["value"] if r["value"] is not None else float("nan") for r in a.rows]
                ax.plot(years, values, marker="o", linewidth=2)
                ticks = [f"{y}\n{missing}" if r["value"] is None else str(y) for y, r in zip(years, a.rows)]
                ax.set_xticks(years, ticks)
                ax.set_xlabel("年份" if zh else "year")
            else:
                rows = a.rows[:MAX_BARS]
                many_years = len({r["year"] for r in rows}) > 1
                names = [r["agency"] + (f" {r['year']}" if many_years else "") for r in rows]
                values = [r["value"] or 0 for r in rows]
                colors = ["#3b6ea8" if r["value"] is not None else "#ffffff" for r in rows]
                bars = ax.barh(range(len(rows)), values, color=colors)
                for bar, r in zip(bars, rows):
                    text = missing if r["value"] is None else _num(r["value"])
                    ax.text(
                        bar.get_width(),
                        bar.get_y() + bar.get_height() / 2,
                        " " + text,
                        va="center",
                        fontsize=9,
                    )
                ax.set_yticks(range(len(rows)), names, fontsize=9 if len(rows) < 15 else 7)
                ax.invert_yaxis()  # the first row of the answer at the top
            ax.set_ylabel(_label(a)) if a.kind == "trend" else ax.set_xlabel(_label(a))
            title = a.text.splitlines()[0].rstrip("：:")
            ax.set_title("\n".join(textwrap.wrap(title, 48)), fontsize=12)
            ax.grid(alpha=0.3)
            fig.text(0.01, 0.01, SOURCE, fontsize=8, color="#555555")
            fig.tight_layout(rect=(0, 0.04, 1, 1))
            fig.savefig(out, format="png", dpi=DPI)
        finally:
            plt.close(fig)


def _num(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
