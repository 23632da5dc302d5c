/**
 * The SQL editor: CodeMirror 6 with `@codemirror/lang-sql` (a DuckDB-flavoured dialect),
 * highlighting in the app's colours (light and dark), line numbers, undo history, bracket matching,
 * and completion from `sql-complete.ts` (columns, nested fields, `t`, `"t@v…"`, `"t$history"`...,
 * functions) plus SQL keywords. Ctrl/⌘+Enter runs the selection, or the whole text when nothing is
 * selected. Shift+Alt+F formats the selection, or the whole text (`sql-format.ts`, loaded on first
 * use; one undo step). Tab is left to the browser (focus moves on), so the editor is no keyboard trap.
 *
 * CSP: CodeMirror adds its styles with constructable style sheets (`adoptedStyleSheets`) where the
 * browser has them, else a `<style>` element; the app's `style-src 'self' 'unsafe-inline'` allows
 * both, so the policy is unchanged.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { keywordCompletionSource, sql, SQLDialect, StandardSQL } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef, type RefObject } from 'react';
import type { FormatOutcome } from './sql-format.ts';
import { deltaCompletions, type CompletionInfo } from './sql-complete.ts';

/** DuckDB's SQL as far as highlighting and keywords go: standard SQL plus DuckDB's own words and types. */
export const DuckDbDialect = SQLDialect.define({
  ...StandardSQL.spec,
  keywords: `${StandardSQL.spec.keywords ?? ''} qualify pivot unpivot using sample tablesample describe summarize pragma install load attach detach copy export import exclude replace columns struct list map union_by_name ilike glob similar asof positional semi anti lateral recursive materialized window filter over partition range rows groups ties others returning`,
  types: `${StandardSQL.spec.types ?? ''} tinyint smallint integer bigint hugeint utinyint usmallint uinteger ubigint float double real decimal numeric boolean bool varchar text string blob bytea date time timestamp timestamptz interval uuid json`,
  doubleQuotedStrings: false,
});

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--syn-keyword)', fontWeight: '600' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--syn-type)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syn-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syn-number)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--text)' },
  { tag: tags.special(tags.name), color: 'var(--syn-ident)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '0.9rem', border: '1px solid var(--border)', borderRadius: '6px', background: 'var(--panel)', color: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', caretColor: 'var(--text)', minHeight: '5.5em' },
  '.cm-gutters': { background: 'var(--head-bg)', color: 'var(--muted)', border: 'none', borderRadius: '6px 0 0 6px' },
  '.cm-activeLine': { background: 'var(--hover)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { background: 'var(--accent-soft) !important' },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent)', color: 'var(--accent-contrast)' },
  '.cm-completionDetail': { color: 'inherit' },
  '.cm-placeholder': { color: 'var(--muted)' },
});

export interface SqlEditorProps {
  value: string;
  onChange: (text: string) => void;
  /** Ctrl/⌘+Enter: called with the selected text, or the whole text. */
  onRun: (text: string) => void;
  /** Read at each completion (the table's columns, versions, functions). */
  completionInfo: () => CompletionInfo;
  label?: string;
  /** Set to the editor's commands (the Format button calls `format`). */
  handle?: RefObject<SqlEditorHandle | null>;
  /** Told how a format (button or Shift+Alt+F) went. */
  onFormatted?: (outcome: FormatOutcome) => void;
}

/** Commands of a mounted {@link SqlEditor}. */
export interface SqlEditorHandle {
  /** Formats the selection (or everything) in place, as one undoable change. */
  format(): Promise<FormatOutcome>;
}

/** Formats the selection, or the whole text, of `view` (see `sql-format.ts`). */
async function formatIn(view: EditorView): Promise<FormatOutcome> {
  const { formatSql } = await import('./sql-format.ts');
  const sel = view.state.selection.main;
  const whole = sel.empty || !view.state.sliceDoc(sel.from, sel.to).trim();
  const from = whole ? 0 : sel.from;
  const to = whole ? view.state.doc.length : sel.to;
  const before = view.state.sliceDoc(from, to);
  const outcome = formatSql(before);
  // The text may have changed while the formatter loaded: format only what was read.
  if (outcome.ok && outcome.text !== before && view.state.sliceDoc(from, to) === before) {
    view.dispatch({ changes: { from, to, insert: outcome.text }, selection: { anchor: from, head: from + outcome.text.length }, userEvent: 'format' });
  }
  return outcome;
}

/** The text to run: the selection when there is one, else everything. */
function textToRun(view: EditorView): string {
  const sel = view.state.selection.main;
  const picked = sel.empty ? '' : view.state.sliceDoc(sel.from, sel.to);
  return picked.trim() ? picked : view.state.doc.toString();
}

export function SqlEditor({ value, onChange, onRun, completionInfo, label = 'SQL query', handle, onFormatted }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, read by CodeMirror's handlers (created once).
  const latest = useRef({ onChange, onRun, completionInfo, onFormatted });
  latest.current = { onChange, onRun, completionInfo, onFormatted };

  useEffect(() => {
    const lang = sql({ dialect: DuckDbDialect, upperCaseKeywords: true });
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          bracketMatching(),
          closeBrackets(),
          lang,
          lang.language.data.of({ autocomplete: deltaCompletions(() => latest.current.completionInfo()) }),
          lang.language.data.of({ autocomplete: keywordCompletionSource(DuckDbDialect, true) }),
          autocompletion({ icons: false }),
          syntaxHighlighting(highlight),
          theme,
          placeholder('SELECT * FROM t LIMIT 100'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'sql-editor', 'aria-multiline': 'true' }),
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: (ed) => {
                  latest.current.onRun(textToRun(ed));
                  return true;
                },
              },
              {
                key: 'Shift-Alt-f',
                run: (ed) => {
                  void formatIn(ed).then((o) => latest.current.onFormatted?.(o));
                  return true;
                },
              },
            ]),
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    if (handle) handle.current = { format: () => formatIn(v) };
    return () => {
      v.destroy();
      view.current = null;
      if (handle) handle.current = null;
    };
    // Created once; `value` changes from outside are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Another query tab, a query from the history: replace the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} className="sql-editor-host" data-testid="sql-editor-host" />;
}
