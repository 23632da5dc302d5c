/**
 * The scan, in three modules (issue #15 split): `scan-plan.ts` (which files a read needs: pruning
 * by partition values, statistics and LIMIT), `file-registry.ts` (registering those files with
 * DuckDB, footers first) and `scan-sql.ts` (the SQL that turns them into logical rows). This
 * barrel only keeps older import paths working; new code imports the module it needs.
 */
export * from './scan-plan.ts';
export * from './file-registry.ts';
export * from './scan-sql.ts';
