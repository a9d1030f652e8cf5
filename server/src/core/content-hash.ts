import { createHash } from 'node:crypto';

/**
 * The one content hash of Shipshape: what facts, the audit cache and cache
 * file names are keyed by. SHA-256 in base64url (letters, digits, `-`, `_`:
 * safe in a file name on every platform), 22 characters (132 bits).
 */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
