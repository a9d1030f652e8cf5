import type { GoFile, GoParser } from '../parsers/go';
import type { ParsedFile } from './rule';
import type { FileSource, GoFactCache } from './workspace';

interface Entry {
  version: string;
  facts: Map<string, unknown>;
}

/**
 * Facts extracted from Go files (declared types, handlers, calls...), kept per
 * file version so an audit never keeps trees: a file is parsed, every fact a
 * rule asks for is extracted, and the tree is freed.
 */
/** Parsed sibling files kept for further fact keys: rules ask several keys of the same package files in a row. */
const PARSED_KEPT = 16;

export class GoFactStore implements GoFactCache {
  private readonly entries = new Map<string, Entry>();
  /** Recently parsed files by path (insertion order = recency), trees freed on eviction. */
  private readonly parsed = new Map<string, { version: string; file: GoFile }>();

  constructor(
    private readonly parser: GoParser,
    private readonly files: FileSource,
  ) {}

  get<T>(filePath: string, key: string, extract: (file: GoFile) => T): T | undefined {
    const version = this.files.versionOf(filePath);
    if (version === undefined) return undefined;
    let entry = this.entries.get(filePath);
    if (!entry || entry.version !== version) {
      entry = { version, facts: new Map() };
      this.entries.set(filePath, entry);
    }
    if (entry.facts.has(key)) return entry.facts.get(key) as T;
    const file = this.parsedFile(filePath, version);
    if (!file) return undefined;
    const value = extract(file);
    entry.facts.set(key, value);
    return value;
  }

  private parsedFile(filePath: string, version: string): GoFile | undefined {
    const kept = this.parsed.get(filePath);
    if (kept) {
      this.parsed.delete(filePath);
      if (kept.version === version) {
        this.parsed.set(filePath, kept);
        return kept.file;
      }
      kept.file.dispose();
    }
    const text = this.files.readText(filePath);
    if (text === undefined) return undefined;
    const file = this.parser.parse(filePath, text);
    this.parsed.set(filePath, { version, file });
    if (this.parsed.size > PARSED_KEPT) {
      const [oldest, entry] = this.parsed.entries().next().value as [string, { file: GoFile }];
      entry.file.dispose();
      this.parsed.delete(oldest);
    }
    return file;
  }

  /** A view that answers for the file under analysis from its live tree (its text may be unsaved). */
  withCurrent(current: ParsedFile, version: string | number | undefined): GoFactCache {
    return {
      get: <T>(filePath: string, key: string, extract: (file: GoFile) => T): T | undefined => {
        if (current.kind === 'go' && filePath === current.path) {
          const tag = `live:${String(version ?? '')}:${current.source.length}`;
          let entry = this.entries.get(`${filePath}\0live`);
          if (!entry || entry.version !== tag || version === undefined) {
            entry = { version: tag, facts: new Map() };
            this.entries.set(`${filePath}\0live`, entry);
          }
          if (!entry.facts.has(key)) entry.facts.set(key, extract(current));
          return entry.facts.get(key) as T;
        }
        return this.get(filePath, key, extract);
      },
    };
  }

  /** Forgets a file's facts (it changed or was deleted). */
  invalidate(filePath: string): void {
    this.parsed.get(filePath)?.file.dispose();
    this.parsed.delete(filePath);
    this.entries.delete(filePath);
    this.entries.delete(`${filePath}\0live`);
  }

  clear(): void {
    for (const kept of this.parsed.values()) kept.file.dispose();
    this.parsed.clear();
    this.entries.clear();
  }
}
