/**
 * The last local folder picked with "Open folder…", kept across reloads: its
 * `FileSystemDirectoryHandle` is stored in IndexedDB (handles are structured-cloneable; the files
 * are not copied). After a reload the app asks the browser for read permission again
 * (`queryPermission`, then `requestPermission`, which needs a click) and opens the same folder.
 * A dropped folder, or one chosen through `<input webkitdirectory>`, has no handle: the app then
 * says that the folder must be picked again — it never shows another table instead.
 *
 * Only the handle and its name are stored: no file contents, no URLs, no credentials.
 */

const DB = 'delta-explorer';
const STORE = 'folders';
const KEY = 'last';

/** What is stored for the last picked folder. */
export interface SavedFolder {
  handle: FileSystemDirectoryHandle;
  /** The folder's name as shown (`handle.name`). */
  label: string;
  /** When it was opened, ms since the epoch. */
  openedAtMs: number;
}

/** A handle with the permission methods Chromium has (not in TypeScript's DOM types yet). */
interface PermissionHandle {
  queryPermission?: (d: { mode: 'read' }) => Promise<PermissionState>;
  requestPermission?: (d: { mode: 'read' }) => Promise<PermissionState>;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Remembers `handle` as the last picked folder. Failures (private mode, quota) are ignored: a reload then asks to pick again. */
export async function saveFolder(handle: FileSystemDirectoryHandle): Promise<void> {
  const value: SavedFolder = { handle, label: handle.name, openedAtMs: Date.now() };
  await withStore('readwrite', (s) => s.put(value, KEY)).catch(() => undefined);
}

/** The last picked folder, or null (none saved, or IndexedDB unavailable). */
export async function loadSavedFolder(): Promise<SavedFolder | null> {
  try {
    const v = (await withStore('readonly', (s) => s.get(KEY))) as SavedFolder | undefined;
    return v && typeof v === 'object' && v.handle ? v : null;
  } catch {
    return null;
  }
}

/** Forgets the saved folder. */
export async function forgetSavedFolder(): Promise<void> {
  await withStore('readwrite', (s) => s.delete(KEY)).catch(() => undefined);
}

/**
 * Whether the page may read the folder now: `'granted'`, `'prompt'` (a click must call
 * {@link requestFolderPermission}) or `'denied'`.
 */
export async function folderPermission(handle: FileSystemDirectoryHandle): Promise<PermissionState> {
  const h = handle as unknown as PermissionHandle;
  if (typeof h.queryPermission !== 'function') return 'granted';
  try {
    return await h.queryPermission({ mode: 'read' });
  } catch {
    return 'denied';
  }
}

/** Asks for read permission (must run in a click handler). */
export async function requestFolderPermission(handle: FileSystemDirectoryHandle): Promise<PermissionState> {
  const h = handle as unknown as PermissionHandle;
  if (typeof h.requestPermission !== 'function') return 'granted';
  try {
    return await h.requestPermission({ mode: 'read' });
  } catch {
    return 'denied';
  }
}
