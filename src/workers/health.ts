/** Moved to `src/explore/health.ts` (the view-model layer); re-exported here until the worker service imports it from there. */
export * from '../explore/health.ts';
