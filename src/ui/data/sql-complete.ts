/**
 * Schema-aware completion for the SQL editor (CodeMirror 6 `CompletionSource`): the open table's
 * columns (from the worker's schema rows, `summary.schema`, with their Delta types), nested struct fields after
 * `column.`, the table names the query session knows (`t`, `"t@v3"`, `"t@2024-01-01T00:00:00Z"`,
 * `"t$history"`, `"t$files"`, `"t$partitions"`, `"t$properties"`, `"t$rows"`, `table_changes(a, b)`),
 * the metadata tables' columns, the row-tracking fields of `"t$rows"` after `_metadata.`, and DuckDB functions (a built-in list, replaced by the engine's own
 * `duckdb_functions()` once it has started). Keywords come from `@codemirror/lang-sql`.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { SchemaRow, SchemaView } from '../../explore/schema-tree.ts';

/** A column (or nested field) of the table, as the completion offers it. */
export interface SchemaNode {
  name: string;
  /** The Delta type name, struct contents elided (`long`, `struct`, `array<string>`, `map<string,integer>`, `decimal(10,2)`). */
  type: string;
  /** Fields of a struct (also of an array's struct elements, reached by `col[1].`). */
  children?: SchemaNode[];
}

/** What the completion knows about the open table. */
export interface CompletionInfo {
  columns: SchemaNode[];
  /** The version `t` stands for, and the latest one. */
  version: number;
  latestVersion: number;
  /** DuckDB function names (lower case). */
  functions: readonly string[];
}

/** Columns of the metadata tables (`src/query/session.ts`). */
export const METADATA_TABLES: Record<string, string[]> = {
  '"t$history"': ['version', 'timestamp', 'user_id', 'user_name', 'operation', 'operation_parameters', 'cluster_id', 'read_version', 'isolation_level', 'is_blind_append', 'operation_metrics'],
  '"t$files"': ['path', 'partition_values', 'size_bytes', 'modification_time', 'num_records', 'deleted_records', 'has_deletion_vector', 'stats'],
  '"t$partitions"': ['file_count', 'total_size_bytes', 'record_count', 'deleted_record_count'],
  '"t$properties"': ['key', 'value'],
};

/**
 * The `_metadata` column of `"t$rows"` (row tracking, `src/query/row-tracking.ts`): Spark's
 * `_metadata.row_id` / `_metadata.row_commit_version`, plus the row's index in its data file.
 */
export const ROW_METADATA: SchemaNode = {
  name: '_metadata',
  type: 'struct',
  children: [
    { name: 'row_id', type: 'long' },
    { name: 'row_commit_version', type: 'long' },
    { name: 'row_index', type: 'long' },
  ],
};

/** Common DuckDB functions, offered until the engine's own list is known. */
export const DUCKDB_FUNCTIONS: readonly string[] = [
  'abs', 'any_value', 'approx_count_distinct', 'approx_quantile', 'arg_max', 'arg_min', 'array_agg', 'array_length', 'avg', 'bit_count', 'bool_and', 'bool_or',
  'cardinality', 'cast', 'ceil', 'coalesce', 'concat', 'concat_ws', 'contains', 'corr', 'count', 'count_if', 'covar_pop', 'current_date', 'current_timestamp',
  'date_diff', 'date_part', 'date_trunc', 'datediff', 'day', 'dayname', 'dayofweek', 'decode', 'encode', 'ends_with', 'epoch', 'epoch_ms', 'exp', 'extract',
  'first', 'flatten', 'floor', 'format', 'from_json', 'gen_random_uuid', 'generate_series', 'greatest', 'hash', 'hour', 'if', 'ifnull', 'ilike', 'instr',
  'isnan', 'json_extract', 'json_extract_string', 'json_keys', 'json_structure', 'json_valid', 'last', 'least', 'left', 'len', 'length', 'levenshtein', 'like',
  'list_aggregate', 'list_contains', 'list_distinct', 'list_filter', 'list_sort', 'list_transform', 'list_value', 'ln', 'log', 'log10', 'log2', 'lower', 'lpad',
  'ltrim', 'make_date', 'make_timestamp', 'map', 'map_keys', 'map_values', 'max', 'max_by', 'md5', 'mean', 'median', 'min', 'min_by', 'minute', 'mod', 'mode',
  'month', 'monthname', 'now', 'nullif', 'octet_length', 'parquet_metadata', 'parquet_schema', 'position', 'pow', 'power', 'prefix', 'quantile', 'quantile_cont',
  'quantile_disc', 'random', 'range', 'read_csv', 'read_json', 'read_parquet', 'regexp_extract', 'regexp_matches', 'regexp_replace', 'regexp_split_to_array',
  'repeat', 'replace', 'reverse', 'right', 'round', 'row_number', 'rank', 'dense_rank', 'lag', 'lead', 'ntile', 'percent_rank', 'cume_dist', 'first_value',
  'last_value', 'nth_value', 'rpad', 'rtrim', 'second', 'sha256', 'sign', 'split_part', 'sqrt', 'starts_with', 'stddev', 'stddev_pop', 'stddev_samp', 'strftime',
  'string_agg', 'string_split', 'strlen', 'strptime', 'struct_extract', 'struct_pack', 'substr', 'substring', 'sum', 'time_bucket', 'to_json', 'to_timestamp',
  'today', 'trim', 'trunc', 'try_cast', 'typeof', 'unnest', 'upper', 'uuid', 'var_pop', 'var_samp', 'variance', 'week', 'year',
];

