/**
 * Turning what the user dropped or picked into files with folder-relative paths.
 *
 * A drop is read through `DataTransferItem.webkitGetAsEntry()` (the only way to see inside a
 * dropped folder in every browser): the entries must be taken synchronously in the `drop` handler,
 * then walked asynchronously. When the drop carries no entries (some synthetic or
 * non-browser drags), the flat `dataTransfer.files` are used with their `webkitRelativePath`.
 */
import { filesFromInput, type RelativeFile } from '../../delta/storage/browser-files.ts';

/** A folder (or set of items) the user opened: its display name and its files. */
export interface PickedFolder {
  /** The folder's name (or a description of several dropped items). */
  label: string;
  /** Paths relative to that folder, `/`-separated. */
  files: RelativeFile[];
  /** The directory handle when it came from `showDirectoryPicker` (kept so a reload can reopen it). */
  handle?: FileSystemDirectoryHandle;
}

/** What a drop held, taken synchronously (a `DataTransfer` is emptied once the handler returns). */
export interface CapturedDrop {
  entries: FileSystemEntry[];
  files: File[];
}

/** Takes the entries and files of a drop. Call it synchronously inside the `drop` handler. */
export function captureDrop(dt: DataTransfer): CapturedDrop {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  return { entries, files: Array.from(dt.files ?? []) };
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every child entry of a directory (`readEntries` answers in batches until an empty one). */
async function children(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return out;
    out.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: RelativeFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: prefix + entry.name, file: await fileOf(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const kids = await children(entry as FileSystemDirectoryEntry);
    await Promise.all(kids.map((k) => walk(k, `${prefix}${entry.name}/`, out)));
  }
}

/**
 * Reads a captured drop. One dropped folder gives its files relative to it (labelled with its
 * name); several items give their paths relative to a virtual folder holding them.
 * @returns null when the drop held no files at all.
 */
export async function readDrop(drop: CapturedDrop): Promise<PickedFolder | null> {
  if (drop.entries.length === 1 && drop.entries[0].isDirectory) {
    const dir = drop.entries[0] as FileSystemDirectoryEntry;
    const files: RelativeFile[] = [];
    await Promise.all((await children(dir)).map((k) => walk(k, '', files)));
    return { label: dir.name, files };
  }
  if (drop.entries.length > 0) {
    const files: RelativeFile[] = [];
    await Promise.all(drop.entries.map((e) => walk(e, '', files)));
    const label = drop.entries.length === 1 ? drop.entries[0].name : `${drop.entries.length} dropped items`;
    return { label, files };
  }
  if (drop.files.length > 0) return picked(drop.files, 'dropped files');
  return null;
}

/**
 * The files of an `<input webkitdirectory>` (or dropped files carrying `webkitRelativePath`),
 * relative to the picked folder.
 */
export function picked(files: ArrayLike<File>, fallbackLabel = 'selected files'): PickedFolder {
  const { root, files: rel } = filesFromInput(files);
  return { label: root || fallbackLabel, files: rel };
}
