import * as fs from 'node:fs';

/**
 * Reads a file only when it is a regular file under a size cap. The file is
 * opened non-blocking and checked through its descriptor, so a FIFO never
 * blocks, a device (`/dev/zero`) is never read, and a file swapped between a
 * check and the read cannot slip through; at most `cap + 1` bytes are read.
 */

export type SafeReadFailure =
  | { kind: 'not-found'; message: string }
  | { kind: 'not-regular'; message: string }
  | { kind: 'too-large'; message: string; size: number }
  | { kind: 'unreadable'; message: string };

export type SafeReadResult = { bytes: Buffer; size: number } | SafeReadFailure;

/** Side files (config, go.mod, compose, kustomize, .dockerignore, .gitignore) are read up to this many bytes. */
export const SIDE_FILE_CAP = 1024 * 1024;

export function readRegularFile(filePath: string, cap: number): SafeReadResult {
  let fd: number;
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- O_NONBLOCK is undefined on Windows
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'not-found', message: code };
    if (code === 'EISDIR') return { kind: 'not-regular', message: 'a folder, not a file' };
    if (code === 'ENXIO') return { kind: 'not-regular', message: 'not a regular file (socket or FIFO)' };
    return { kind: 'unreadable', message: code };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { kind: 'not-regular', message: `not a regular file (${fileType(st)})` };
    if (st.size > cap) return { kind: 'too-large', message: `${st.size} bytes is over the ${cap}-byte limit`, size: st.size };
    // The size can change after fstat: read at most cap + 1 bytes and refuse when the extra byte arrives.
    const buf = Buffer.allocUnsafe(Math.min(cap, st.size) + 1);
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total === buf.length) {
        if (total > cap) return { kind: 'too-large', message: `over the ${cap}-byte limit`, size: total };
        break;
      }
    }
    return { bytes: buf.subarray(0, total), size: total };
  } catch (e) {
    return { kind: 'unreadable', message: errnoCode(e) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a side file as UTF-8 text (a BOM dropped); undefined when it is missing, not a regular file, too large or unreadable. */
export function readSideText(filePath: string, cap: number = SIDE_FILE_CAP): string | undefined {
  const r = readRegularFile(filePath, cap);
  if (!('bytes' in r)) return undefined;
  const text = r.bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function fileType(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

export function errnoCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e).code) : String(e);
}
