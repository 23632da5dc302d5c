/**
 * Where a local table comes in: drop a folder on the zone, or pick one with "Open folder" (the File
 * System Access API's `showDirectoryPicker` where the browser has it, else a hidden
 * `<input type="file" webkitdirectory>`). Reports the folder's files; does not open anything itself.
 */
import { useRef, useState, type DragEvent } from 'react';
import { filesFromDirectoryHandle } from '../../delta/storage/browser-files.ts';
import type { ErrorInfo } from '../../workers/api.ts';
import { captureDrop, picked, readDrop, type PickedFolder } from './folder-walk.ts';

export interface DropZoneProps {
  /** Called with the folder the user dropped or picked. */
  onFolder: (folder: PickedFolder) => void;
  /** Called when a drop or pick cannot be read, or holds nothing. */
  onError: (error: ErrorInfo) => void;
  /** Smaller, one-line zone (when a table is already open). */
  compact?: boolean;
  disabled?: boolean;
}

export function DropZone({ onFolder, onError, compact, disabled }: DropZoneProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [reading, setReading] = useState(false);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const captured = captureDrop(e.dataTransfer);
    setReading(true);
    readDrop(captured)
      .then((folder) => {
        if (folder) onFolder(folder);
        else onError({ code: 'NOT_A_TABLE', message: 'The drop held no files.', hint: 'Drop a folder that holds a Delta table.' });
      })
      .catch((err: unknown) =>
        onError({
          code: 'STORAGE_ERROR',
          message: `The dropped folder could not be read: ${err instanceof Error ? err.message : String(err)}`,
          hint: 'Try "Open folder…" instead.',
        }),
      )
      .finally(() => setReading(false));
  };

  /** "Open folder…": the directory picker where there is one (no upload, no file list limit), else the input. */
  const pickFolder = async () => {
    const picker = (window as unknown as { showDirectoryPicker?: (o?: { mode?: string }) => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker;
    if (typeof picker !== 'function') {
      input.current?.click();
      return;
    }
    let handle: FileSystemDirectoryHandle;
    try {
      handle = await picker.call(window, { mode: 'read' });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') return; // the user closed the picker
      input.current?.click(); // e.g. not allowed in this context: the input still works
      return;
    }
    setReading(true);
    try {
      const files = await filesFromDirectoryHandle(handle);
      if (files.length) onFolder({ label: handle.name, files, handle });
      else onError({ code: 'NOT_A_TABLE', message: 'The selected folder is empty.', hint: 'Pick the folder that holds _delta_log.' });
    } catch (err) {
      onError({ code: 'STORAGE_ERROR', message: `The folder could not be read: ${err instanceof Error ? err.message : String(err)}`, hint: 'Try dropping the folder instead.' });
    } finally {
      setReading(false);
    }
  };

  return (
    <div
      className={`drop-zone${compact ? ' compact' : ''}${over ? ' over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-text">
        {reading ? 'Reading the dropped folder…' : compact ? 'Drop another table folder here, or' : 'Drop a Delta table folder here (the folder that holds _delta_log), or'}
      </p>
      <button type="button" className="primary" disabled={disabled} onClick={() => void pickFolder()} data-testid="open-folder">
        Open folder…
      </button>
      <input
        ref={input}
        id="dir"
        type="file"
        webkitdirectory=""
        multiple
        hidden
        data-testid="dir-input"
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files && files.length) onFolder(picked(files));
          else onError({ code: 'NOT_A_TABLE', message: 'The selected folder is empty.', hint: 'Pick the folder that holds _delta_log.' });
          e.currentTarget.value = '';
        }}
      />
      {!compact && <p className="muted small">Nothing is uploaded: the table is read in this browser tab.</p>}
    </div>
  );
}
