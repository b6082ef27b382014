"""Ground-truth scan for the advisor's integration tests: reads a file with pandas' defaults and
prints a FootprintResult (src/core/footprint/types.ts) measured by pandas itself, so the advisor
can be checked against real pandas independently of Headroom's scanning engine.
Usage: python pandas_profile.py FILE csv|tsv|parquet"""
import json, sys, warnings

import numpy as np
import pandas as pd

warnings.simplefilter("ignore")
path, fmt = sys.argv[1], sys.argv[2]
df = pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path, sep="\t" if fmt == "tsv" else ",")
try:
    import pyarrow  # noqa: F401
    has_arrow = True
except ImportError:
    has_arrow = False


def category_bytes(name):
    """What `category` costs on this format's way in, measured: read_csv(dtype=...) or .astype."""
    if fmt == "parquet":
        converted = df[name].astype("category")
    else:
        converted = pd.read_csv(path, sep="\t" if fmt == "tsv" else ",", usecols=[name], dtype={name: "category"})[name]
    return int(converted.memory_usage(deep=True, index=False))


def is_date(values):
    for fmt_ in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            pd.to_datetime(pd.Series(values), format=fmt_)
            return True
        except (ValueError, TypeError):
            pass
    return False


BOOLEAN_SPELLINGS = {"True", "TRUE", "true", "False", "FALSE", "false"}
rows = len(df)
mem = df.memory_usage(deep=True)
columns = []
for name in df.columns:
    s = df[name]
    nonnull = s.dropna()
    dtype = str(s.dtype)
    values = list(nonnull)
    kinds = {type(v).__name__ for v in values}
    col = dict(name=str(name), dtype=dtype, bytes=int(mem[name]), nulls=int(s.isna().sum()), distinct=None,
               highCardinality=False, valueKind="empty", min=None, max=None, zeros=0, allIntegral=False,
               float32=None, dateLike=False, oddBoolSpellings=[], categoryBytes=None)
    if values and kinds <= {"bool", "bool_"}:
        col["valueKind"] = "bool"
        if fmt != "parquet":
            # the spellings as written: nullable boolean takes True/TRUE/true and False/FALSE/false only
            written = pd.read_csv(path, sep="\t" if fmt == "tsv" else ",", usecols=[name], dtype=str)[name].dropna()
            col["oddBoolSpellings"] = sorted(set(written) - BOOLEAN_SPELLINGS)
    elif values and kinds <= {"str"}:
        col["valueKind"] = "string"
        uniq = len(set(values))
        if uniq <= 1000:
            col["distinct"] = uniq
            col["categoryBytes"] = category_bytes(name)
        else:
            col["highCardinality"] = True
        col["dateLike"] = is_date(values)
    elif values and pd.api.types.is_numeric_dtype(s.dtype):
        arr = nonnull.to_numpy()
        integral = bool(np.all(np.mod(arr, 1) == 0)) if arr.dtype.kind == "f" else True
        col["valueKind"] = "integer" if arr.dtype.kind in "iu" else "float"
        col["min"], col["max"] = float(arr.min()), float(arr.max())
        col["zeros"] = int((arr == 0).sum())
        col["distinct"] = int(len(np.unique(arr)))
        if arr.dtype.kind == "f":
            col["allIntegral"] = integral
            if integral and col["nulls"] > 0:
                col["valueKind"] = "integer"
            f32 = arr.astype(np.float32)
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.where(arr != 0, np.abs(f32.astype(np.float64) - arr) / np.abs(arr), 0)
            keeps = all(float(repr(float(np.float32(v)))) == v or float(str(np.float32(v))) == v for v in arr)
            col["float32"] = dict(maxRelativeError=float(rel.max()) if len(rel) else 0.0, preservesWrittenPrecision=keeps)
    columns.append(col)

index_bytes = int(mem["Index"])
print(json.dumps(dict(
    file=path, format=fmt, compression=None, fileBytes=0, rows=rows, indexBytes=index_bytes,
    totalBytes=int(mem.sum()), columns=columns,
    model=dict(pandas=".".join(pd.__version__.split(".")[:2]), python="%d.%d" % sys.version_info[:2], pyarrow=has_arrow),
    mode="exact", uncertaintyPercent=0, warnings=[], elapsedMs=0,
)))
