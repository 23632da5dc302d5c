/** The Delta protocol core: public API. See each module for the protocol section it implements. */
export * from './errors.ts';
export * from './actions.ts';
export * from './storage/object-store.ts';
export * from './storage/browser-files.ts';
export * from './log/listing.ts';
export * from './log/commit-reader.ts';
export * from './log/checkpoint-reader.ts';
export * from './snapshot.ts';
export * from './history.ts';
export * from './stats.ts';
export * from './table.ts';
export * from './schema.ts';
export * from './features.ts';
export * from './deletion-vectors.ts';
export { setParquetWasmUrl } from './parquet.ts';
export * from './changes.ts';
export * from './aggregates.ts';
