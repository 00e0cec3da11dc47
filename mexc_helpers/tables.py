"""Tables for the notebooks: a pandas DataFrame where pandas is installed (JupyterLab), and the same
table as HTML where it is not (the browser's Python has no compiled packages)."""

from __future__ import annotations

from html import escape


class HTMLTable:
    """Rows of a table shown as HTML, with a plain-text form for text outputs."""

    def __init__(self, rows: list[dict], columns: list[str] | None = None):
        self.rows = rows
        self.columns = list(columns) if columns else list(dict.fromkeys(name for row in rows for name in row))

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{escape(str(name))}</th>" for name in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(row.get(name, '')))}</td>" for name in self.columns) + "</tr>"
            for row in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        cells = [[str(name) for name in self.columns]] + [
            [str(row.get(n, "")) for n in self.columns] for row in self.rows
        ]
        widths = [max(len(line[i]) for line in cells) for i in range(len(self.columns))]
        return "\n".join(
            "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in cells
        )


def table(rows: list[dict], columns: list[str] | None = None):
    """``rows`` (dicts of column -> value) as a pandas DataFrame if pandas is installed, else as an HTML table.
    ``columns`` picks and orders the columns shown (default: every key, in the order first seen)."""
    try:
        import pandas as pd
    except ImportError:  # the browser build: the same table, drawn without pandas
        return HTMLTable(rows, columns)
    return pd.DataFrame(rows, columns=columns)
