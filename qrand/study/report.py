"""Study sections and their report: Markdown and a self-contained HTML page.

Both files are written from the same :class:`Section` objects; the HTML embeds
every figure as a base64 PNG so the page works when opened alone.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #446; } h2 { margin-top: 2em; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.88em; }
th, td { border: 1px solid #ccd; padding: 0.25em 0.6em; text-align: right; }
th { background: #eef; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; } code { background: #f4f4f8; padding: 0 0.2em; }
"""


@dataclass
class Section:
    """One part of the report: text, tables, figures, and the data files behind them."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, Any]] = field(default_factory=list)
    figures: list[tuple[str, Path]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        """Add a paragraph (Markdown: `code` and **bold** are rendered)."""
        self.paragraphs.append(text)


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def markdown_table(frame) -> str:
    """A pipe table of ``frame`` (no extra dependency)."""
    columns = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_format(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)


def _inline(text: str) -> str:
    """Escape ``text`` and render `code` and **bold** spans."""
    import re

    out = html.escape(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)


def write_markdown(title: str, sections: list[Section], out: Path) -> Path:
    """``report.md`` with relative links to the figures."""
    parts = [f"# {title}"]
    for section in sections:
        parts.append(f"## {section.title}")
        parts.extend(section.paragraphs)
        for caption, frame in section.tables:
            parts.append(f"**{caption}**\n\n{markdown_table(frame)}")
        for caption, path in section.figures:
            parts.append(f"![{caption}]({path.relative_to(out).as_posix()})\n\n*{caption}*")
    target = out / "report.md"
    target.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return target


def write_html(title: str, sections: list[Section], out: Path) -> Path:
    """``report.html``: one self-contained page, figures embedded as base64 PNG."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    for section in sections:
        body.append(f"<h2>{html.escape(section.title)}</h2>")
        body.extend(f"<p>{_inline(p)}</p>" for p in section.paragraphs)
        for caption, frame in section.tables:
            table = frame.to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="", border=0)
            body.append(f"<p><strong>{html.escape(caption)}</strong></p>{table}")
        for caption, path in section.figures:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
            f"</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>")
    target = out / "report.html"
    target.write_text(page, encoding="utf-8")
    return target
