/** Moved to `src/explore/compare.ts` (the view-model layer); re-exported here until the worker service imports it from there. */
export * from '../explore/compare.ts';
