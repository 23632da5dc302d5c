/** The Files view (being built). */
import type { ViewProps } from './view-props.ts';

export function FilesView(props: ViewProps) {
  return <section className="panel" data-testid="view-files">Files of version {props.summary.version}</section>;
}
