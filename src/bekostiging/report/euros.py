"""Scaled integers -> exact euros: where the figures cross the API boundary.

Inside, every figure is an Int64 of scaled units (cents, hundredths of a percent,
ten-thousandths of a fraction: `figures.SCALES`), so sums stay exact and fast. Outside,
people and scripts read euros: a polars `Decimal(20, scale)` column per scaled column,
converted with integer arithmetic only (never through a float). An Int64 has at most 19
digits, so a precision of 20 holds any value the figures can carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

PRECISION = 20


def decimal_dtype(scale: int) -> pl.DataType:
    import polars as pl

    return pl.Decimal(PRECISION, scale)


def in_euros(
    frame: pl.DataFrame, scales: Mapping[str, int], columns: list[str] | None = None
) -> pl.DataFrame:
    """`frame` (its `columns`, in that order) with every scaled column as an exact Decimal.

    A list of `{party, amount}` structs (shared savings' `recipients`) gets its amounts
    in euros too.
    """
    import polars as pl

    columns = columns if columns is not None else frame.columns
    exprs = []
    for column in columns:
        exprs.append(_scaled(pl.col(column), scales[column]) if column in scales else pl.col(column))
    out = frame.select(exprs)
    if "recipients" in columns:
        out = out.with_columns(_recipients(frame.get_column("recipients")))
    return out


def _scaled(expr: pl.Expr, scale: int) -> pl.Expr:
    """Int64 n -> the Decimal n × 10^-scale: an exact product of decimals."""
    import polars as pl

    if scale == 0:
        return expr.cast(decimal_dtype(0))
    # From its text: a polars Decimal made from a Python `Decimal` imports numpy (~0.07 s
    # of a one-year run); the cast of "0.01" is the same exact unit.
    unit = pl.lit(str(Decimal(1).scaleb(-scale))).cast(pl.Decimal(38, scale))
    return (expr.cast(pl.Decimal(38, 0)) * unit).cast(decimal_dtype(scale))


def _recipients(values: pl.Series) -> pl.Series:
    """Each `{party, amount}` struct's amount in euros, as an expression (a frame built
    from Python `Decimal`s would import numpy)."""
    import polars as pl

    item = pl.element().struct
    euros = pl.struct(item.field("party"), _scaled(item.field("amount"), 2).alias("amount"))
    return values.to_frame().select(pl.col(values.name).list.eval(euros)).to_series()


#: Columns that hold a party's id; each export adds the party's name in `<column>_name`.
PARTY_COLUMNS = ("party", "payer", "payee", "recipient")


def with_names(frame: pl.DataFrame, names: Mapping[str, str]) -> pl.DataFrame:
    """`frame` with, after its own columns, the name of the party in each party column
    (`party_name`, `payer_name`, ...; the id itself where it names no party), so a reader
    of a spreadsheet sees who is meant without looking up ids."""
    import polars as pl

    present = [c for c in PARTY_COLUMNS if c in frame.columns and f"{c}_name" not in frame.columns]
    return frame.with_columns(
        pl.col(c).replace_strict(dict(names), default=pl.col(c), return_dtype=pl.String).alias(f"{c}_name")
        for c in present
    )


def with_names_by(frame: pl.DataFrame, key: str, names: Mapping[int, Mapping[str, str]]) -> pl.DataFrame:
    """`with_names` for rows of several scenarios: each row named by `names[row[key]]`, the
    parties of its own scenario (a party id may have another name in another one)."""
    import polars as pl

    present = [c for c in PARTY_COLUMNS if c in frame.columns and f"{c}_name" not in frame.columns]
    lookup = pl.DataFrame(
        [(k, party, name) for k, parties in names.items() for party, name in parties.items()],
        schema={key: pl.Int64, "_party": pl.String, "_name": pl.String},
        orient="row",
    )
    for c in present:
        frame = frame.join(
            lookup.rename({"_party": c, "_name": f"{c}_name"}), on=[key, c], how="left", maintain_order="left"
        ).with_columns(pl.col(f"{c}_name").fill_null(pl.col(c)))
    return frame
