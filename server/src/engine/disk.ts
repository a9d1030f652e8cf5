import * as fs from 'node:fs';
import type { FileSource } from './workspace';
import { readRegularFile } from './safe-read';

/** Why a file cannot be analysed as text; undefined when it can. */
export type UnreadableReason = 'binary' | 'too-large' | 'unreadable' | 'not-found';

export interface ReadResult {
  /** The text, without its UTF-8 byte order mark (see `bom`). */
  text?: string;
  /** The file starts with a UTF-8 byte order mark: a rewrite must keep it. */
  bom?: boolean;
  reason?: UnreadableReason;
  message?: string;
  size?: number;
}

/** Reads a file as UTF-8 text, refusing binary content and files over `maxSize` bytes. */
export function readTextFile(filePath: string, maxSize: number): ReadResult {
  // Regular files only, opened without blocking: a FIFO or device is a notice, never a hang.
  const read = readRegularFile(filePath, maxSize);
  if (!('bytes' in read)) {
    if (read.kind === 'too-large') return { reason: 'too-large', message: read.message, size: read.size };
    return { reason: read.kind === 'not-found' ? 'not-found' : 'unreadable', message: read.message };
  }
  const bytes = read.bytes;
  if (bytes.subarray(0, 8192).includes(0)) return { reason: 'binary', message: 'binary content (NUL bytes)', size: bytes.length };
  try {
    // `ignoreBOM`: the decoder keeps the mark, so it is seen here (and stripped) instead of lost.
    const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const bom = decoded.charCodeAt(0) === 0xfeff;
    return { text: bom ? decoded.slice(1) : decoded, bom, size: bytes.length };
  } catch {
    return { reason: 'binary', message: 'not valid UTF-8', size: bytes.length };
  }
}

/** The line break every break of `text` uses; undefined when it has none or mixes them. */
export function lineEndingOf(text: string): '\r\n' | '\r' | '\n' | undefined {
  let found: '\r\n' | '\r' | '\n' | undefined;
  for (const m of text.matchAll(/\r\n|\r|\n/g)) {
    const eol = m[0] === '\r\n' ? '\r\n' : m[0] === '\r' ? '\r' : '\n';
    if (found !== undefined && found !== eol) return undefined;
    found = eol;
  }
  return found;
}

/** `text` with the line break of `original` when that uses one throughout (a fix's inserted lines may use `\n`). */
export function withLineEndingsOf(text: string, original: string): string {
  const eol = lineEndingOf(original);
  return eol === undefined ? text : text.replace(/\r\n|\r|\n/g, eol);
}

/** The bytes to write for a rewritten file: its new text, the original's line endings and UTF-8 byte order mark. */
export function encodeLike(text: string, original: { text: string; bom?: boolean }): Buffer {
  const body = withLineEndingsOf(text, original.text);
  return Buffer.from(original.bom ? `\ufeff${body}` : body, 'utf8');
}

/** Characters of recently read texts a {@link DiskFileSource} keeps (about 2 bytes each at most). */
const TEXTS_KEPT_CHARS = 8 * 1024 * 1024;

/** A {@link FileSource} over the disk, with optional in-memory overlays (open editor buffers). */
export class DiskFileSource implements FileSource {
  private readonly overlays = new Map<string, { text: string; version: string }>();
  /**
   * Texts read lately, by path with the version they were read at (recency
   * order), up to {@link TEXTS_KEPT_CHARS}: the rules of a manifest read every
   * sibling manifest of its folder, so a folder of n manifests would read
   * files n² times. A stat says whether a kept text is still the file's.
   */
  private readonly texts = new Map<string, { version: string; text: string }>();
  private textChars = 0;
  /** Versions by path once {@link freeze} was called: the disk is taken as it was first seen. */
  private frozen?: Map<string, string | undefined>;
  /** Folder listings once frozen (copies are handed out: callers may sort them in place). */
  private frozenDirs?: Map<string, string[]>;

  constructor(private readonly maxSize: number) {}

  /**
   * From now on the files on disk are taken not to change (a CLI audit after
   * its fixes): each file's version is read once, and a kept text is served
   * without asking the disk again. Overlays still win.
   */
  freeze(): void {
    this.frozen ??= new Map();
  }

  get stable(): boolean {
    return this.frozen !== undefined;
  }

  setOverlay(filePath: string, text: string, version: string | number): void {
    this.overlays.set(filePath, { text, version: `open:${version}` });
  }

  clearOverlay(filePath: string): void {
    this.overlays.delete(filePath);
  }

  readText(filePath: string): string | undefined {
    const overlay = this.overlays.get(filePath);
    if (overlay) return overlay.text;
    const version = this.versionOf(filePath);
    const kept = this.texts.get(filePath);
    if (kept) {
      this.texts.delete(filePath);
      this.textChars -= kept.text.length;
      if (kept.version === version) {
        this.keep(filePath, kept);
        return kept.text;
      }
    }
    const text = readTextFile(filePath, this.maxSize).text;
    if (text !== undefined && version !== undefined) this.keep(filePath, { version, text });
    return text;
  }

  private keep(filePath: string, entry: { version: string; text: string }): void {
    if (entry.text.length > TEXTS_KEPT_CHARS / 8) return;
    this.texts.set(filePath, entry);
    this.textChars += entry.text.length;
    for (const [p, e] of this.texts) {
      if (this.textChars <= TEXTS_KEPT_CHARS) break;
      this.texts.delete(p);
      this.textChars -= e.text.length;
    }
  }

  listDir(dirPath: string): string[] | undefined {
    const kept = this.frozenDirs?.get(dirPath);
    if (kept) return [...kept];
    let names: string[] | undefined;
    try {
      names = fs.readdirSync(dirPath);
    } catch {
      names = undefined;
    }
    // Frozen: every manifest of a folder lists the folder (its siblings), once is enough.
    if (!names || !this.frozen) return names;
    (this.frozenDirs ??= new Map()).set(dirPath, names);
    return [...names];
  }

  versionOf(filePath: string): string | undefined {
    const overlay = this.overlays.get(filePath);
    if (overlay) return overlay.version;
    if (this.frozen?.has(filePath)) return this.frozen.get(filePath);
    const version = this.diskVersionOf(filePath);
    this.frozen?.set(filePath, version);
    return version;
  }

  private diskVersionOf(filePath: string): string | undefined {
    try {
      const s = fs.statSync(filePath);
      return s.isFile() ? `disk:${s.mtimeMs}:${s.size}` : undefined;
    } catch {
      return undefined;
    }
  }
}
