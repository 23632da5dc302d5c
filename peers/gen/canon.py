"""Canonical JSON of Spark rows, so rows from two engines compare as multisets of strings.

The rules (mirrored by ``peers/canon.ts`` on the TypeScript side):
- null → null; booleans → true/false; strings as they are.
- integers → JSON numbers when |x| ≤ 2^53 - 1, else decimal strings.
- floats → JSON numbers; NaN, Infinity, -Infinity → the strings "NaN", "Infinity", "-Infinity".
- decimals → plain decimal strings with the column's scale (``"1.50"``, never exponent form).
- dates → ``"YYYY-MM-DD"``; timestamps → ``"YYYY-MM-DDTHH:MM:SS.ffffffZ"`` (UTC, microseconds);
  timestamp_ntz → the same without ``Z``.
- binary → base64.
- structs → objects; arrays → arrays; maps → arrays of ``[key, value]`` pairs sorted by the
  canonical JSON of the key.
- variants → the JSON value Spark renders (``VariantVal.toJson()`` parsed), canonicalised again.
A row is an object keyed by column name; its text is ``json.dumps(sort_keys=True)``.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import math
from decimal import Context, Decimal

MAX_SAFE = 2**53 - 1
WIDE = Context(prec=80)  # decimals up to 38 digits, quantized without rounding


def iso_ms(ms: int) -> str:
    t = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def ms_of(t) -> int:
    """ms since the epoch of a naive datetime in UTC (Spark's session time zone is UTC)."""
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
    d = t - dt.datetime(1970, 1, 1)
    return (d.days * 86400 + d.seconds) * 1000 + d.microseconds // 1000


def _ts(t: dt.datetime, ntz: bool) -> str:
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
    s = f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}.{t.microsecond:06d}"
    return s if ntz else s + "Z"


def canon_py(v, ntz: bool = False):
    """Canonical form of a plain Python value (delta-rs partition values; types from the value)."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if abs(v) <= MAX_SAFE else str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, dt.datetime):
        return _ts(v, ntz or v.tzinfo is None and ntz)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, dict):
        return {str(k): canon_py(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [canon_py(x) for x in v]
    return str(v)


def canon(v, t):
    """Canonical form of a Spark value ``v`` of Spark type ``t``."""
    from pyspark.sql import types as T
    if v is None:
        return None
    if isinstance(t, T.TimestampNTZType):
        return _ts(v, True)
    if isinstance(t, T.TimestampType):
        return _ts(v, False)
    if isinstance(t, T.DateType):
        return v.isoformat()
    if isinstance(t, T.DecimalType):
        # PySpark may hand over a Decimal with a larger exponent than the column's scale
        # (Decimal('-1.00E-10') in a DECIMAL(38, 10)): print it with the declared scale.
        return format(v.quantize(Decimal(1).scaleb(-t.scale), context=WIDE), "f")
    if isinstance(t, T.BinaryType):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(t, T.StructType):
        return {f.name: canon(v[f.name], f.dataType) for f in t.fields}
    if isinstance(t, T.ArrayType):
        return [canon(x, t.elementType) for x in v]
    if isinstance(t, T.MapType):
        pairs = [[canon(k, t.keyType), canon(x, t.valueType)] for k, x in v.items()]
        return sorted(pairs, key=lambda p: json.dumps(p[0], sort_keys=True))
    if type(t).__name__ == "VariantType":
        return canon_json(json.loads(v.toJson()))
    return canon_py(v)


def canon_json(v):
    """Canonical form of a parsed JSON value (a variant): numbers as in ``canon_py``."""
    if isinstance(v, dict):
        return {k: canon_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [canon_json(x) for x in v]
    return canon_py(v)


def row_text(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def rows_of(df) -> list[str]:
    fields = df.schema.fields
    out = [row_text({f.name: canon(r[i], f.dataType) for i, f in enumerate(fields)}) for r in df.collect()]
    return sorted(out)
