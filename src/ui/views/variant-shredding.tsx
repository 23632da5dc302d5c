/**
 * The Schema tab's "Variant shredding" section (Delta protocol "Variant Shredding"; Parquet
 * `VariantShredding.md`): for each variant column, how the sampled data files store it — which
 * fields are shredded into typed `typed_value` columns and with which types, or `unshredded`
 * (`metadata` + `value` only) — and how many sampled files use each layout. Columns whose files use
 * several layouts are marked: each file is read with its own layout.
 *
 * The facts come from the worker (`variantShredding`, `src/explore/variant-shredding.ts`, footers
 * of a sample of files); this section only renders them. Shown only when the schema has a variant.
 */
import type { VariantShreddingSummary } from '../../workers/api.ts';
import { plural } from '../../explore/format.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import type { ViewProps } from './view-props.ts';

/** Which footers the worker samples (`variantShredding`: spread over the log order). */
const SAMPLE_NOTE = '(spread over the log)';

/** The section; renders nothing for a schema without variant columns. */
export function VariantShreddingSection({ client, table, summary }: Pick<ViewProps, 'client' | 'table' | 'summary'>) {
  const hasVariant = summary.schema.rows.some((r) => r.type === 'variant' || r.type.includes('variant'));
  const load = useWorkerLoad<VariantShreddingSummary | null>(
    () => (hasVariant ? client.variantShredding(table.tableId, summary.version) : Promise.resolve(null)),
    [client, table.tableId, summary.version, hasVariant],
  );
  if (!hasVariant) return null;
  const s = load.value;
  return (
    <div className="variant-shredding" data-testid="schema-shredding">
      <h3>Variant shredding</h3>
      {!s && !load.error && <p className="muted small">Reading data file footers…</p>}
      {load.error && <ErrorPanel error={load.error} />}
      {s && (
        <>
          <p className="muted small" data-testid="shredding-facts">
            {s.feature ? <>feature <code>{s.feature}</code></> : 'no shredding feature in the protocol'}
            {' · '}
            <code>delta.enableVariantShredding</code> {s.propertyEnabled ? 'true' : 'not set'}
            {' · '}
            footers of {plural(s.sampledFiles.length, 'data file')} read {SAMPLE_NOTE}
          </p>
          <table className="shredding-table">
            <thead>
              <tr>
                <th>Column</th>
                <th>Layout</th>
                <th>Shredded fields (typed_value types)</th>
                <th>Files</th>
              </tr>
            </thead>
            <tbody>
              {s.columns.map((c) => {
                const path = c.path.join('.');
                if (c.nested || !c.details.length) {
                  return (
                    <tr key={path} data-column={path} data-layout="none">
                      <td><code>{path}</code></td>
                      <td colSpan={3} className="muted small">{c.nested ? 'inside an array or map: layout not described' : 'not in the sampled files'}</td>
                    </tr>
                  );
                }
                return c.details.map((d, i) => (
                  <tr key={`${path}\u0000${d.layout}`} data-column={path} data-layout={d.layout}>
                    {i === 0 && (
                      <td rowSpan={c.details.length}>
                        <code>{path}</code>
                        {c.details.length > 1 && <span className="badge badge-warn" title="Files store this column in different layouts; each is read with its own.">{c.details.length} layouts</span>}
                      </td>
                    )}
                    <td>{d.layout === 'unshredded' ? <span className="muted small">unshredded (metadata + value)</span> : <span className="badge badge-shredded">shredded</span>}</td>
                    <td>
                      {d.fields.length > 0 && (
                        <ul className="shredded-fields">
                          {d.fields.map((f) => (
                            <li key={f.path} data-field={f.path}>
                              {f.path ? <code>{f.path}</code> : <span className="muted">the value</span>}: <code>{f.type}</code>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td className="small">{d.files}</td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