/**
 * The columns of a snapshot as completion nodes, from the worker's schema rows (the UI does not
 * parse schemas): a struct's fields are its children, and so are the struct fields of its array
 * elements (reached by `col[1].`); map keys and values are not offered.
 */
export function schemaNodes(view: SchemaView | null | undefined): SchemaNode[] {
  if (!view) return [];
  const under = new Map<string | null, SchemaRow[]>();
  for (const r of view.rows) {
    const list = under.get(r.parent);
    if (list) list.push(r);
    else under.set(r.parent, [r]);
  }
  const fieldsUnder = (path: string | null): SchemaNode[] => {
    const out: SchemaNode[] = [];
    for (const r of under.get(path) ?? []) {
      if (r.kind === 'element') out.push(...fieldsUnder(r.path));
      else if (r.kind === 'field') {
        const node: SchemaNode = { name: r.name, type: r.shortType };
        const children = fieldsUnder(r.path);
        if (children.length) node.children = children;
        out.push(node);
      }
    }
    return out;
  };
  return fieldsUnder(null);
}

/** An identifier as SQL needs it: bare when it is a plain lower-case name, else double-quoted. */
export function sqlIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Unquotes one path segment (`"a b"` → `a b`). */
function unquote(seg: string): string {
  return seg.startsWith('"') ? seg.slice(1, -1).replace(/""/g, '"') : seg;
}

/** The table names offered (quoted where SQL needs it). */
export function tableNames(info: Pick<CompletionInfo, 'version' | 'latestVersion'>): Completion[] {
  const versions = [...new Set([0, Math.max(0, info.version - 1), info.latestVersion])].sort((a, b) => a - b);
  return [
    { label: 't', type: 'type', detail: `the table at v${info.version}`, boost: 3 },
    ...versions.map((v) => ({ label: `"t@v${v}"`, type: 'type', detail: `version ${v}` })),
    { label: '"t@2024-01-01T00:00:00Z"', type: 'type', detail: 'the version current at a time (UTC)' },
    ...Object.keys(METADATA_TABLES).map((name) => ({ label: name, type: 'type', detail: 'metadata table' })),
    { label: '"t$rows"', type: 'type', detail: 'rows + _metadata.row_id, row_commit_version (row tracking)' },
    { label: `"t@v${info.version}$files"`, type: 'type', detail: 'metadata of another version' },
    { label: 'table_changes', type: 'function', detail: 'Change Data Feed rows', apply: `table_changes(${Math.max(0, info.latestVersion - 1)}, ${info.latestVersion})` },
  ];
}

/**
 * The completion source: nested fields after `col.` (or `t.col.`), quoted table names after `"`,
 * else columns, tables, metadata columns and functions matching the word before the cursor.
 */
export function deltaCompletions(getInfo: () => CompletionInfo) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const info = getInfo();
    // A dotted path: complete the fields of the struct it names.
    const path = ctx.matchBefore(/(?:[A-Za-z_][\w$]*|"(?:[^"]|"")+")(?:\[\d*\])?(?:\.(?:[A-Za-z_]\w*|"(?:[^"]|"")+")(?:\[\d*\])?)*\.\w*$/);
    if (path) {
      const segs = path.text.replace(/\[\d*\]/g, '').match(/[A-Za-z_][\w$]*|"(?:[^"]|"")+"/g) ?? [];
      const typed = path.text.endsWith('.') ? '' : (segs.pop() ?? '');
      let nodes: SchemaNode[] | undefined = info.columns.some((c) => c.name === ROW_METADATA.name) ? info.columns : [...info.columns, ROW_METADATA];
      let i = 0;
      if (segs[0] === 't' && !info.columns.some((c) => c.name === 't')) i = 1; // t.col
      for (; i < segs.length && nodes; i++) nodes = nodes.find((n) => n.name.toLowerCase() === unquote(segs[i]).toLowerCase())?.children;
      if (nodes && i === segs.length) {
        return { from: ctx.pos - typed.length, options: nodes.map((n) => ({ label: sqlIdent(n.name), type: 'property', detail: n.type })), validFor: /^\w*$/ };
      }
      return null;
    }
    const quoted = ctx.matchBefore(/"[^"\s]*$/);
    if (quoted) return { from: quoted.from, options: tableNames(info).filter((o) => o.label.startsWith('"')) };
    const word = ctx.matchBefore(/\w+$/);
    if (!word && !ctx.explicit) return null;
    const from = word ? word.from : ctx.pos;
    const columns: Completion[] = info.columns.map((c) => ({ label: sqlIdent(c.name), type: 'property', detail: c.type, boost: 2 }));
    const meta: Completion[] = [...new Set(Object.values(METADATA_TABLES).flat())].map((c) => ({ label: c, type: 'variable', detail: 'metadata column', boost: -2 }));
    meta.push({ label: ROW_METADATA.name, type: 'variable', detail: 'row tracking ("t$rows")', boost: -2 });
    const functions: Completion[] = info.functions.map((f) => ({ label: f, type: 'function', apply: `${f}(`, boost: -1 }));
    return { from, options: [...columns, ...tableNames(info).filter((o) => !o.label.startsWith('"')), ...meta, ...functions], validFor: /^\w*$/ };
  };
}
