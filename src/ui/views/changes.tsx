/** The Changes view (being built). */
import type { ViewProps } from './view-props.ts';

export function ChangesView(props: ViewProps) {
  return <section className="panel" data-testid="view-changes">Changes of version {props.summary.version}</section>;
}
