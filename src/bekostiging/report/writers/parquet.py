"""Parquet: one table, with money as exact decimals (Decimal(20, 2); fractions (20, 4)).

A column of values as written (a tornado's parameter values, a check's bounds: decimals
of differing scale, an `Object` column in the frame) becomes one exact decimal column
with the largest scale among them.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any


def write(result: Any, table: str | None, *, dialect: str = "standard", lang: str = "nl") -> bytes:
    return frame_parquet(result.table(table or result.default_table))


def frame_parquet(frame: Any) -> bytes:
    import polars as pl

    objects = [c for c, dtype in frame.schema.items() if dtype == pl.Object]
    if objects:
        frame = frame.with_columns(_exact(frame.get_column(c)) for c in objects)
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=True)
    return buffer.getvalue()


def _exact(values: Any) -> Any:
    import polars as pl

    numbers: list[Decimal | None] = values.to_list()
    exponents = [n.as_tuple().exponent for n in numbers if n is not None]
    scale = max([0, *(-e for e in exponents if isinstance(e, int))])
    return pl.Series(values.name, numbers, dtype=pl.Decimal(38, scale))
