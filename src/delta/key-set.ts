/**
 * A set of strings for action reconciliation: an open-addressing table of 32-bit hashes in typed
 * arrays that points at the key strings themselves (no copies, no per-entry objects). A replay
 * checks and records every file action of a log (hundreds of thousands of keys), where a JS `Set`
 * spends most of its time growing and hashing; here the hash is computed once per key and the
 * table is sized up front when the caller knows how many keys will come.
 */
export class KeySet {
  private mask: number;
  /**
   * Two ints per slot, side by side so that a probe touches one cache line: entry id + 1 (0 =
   * empty), and the hash of that entry (compared before the strings).
   */
  private table: Int32Array;
  private keys: string[] = [];
  /**
   * A 64 Kibit filter on a cheap 16-bit fingerprint (length and a few characters) of every key:
   * `has` of a key whose bit is clear answers without hashing the whole key. Checking a
   * million checkpoint rows against the few thousand keys of later commits mostly stops here.
   */
  private readonly filter = new Uint8Array(8192);

  /** @param expected how many keys will be added (the table grows beyond that when needed). */
  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.table = new Int32Array(cap * 2);
  }

  /** Number of keys in the set. */
  get size(): number {
    return this.keys.length;
  }

  /** Adds `key`; returns false when it was already there. */
  add(key: string): boolean {
    if (this.keys.length * 2 >= this.mask + 1) this.grow();
    const q = fingerprint(key);
    this.filter[q >> 3] |= 1 << (q & 7);
    const h = hashString(key);
    const { table, mask, keys } = this;
    let i = h & mask;
    for (;;) {
      const e = table[2 * i];
      if (e === 0) {
        keys.push(key);
        table[2 * i] = keys.length;
        table[2 * i + 1] = h;
        return true;
      }
      if (table[2 * i + 1] === h && keys[e - 1] === key) return false;
      i = (i + 1) & mask;
    }
  }

  /** True when `key` is in the set. */
  has(key: string): boolean {
    if (this.keys.length === 0) return false;
    const q = fingerprint(key);
    if ((this.filter[q >> 3] & (1 << (q & 7))) === 0) return false;
    const h = hashString(key);
    const { table, mask, keys } = this;
    let i = h & mask;
    for (;;) {
      const e = table[2 * i];
      if (e === 0) return false;
      if (table[2 * i + 1] === h && keys[e - 1] === key) return true;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(cap * 2);
    const mask = cap - 1;
    const old = this.table;
    for (let s = 0; s <= this.mask; s++) {
      const e = old[2 * s];
      if (e === 0) continue;
      const h = old[2 * s + 1];
      let i = h & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = e;
      table[2 * i + 1] = h;
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * 32-bit FNV-1a over the length and the UTF-16 code units, with a final avalanche so low bits
 * spread. Long keys are hashed on their first 8 and last 40 units only: file paths differ in their
 * file names (at the end), and equal hashes are always confirmed by comparing the strings.
 */
export function hashString(s: string): number {
  const n = s.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  if (n <= 48) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 8; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = n - 40; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * 16 bits from the length and five characters spread over the key (not its very end: file names
 * end alike, `.snappy.parquet`). Equal keys have equal fingerprints; that is all it must guarantee.
 */
function fingerprint(s: string): number {
  const n = s.length;
  let h = n;
  if (n > 0) {
    h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n > 25 ? n - 25 : 0), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n > 33 ? n - 33 : n - 1), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n > 9 ? n - 9 : n - 1), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt((n * 3) >> 2), 0x01000193);
  }
  return (h ^ (h >>> 16)) & 0xffff;
}
