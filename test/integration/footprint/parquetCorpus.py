# Writes the Parquet corpus for test/integration/footprint/parquet.test.ts: every physical type,
# nulls, dictionaries, each compression codec, page shapes, and a pandas-written frame with its index.
import sys, datetime, decimal
import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq

out = sys.argv[1]
n = 50_000
t = pa.table({
    'i8': pa.array(np.arange(n) % 100, pa.int8()),
    'i16': pa.array(np.arange(n) % 1000, pa.int16()),
    'i32': pa.array(np.arange(n), pa.int32()),
    'i64': pa.array(np.arange(n) * 3, pa.int64()),
    'u8': pa.array(np.arange(n) % 200, pa.uint8()),
    'u16': pa.array(np.arange(n) % 60000, pa.uint16()),
    'u32': pa.array(np.arange(n), pa.uint32()),
    'u64': pa.array(np.arange(n), pa.uint64()),
    'f32': pa.array(np.arange(n) / 3, pa.float32()),
    'f64': pa.array(np.arange(n) / 7, pa.float64()),
    'fnull': pa.array([None if i % 4 == 0 else i / 2 for i in range(n)], pa.float64()),
    'b': pa.array(np.arange(n) % 2 == 0),
    'bnull': pa.array([None if i % 10 == 0 else i % 3 == 0 for i in range(n)], pa.bool_()),
    'inull': pa.array([None if i % 10 == 0 else i for i in range(n)], pa.int64()),
    'u8null': pa.array([None if i % 11 == 0 else i % 100 for i in range(n)], pa.uint8()),
    's': pa.array([f"s{i % 1000}é" if i % 7 else f"日本{i}😀" for i in range(n)]),
    'snull': pa.array([None if i % 9 == 0 else f"v{i}" for i in range(n)]),
    'sempty': pa.array(["" if i % 3 else "x" for i in range(n)]),
    'dict': pa.array([f"c{(i * 7) % 10}" for i in range(n)]).dictionary_encode(),
    'dictnull': pa.array([None if i % 5 == 0 else f"k{i % 300}" for i in range(n)]).dictionary_encode(),
    'date': pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 1000) for i in range(n)], pa.date32()),
    'dnull': pa.array([None if i % 5 == 0 else datetime.date(2020, 1, 1) for i in range(n)], pa.date32()),
    'ts_ms': pa.array(np.arange(n) * 1000, pa.timestamp('ms')),
    'ts_us_tz': pa.array(np.arange(n), pa.timestamp('us', tz='UTC')),
    'ts_ns': pa.array(np.arange(n), pa.timestamp('ns')),
    'dec': pa.array([decimal.Decimal(i) / 100 for i in range(n)], pa.decimal128(10, 2)),
    'bin': pa.array([bytes([i % 256]) * (i % 5) for i in range(n)], pa.binary()),
})
for codec in ['snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'none']:
    pq.write_table(t, f'{out}/types-{codec}.parquet', compression=codec, row_group_size=20_000)
# The page shapes the engine decodes itself: v2 data pages, plain pages only, and dictionaries that
# overflow into plain pages halfway through a column chunk.
pq.write_table(t, f'{out}/pages-v2.parquet', data_page_version='2.0', row_group_size=20_000)
pq.write_table(t, f'{out}/pages-plain.parquet', use_dictionary=False, row_group_size=20_000)
pq.write_table(t, f'{out}/pages-fallback.parquet', dictionary_pagesize_limit=2048, data_page_size=4096)
# Over 8 MB: its columns are read in the worker pool, one task each.
m = 400_000
r = np.random.default_rng(7)
pq.write_table(pa.table({
    'id': np.arange(m),
    'text': np.char.add('t', r.integers(0, 10 ** 9, m).astype(str)),
    'city': np.array(['Paris', 'São Paulo', 'Zürich', '東京'], dtype=object)[r.integers(0, 4, m)],
    'price': pa.array(np.round(r.random(m) * 100, 4), mask=r.random(m) < 0.05),
    'when': (np.datetime64('2023-01-01') + r.integers(0, 365, m)).astype(str),
}), f'{out}/big-pool.parquet', compression='none', row_group_size=150_000)
# Over 4 MB of text whose row groups each repeat their own 2,000 values (200,000 in all): a quick
# sample of 16 row groups sees 32,000 of them.
g = np.repeat(np.arange(100), 4000)
pq.write_table(pa.table({
    'grouped': np.char.add('grp-', (g * 2000 + np.tile(np.arange(4000) % 2000, 100)).astype(str)),
}), f'{out}/big-grouped.parquet', compression='none', use_dictionary=False, row_group_size=4000)
df = pd.DataFrame({'a': np.arange(1000), 'name': [f'n{i}' for i in range(1000)], 'cat': pd.Categorical([['x', 'y', 'z'][i % 3] for i in range(1000)])})
df.to_parquet(f'{out}/pandas-range.parquet')
df.set_index('name').to_parquet(f'{out}/pandas-index.parquet')
pq.write_table(pa.table({'a': pa.array([], pa.int64())}), f'{out}/empty-table.parquet')
