"""Builds test/fixtures/tables-generated/{shredded-variant,shredded-variant-twin}: two Delta tables
holding the same logical variant values, once shredded (Parquet VariantShredding.md: `metadata`,
`value`, `typed_value`) and once unshredded (`metadata`, `value` only).

Hand-built from the specifications because no writer on this machine produces shredded variant
files (the corpus's spark-shredded-variant-preview-delta carries the feature but its files are not
shredded). The Variant binary encoding follows Parquet VariantEncoding.md; the Delta log follows
PROTOCOL.md "Variant Data Type" and "Variant Shredding" (reader 3 / writer 7 with
variantType + variantShredding).

Run with a Python that has pyarrow (e.g. the peers venv):
    python test/gen/shredded-variant.py
"""
import datetime
import json
import os
import shutil
import struct
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'tables-generated')
KEYS = sorted(['a', 'b', 'c', 'd', 'day', 'tags', 'ts'])


def metadata(keys=KEYS):
    """Metadata with a sorted dictionary, 1-byte offsets."""
    body = b''.join(k.encode() for k in keys)
    offs, o = [], 0
    for k in keys:
        offs.append(o)
        o += len(k.encode())
    offs.append(o)
    assert o < 256
    return bytes([0x01 | 0x10, len(keys)]) + bytes(offs) + body


def v_null():
    return b'\x00'


def v_bool(b):
    return bytes([(1 if b else 2) << 2])


def v_int8(i):
    return bytes([3 << 2]) + struct.pack('<b', i)


def v_int64(i):
    return bytes([6 << 2]) + struct.pack('<q', i)


def v_str(s):
    b = s.encode()
    assert len(b) < 64
    return bytes([(len(b) << 2) | 1]) + b


def v_dec4(unscaled, scale):
    return bytes([8 << 2, scale]) + struct.pack('<i', unscaled)


def v_date(days):
    return bytes([11 << 2]) + struct.pack('<i', days)


def v_ts(micros):
    return bytes([12 << 2]) + struct.pack('<q', micros)


def v_obj(fields):
    """fields: dict key -> encoded value; field ids in key order, 1-byte ids and offsets."""
    keys = sorted(fields)
    ids = bytes(KEYS.index(k) for k in keys)
    offs, data = [], b''
    for k in keys:
        offs.append(len(data))
        data += fields[k]
    offs.append(len(data))
    assert len(data) < 256
    return bytes([0x02, len(keys)]) + ids + bytes(offs) + data


def v_arr(items):
    offs, data = [], b''
    for it in items:
        offs.append(len(data))
        data += it
    offs.append(len(data))
    return bytes([0x03, len(items)]) + bytes(offs) + data


DAY = (datetime.date(2024, 10, 24) - datetime.date(1970, 1, 1)).days
TS = 1729794114937123  # 2024-10-24 18:21:54.937123 UTC
MISSING = {'value': None, 'typed_value': None}

# Each row: (id, n: (value, typed) or None, v: dict(value, typed_value) or None, unshredded v bytes or None)
ROWS = []


def row(id_, n, v, n_plain, v_plain):
    ROWS.append((id_, n, v, n_plain, v_plain))


def f(value=None, typed=None):
    return {'value': value, 'typed_value': typed}


def obj_typed(a=MISSING, b=MISSING, tags=MISSING, ts=MISSING, d=MISSING, day=MISSING):
    return {'a': a, 'b': b, 'tags': tags, 'ts': ts, 'd': d, 'day': day}


# 0: fully shredded object with every typed primitive
row(0, (None, 34), f(None, obj_typed(a=f(None, 1), b=f(None, 'x'), tags=f(None, [f(None, 'p'), f(None, 'q')]),
                                     ts=f(None, TS), d=f(None, 1230), day=f(None, DAY))),
    v_int8(34), v_obj({'a': v_int8(1), 'b': v_str('x'), 'tags': v_arr([v_str('p'), v_str('q')]),
                       'ts': v_ts(TS), 'd': v_dec4(1230, 2), 'day': v_date(DAY)}))
# 1: partially shredded object: "c" lives in value
row(1, (v_null(), None), f(v_obj({'c': v_bool(True)}), obj_typed(a=f(None, 2), b=f(None, 'y'))),
    v_null(), v_obj({'a': v_int8(2), 'b': v_str('y'), 'c': v_bool(True)}))
# 2: not an object: a variant string in value, typed_value null
row(2, (v_str('n/a'), None), f(v_str('not an object'), None), v_str('n/a'), v_str('not an object'))
# 3: a field present with a variant null
row(3, (None, 100), f(None, obj_typed(a=f(v_null(), None), b=f(None, 'z'))), v_int8(100),
    v_obj({'a': v_null(), 'b': v_str('z')}))
# 4: a field that is not of its shredded type; an array with unshredded elements
row(4, (None, 7), f(None, obj_typed(a=f(v_str('str'), None), tags=f(None, [f(None, 'r'), f(v_null(), None), f(v_int8(5), None)]))),
    v_int8(7), v_obj({'a': v_str('str'), 'tags': v_arr([v_str('r'), v_null(), v_int8(5)])}))
# 5: SQL NULL variants
row(5, None, None, None, None)
# 6: empty object
row(6, (None, -1), f(None, obj_typed()), v_int8(-1), v_obj({}))
# 7: a top-level int, not an object
row(7, (v_str('x'), None), f(v_int8(42), None), v_str('x'), v_int8(42))
# 8: a variant null (group present, value 00)
row(8, (None, 9007199254740993), f(v_null(), None), v_int64(9007199254740993), v_null())

