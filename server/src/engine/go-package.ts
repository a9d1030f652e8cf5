import * as path from 'node:path';
import type { GoFile } from '../parsers/go';
import { defineAnalysis, resultOf, type Analysis, type GoPackage } from './analysis';
import { AnalysisSlot } from './analysis-slot';

/**
 * The package view: the Go package of the file under analysis, as one value.
 *
 * Policy (the only one; every "other files of this package" question goes
 * through it):
 * - members are the `.go` files of the file's directory whose package clause
 *   equals the file's: an external test package (`package foo_test`) is a
 *   package of its own, and a `package main` generator beside a library is
 *   not a member;
 * - `_test.go` files are members only for a test file (what `go test`
 *   compiles); a non-test file's package is its non-test files (`go build`);
 * - a file whose `//go:build` line is a plain `ignore` is never a member;
 *   other build constraints (GOOS/GOARCH in the line or implied by the file
 *   name, `_linux.go`) do not exclude: the view is the union over platforms,
 *   as a reader of the package sees it;
 * - generated files are members (their declarations are the package's).
 *
 * The file under analysis is read from its tree; every other member only
 * through its facts ({@link GoPackage.factsOf}), never its tree.
 */
export type { GoPackage } from './analysis';

/** What a package view reads the workspace through (the engine's recording workspace). */
export interface PackageSource {
  listDir(dirPath: string): string[] | undefined;
  /** A fact of another file; records it as a dependency. */
  factOf<T>(filePath: string, analysis: Analysis<T, 'go-file'>): T | undefined;
  /** A fact of the file under analysis (from its tree). */
  factOfParsed<T>(file: GoFile, analysis: Analysis<T, 'go-file'>): T;
}

/** What decides membership: the package clause and a plain `//go:build ignore`. */
export interface GoFileHeader {
  packageName: string;
  ignored: boolean;
}

export const GO_FILE_HEADER = defineAnalysis({
  id: 'go/file-header',
  on: 'go-file',
  fact: true,
  build: (file): GoFileHeader => ({ packageName: file.packageName, ignored: hasIgnoreBuildLine(file) }),
});

/** `//go:build ignore` before the package clause (the convention for generators and examples). */
function hasIgnoreBuildLine(file: GoFile): boolean {
  const text = file.source.text;
  const pkgAt = text.search(/^package\s/m);
  const head = pkgAt >= 0 ? text.slice(0, pkgAt) : text;
  return /^\/\/go:build\s+ignore\s*$/m.test(head);
}

export function isTestPath(filePath: string): boolean {
  return filePath.endsWith('_test.go');
}

class GoPackageView implements GoPackage {
  readonly analyses = new AnalysisSlot();
  readonly dir: string;
  private members: string[] | undefined;

  constructor(
    readonly file: GoFile,
    private readonly source: PackageSource | undefined,
  ) {
    this.dir = path.dirname(file.path);
  }

  get name(): string {
    return this.file.packageName;
  }

  others(): readonly string[] {
    if (this.members) return this.members;
    this.members = [];
    const source = this.source;
    if (!source || !path.isAbsolute(this.file.path)) return this.members;
    const names = (source.listDir(this.dir) ?? []).filter((n) => n.endsWith('.go')).sort();
    for (const n of names) {
      const other = path.join(this.dir, n);
      if (other === this.file.path || (!this.file.isTest && isTestPath(other))) continue;
      const header = source.factOf(other, GO_FILE_HEADER);
      if (!header || header.ignored || header.packageName !== this.file.packageName) continue;
      this.members.push(other);
    }
    return this.members;
  }

  factsOf<T>(analysis: Analysis<T, 'go-file'>, options: { nonTest?: boolean } = {}): T[] {
    const own = this.source ? this.source.factOfParsed(this.file, analysis) : resultOf(analysis, this.file);
    return [own, ...this.otherFacts(analysis, options)];
  }

  directoryFacts<T>(analysis: Analysis<T, 'go-file'>): T[] {
    const source = this.source;
    if (!source) return [];
    const out: T[] = [];
    for (const n of (source.listDir(this.dir) ?? []).filter((name) => name.endsWith('.go')).sort()) {
      const other = path.join(this.dir, n);
      if (other === this.file.path) continue;
      const fact = source.factOf(other, analysis);
      if (fact !== undefined) out.push(fact);
    }
    return out;
  }

  otherFacts<T>(analysis: Analysis<T, 'go-file'>, options: { nonTest?: boolean } = {}): T[] {
    const out: T[] = [];
    for (const other of this.others()) {
      if (options.nonTest && isTestPath(other)) continue;
      const fact = this.source?.factOf(other, analysis);
      if (fact !== undefined) out.push(fact);
    }
    return out;
  }
}

/** The package of `file` read through `source` (the engine makes one per analysis of a file). */
export function makeGoPackage(file: GoFile, source: PackageSource | undefined): GoPackage {
  return new GoPackageView(file, source);
}

/** A package of one file, for helpers called without a workspace (unit tests, single-file checks). */
const SOLO_PACKAGE = defineAnalysis({
  id: 'go/solo-package',
  on: 'go-file',
  build: (file): GoPackage => makeGoPackage(file, undefined),
});

export function soloPackage(file: GoFile): GoPackage {
  return resultOf(SOLO_PACKAGE, file);
}
