/**
 * `delta-explorer info`: the fields of Spark's `DESCRIBE DETAIL`, plus the version and record counts.
 */
import { effectiveFeatures } from '../../delta/index.ts';
import { clusteringNames, loadTarget, type Command } from '../command.ts';
import { cell, formatBytes, iso, printable, renderKeyValues } from '../render.ts';

/** JSON of `info`: the `DESCRIBE DETAIL` columns, then extras. */
export interface InfoJson {
  format: 'delta';
  id: string;
  name: string | null;
  description: string | null;
  location: string;
  createdAt: string | null;
  lastModified: string | null;
  partitionColumns: string[];
  clusteringColumns: string[];
  numFiles: number;
  sizeInBytes: number;
  properties: Record<string, string>;
  minReaderVersion: number;
  minWriterVersion: number;
  /** Sorted union of reader and writer features, including those implied by legacy protocol versions. */
  tableFeatures: string[];
  /** The protocol's explicit lists (null below reader version 3 / writer version 7). */
  readerFeatures: string[] | null;
  writerFeatures: string[] | null;
  version: number;
  numRecords: number | null;
  numDeletedRecords: number;
  /** Why this reader cannot read the table's data; empty when it can. */
  readSupportProblems: string[];
}

export const info: Command = {
  name: 'info',
  summary: "Table details, like Spark's DESCRIBE DETAIL, plus version and record counts",
  description:
    "Prints the fields of Spark's DESCRIBE DETAIL (format, id, name, description, location, createdAt, lastModified, " +
    'partitionColumns, clusteringColumns, numFiles, sizeInBytes, properties, minReaderVersion, minWriterVersion, ' +
    'tableFeatures), the explicit readerFeatures/writerFeatures, the version, numRecords (sum of file stats minus ' +
    'deletion-vector cardinalities; null when a file has no stats) and numDeletedRecords.',
  accepts: ['version', 'timestamp'],
  async run(ctx) {
    const snap = await loadTarget(ctx);
    const history = await ctx.table.history();
    const entry = history.find((h) => h.version === snap.version);
    const md = snap.metadata;
    const totals = snap.totals;
    const json: InfoJson = {
      format: 'delta',
      id: md.id,
      name: md.name ?? null,
      description: md.description ?? null,
      location: ctx.location,
      createdAt: iso(md.createdTime),
      lastModified: iso(entry?.timestampMs),
      partitionColumns: [...md.partitionColumns],
      clusteringColumns: clusteringNames(snap),
      numFiles: totals.numFiles,
      sizeInBytes: totals.sizeInBytes,
      properties: { ...md.configuration },
      minReaderVersion: snap.protocol.minReaderVersion,
      minWriterVersion: snap.protocol.minWriterVersion,
      tableFeatures: [...effectiveFeatures(snap.protocol).all].sort(),
      readerFeatures: snap.protocol.readerFeatures ?? null,
      writerFeatures: snap.protocol.writerFeatures ?? null,
      version: snap.version,
      numRecords: totals.numRecords,
      numDeletedRecords: totals.numDeletedRecords,
      readSupportProblems: [...snap.readSupportProblems],
    };
    return {
      json,
      text: () => {
        const list = (l: string[] | null) => (l === null ? '-' : l.length ? l.join(', ') : '(none)');
        const props = Object.entries(json.properties).map(([k, v]) => `${printable(k)}=${printable(v)}`);
        const pairs: [string, string | string[]][] = [
          ['format', json.format],
          ['id', cell(json.id)],
          ['name', cell(json.name)],
          ['description', cell(json.description)],
          ['location', printable(json.location)],
          ['version', String(json.version)],
          ['createdAt', cell(json.createdAt)],
          ['lastModified', cell(json.lastModified)],
          ['partitionColumns', list(json.partitionColumns.map(printable))],
          ['clusteringColumns', list(json.clusteringColumns.map(printable))],
          ['numFiles', String(json.numFiles)],
          ['sizeInBytes', `${json.sizeInBytes} (${formatBytes(json.sizeInBytes)})`],
          ['numRecords', json.numRecords === null ? '- (some files have no stats)' : String(json.numRecords)],
          ['numDeletedRecords', String(json.numDeletedRecords)],
          ['properties', props.length ? props : ['(none)']],
          ['minReaderVersion', String(json.minReaderVersion)],
          ['minWriterVersion', String(json.minWriterVersion)],
          ['readerFeatures', list(json.readerFeatures)],
          ['writerFeatures', list(json.writerFeatures)],
          ['tableFeatures', list(json.tableFeatures)],
        ];
        return renderKeyValues(pairs);
      },
    };
  },
};
