import type { FileSource } from '../../server/src/workspace/view';

/** An in-memory FileSource over `files()` (path -> text, read at each call so a test can swap the set); directories are implied. */
export function memoryFileSource(files: () => Readonly<Record<string, string>>): FileSource {
  return {
    readText: (p) => files()[p],
    listDir: (d) => {
      const names = new Set<string>();
      for (const f of Object.keys(files())) if (f.startsWith(`${d}/`)) names.add(f.slice(d.length + 1).split('/')[0]);
      return names.size ? [...names] : undefined;
    },
    versionOf: (p) => (p in files() ? String(files()[p].length) : undefined),
  };
}