META = metadata()

leaf_str = pa.struct([pa.field('value', pa.binary()), pa.field('typed_value', pa.string())])
leaf_i64 = pa.struct([pa.field('value', pa.binary()), pa.field('typed_value', pa.int64())])
typed_v = pa.struct([
    pa.field('a', leaf_i64, nullable=False),
    pa.field('b', leaf_str, nullable=False),
    pa.field('d', pa.struct([pa.field('value', pa.binary()), pa.field('typed_value', pa.decimal128(9, 2))]), nullable=False),
    pa.field('day', pa.struct([pa.field('value', pa.binary()), pa.field('typed_value', pa.date32())]), nullable=False),
    pa.field('tags', pa.struct([pa.field('value', pa.binary()),
                                pa.field('typed_value', pa.list_(pa.field('element', leaf_str, nullable=False)))]), nullable=False),
    pa.field('ts', pa.struct([pa.field('value', pa.binary()), pa.field('typed_value', pa.timestamp('us', tz='UTC'))]), nullable=False),
])
shredded_schema = pa.schema([
    pa.field('id', pa.int64()),
    pa.field('n', pa.struct([pa.field('metadata', pa.binary(), nullable=False), pa.field('value', pa.binary()),
                             pa.field('typed_value', pa.int64())])),
    pa.field('v', pa.struct([pa.field('metadata', pa.binary(), nullable=False), pa.field('value', pa.binary()),
                             pa.field('typed_value', typed_v)])),
])
plain_variant = pa.struct([pa.field('value', pa.binary(), nullable=False), pa.field('metadata', pa.binary(), nullable=False)])
plain_schema = pa.schema([pa.field('id', pa.int64()), pa.field('n', plain_variant), pa.field('v', plain_variant)])


def to_py_typed(t):
    if t is None:
        return None
    out = {}
    for k, leaf in t.items():
        tv = leaf['typed_value']
        if k == 'd' and tv is not None:
            import decimal
            tv = decimal.Decimal(tv).scaleb(-2)
        if k == 'day' and tv is not None:
            tv = datetime.date(1970, 1, 1) + datetime.timedelta(days=tv)
        if k == 'ts' and tv is not None:
            tv = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=tv)
        out[k] = {'value': leaf['value'], 'typed_value': tv}
    return out


def shredded_rows():
    ids, ns, vs = [], [], []
    for id_, n, v, _, _ in ROWS:
        ids.append(id_)
        ns.append(None if n is None else {'metadata': META, 'value': n[0], 'typed_value': n[1]})
        vs.append(None if v is None else {'metadata': META, 'value': v['value'], 'typed_value': to_py_typed(v['typed_value'])})
    return pa.table({'id': ids, 'n': ns, 'v': vs}, schema=shredded_schema)


def plain_rows():
    ids, ns, vs = [], [], []
    for id_, _, _, n, v in ROWS:
        ids.append(id_)
        ns.append(None if n is None else {'value': n, 'metadata': META})
        vs.append(None if v is None else {'value': v, 'metadata': META})
    return pa.table({'id': ids, 'n': ns, 'v': vs}, schema=plain_schema)


DELTA_SCHEMA = json.dumps({'type': 'struct', 'fields': [
    {'name': 'id', 'type': 'long', 'nullable': True, 'metadata': {}},
    {'name': 'n', 'type': 'variant', 'nullable': True, 'metadata': {}},
    {'name': 'v', 'type': 'variant', 'nullable': True, 'metadata': {}},
]})


def write_table(name, table, features, config):
    root = os.path.join(OUT, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, '_delta_log'))
    file = f'part-00000-{uuid.UUID(int=len(name)).hex[:8]}-handbuilt.snappy.parquet'
    pq.write_table(table, os.path.join(root, file), compression='snappy', store_decimal_as_integer=True)
    size = os.path.getsize(os.path.join(root, file))
    ts = 1764720000000  # 2025-12-03T00:00:00Z, fixed so the table is reproducible
    ids = table.column('id').to_pylist()
    actions = [
        {'commitInfo': {'timestamp': ts, 'operation': 'WRITE', 'operationParameters': {'mode': 'ErrorIfExists'},
                        'engineInfo': 'delta-explorer test/gen/shredded-variant.py (hand-built from the spec)'}},
        {'protocol': {'minReaderVersion': 3, 'minWriterVersion': 7, 'readerFeatures': features, 'writerFeatures': features}},
        {'metaData': {'id': str(uuid.UUID(int=len(name) * 7919)), 'format': {'provider': 'parquet', 'options': {}},
                      'schemaString': DELTA_SCHEMA, 'partitionColumns': [], 'configuration': config, 'createdTime': ts}},
        {'add': {'path': file, 'partitionValues': {}, 'size': size, 'modificationTime': ts, 'dataChange': True,
                 'stats': json.dumps({'numRecords': len(ids), 'minValues': {'id': min(ids)}, 'maxValues': {'id': max(ids)},
                                      'nullCount': {'id': 0}})}},
    ]
    with open(os.path.join(root, '_delta_log', '00000000000000000000.json'), 'w') as fh:
        for a in actions:
            fh.write(json.dumps(a, separators=(',', ':')) + '\n')


write_table('shredded-variant', shredded_rows(), ['variantType', 'variantShredding'], {'delta.enableVariantShredding': 'true'})
write_table('shredded-variant-twin', plain_rows(), ['variantType'], {})
print('ok')
