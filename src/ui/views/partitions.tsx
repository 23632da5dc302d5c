/** The Partitions view (being built). */
import type { ViewProps } from './view-props.ts';

export function PartitionsView(props: ViewProps) {
  return <section className="panel" data-testid="view-partitions">Partitions of version {props.summary.version}</section>;
}
