/**
 * The data plane: SQL over Delta snapshots with DuckDB-WASM. Browser hosts also import
 * `./engine-browser.ts` (`openBrowserEngine`), which Node must not import.
 */
export * from './engine.ts';
export * from './scan-plan.ts';
export * from './file-registry.ts';
export * from './scan-sql.ts';
export * from './session.ts';
export * from './count-checks.ts';
export * from './changes.ts';
export * from './export.ts';
export * from './variant.ts';
export * from './values.ts';
export * from './types.ts';
export * from './sql-text.ts';
