/** The Compare view (being built). */
import type { ViewProps } from './view-props.ts';

export function CompareView(props: ViewProps) {
  return <section className="panel" data-testid="view-compare">Compare of version {props.summary.version}</section>;
}
