/**
 * The worker's Schema, Partitions and Files view data, computed by the view-model layer
 * (`src/explore/`) and re-exported here for the worker service: the schema timeline
 * (`schema-timeline.ts`), partition aggregates and the size histogram (`aggregates.ts`), and pages
 * of file rows (`files-page.ts`, over the one file-row projection `file-rows.ts`).
 */
export { schemaTimeline, type SchemaTimeline, type SchemaVersionChange } from '../explore/schema-timeline.ts';
export type { SchemaColumnChange as SchemaChange } from '../explore/schema-diff.ts';
export { MAX_PARTITION_ROWS, fileSizeHistogram, partitionSummary, type FileSizeHistogram, type PartitionColumnInfo, type PartitionRow, type PartitionSummary, type SizeBin } from '../explore/aggregates.ts';
export { DEFAULT_STATS_COLUMNS, MAX_FILES_QUERY_PAGE, filesQuery, type ColumnStatsText, type FileSortKey, type FileViewRow, type FilesQuery, type FilesQueryPage } from '../explore/files-page.ts';
