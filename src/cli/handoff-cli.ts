/**
 * `--as spark|pyspark|deltalake|duckdb|trino` for the `scan`, `sql` and `changes` commands: prints the
 * same question as ready-to-run code for that engine (see `src/explore/handoff.ts`) instead of
 * reading the table. Nothing is read; no secret is printed (S3 and lakeFS credentials are read from
 * the environment by the printed code).
 *
 * Locations: a local folder; `s3://bucket/prefix` (endpoint from `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL`, region from `AWS_REGION` / `AWS_DEFAULT_REGION`, as the CLI reads them);
 * `lakefs://repository/ref/path` (endpoint from `LAKECTL_SERVER_ENDPOINT_URL`); `http(s)://`.
 */
import { dataQueryFromSql, handoff, HANDOFF_ENGINES, type HandoffEngine, type HandoffQuery, type TableLocation } from '../explore/handoff.ts';

/** The `--as` values. */
export const AS_ENGINES: readonly string[] = HANDOFF_ENGINES;

/** A command-line location as a hand-off {@link TableLocation}. @throws Error for an unusable location. */
export function locationOf(location: string, env: Record<string, string | undefined> = process.env): TableLocation {
  const m = /^([a-z0-9]+):\/\/(.*)$/i.exec(location);
  if (!m) return { kind: 'local', path: location };
  const [, scheme, rest] = m;
  const parts = rest.split('/').filter(Boolean);
  switch (scheme.toLowerCase()) {
    case 's3': {
      const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
      return { kind: 's3', bucket: parts[0] ?? '', prefix: parts.slice(1).join('/'), endpoint, region, pathStyle: !!endpoint };
    }
    case 'lakefs': {
      const endpoint = env.LAKECTL_SERVER_ENDPOINT_URL;
      if (!endpoint) throw new Error('Set LAKECTL_SERVER_ENDPOINT_URL to the lakeFS server so the code can use its S3 gateway.');
      return { kind: 'lakefs', endpoint: endpoint.replace(/\/api\/v1\/?$/, ''), repository: parts[0] ?? '', ref: parts[1] ?? '', path: parts.slice(2).join('/') };
    }
    case 'http':
    case 'https':
      return { kind: 'http', url: location };
    default:
      throw new Error(`Unknown location scheme ${scheme}://.`);
  }
}

/**
 * What `scan` / `changes` / `sql` options ask, as a hand-off question. For `sql`, `args[0]` is the
 * query: a plain `SELECT <columns|*> FROM t|"t$rows" [WHERE …] [LIMIT n]` is carried over
 * (`"t$rows"`: with row tracking, see `dataQueryFromSql`); other SQL is refused.
 * @throws Error when it cannot be written (a time range for changes, SQL of another shape).
 */
export function queryOf(
  command: string,
  o: { version?: number; timestamp?: string; columns?: string[]; where?: string; limit?: number; from?: number; to?: number; fromTimestamp?: unknown; toTimestamp?: unknown },
  args: string[] = [],
): HandoffQuery {
  if (command === 'scan') return { kind: 'data', version: o.version, timestamp: o.timestamp, columns: o.columns, where: o.where, limit: o.limit };
  if (command === 'sql') {
    const { query, translated } = dataQueryFromSql(args[0] ?? '', o.version);
    if (!translated) {
      throw new Error('--as carries over only SELECT <columns or *> FROM t (or "t$rows") [WHERE …] [LIMIT n]; write the question with scan options or in that shape.');
    }
    return o.timestamp !== undefined && o.version === undefined ? { ...query, timestamp: o.timestamp } : query;
  }
  if (command === 'changes') {
    if (o.fromTimestamp !== undefined || o.toTimestamp !== undefined || o.from === undefined) {
      throw new Error('--as writes the Change Data Feed of a version range: give --from V (and --to V).');
    }
    return { kind: 'changes', startVersion: o.from, endVersion: o.to };
  }
  throw new Error(`--as works with scan, sql and changes, not ${command}.`);
}

/**
 * The text `--as` prints: the code, then its notes as comments. Returns `{ error }` with the
 * engine's reason when it cannot express the question.
 */
export function handoffText(engine: HandoffEngine, location: TableLocation, query: HandoffQuery): { text: string } | { error: string } {
  const r = handoff(engine, location, query);
  if (!r.ok) return { error: r.unsupported };
  const comment = r.language === 'sql' ? '--' : '#';
  return { text: [r.code, ...r.notes.map((n) => `${comment} ${n}`)].join('\n') + '\n' };
}
