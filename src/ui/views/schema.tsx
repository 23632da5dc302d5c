/** The Schema view (being built). */
import type { ViewProps } from './view-props.ts';

export function SchemaView(props: ViewProps) {
  return <section className="panel" data-testid="view-schema">Schema of version {props.summary.version}</section>;
}
