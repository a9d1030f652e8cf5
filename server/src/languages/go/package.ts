import * as path from 'node:path';
import type { GoFile } from './parser';
import { defineAnalysis, resultOf, type Analysis, type AnalysisUnit, type WrappingUnit } from '../../core/analysis';
import { AnalysisSlot } from '../../core/analysis-slot';

declare module '../../core/analysis' {
  interface AnalysisUnits {
    /** One parsed Go file (its tree). */
    'go-file': GoFile;
    /** The package of the Go file under analysis: that file's tree plus its siblings' facts. */
    'go-package': GoPackage;
  }
  interface FactUnits {
    'go-file': true;
  }
}

/**
 * The package view of the Go file under analysis (policy and implementation:
 * `languages/go/package.ts`).
 */
export interface GoPackage extends AnalysisUnit, WrappingUnit {
  readonly fileUnit: 'go-file';
  readonly dir: string;
  /** Package clause name of the file ('' while half-typed). */
  readonly name: string;
  /** The file under analysis. */
  readonly file: GoFile;
  /** The other member files, sorted by path (read lazily; reading records them as dependencies). */
  others(): readonly string[];
  /** A fact of the file under analysis, then of each other member (in `others()` order). */
  factsOf<T>(analysis: Analysis<T, 'go-file'>, options?: { nonTest?: boolean }): T[];
  /** A fact of each other member only. `nonTest` leaves test files out even for a test file (a rule's choice). */
  otherFacts<T>(analysis: Analysis<T, 'go-file'>, options?: { nonTest?: boolean }): T[];
  /**
   * The ONE exception to the policy, kept so that behaviour does not change:
   * a fact of every other `.go` file of the directory, whatever its package
   * clause, test or not (what `go/handle-names` read before the package view;
   * applying the policy there drops 4 findings in the Go standard library,
   * see docs/architecture.md).
   */
  directoryFacts<T>(analysis: Analysis<T, 'go-file'>): T[];
}

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
  readonly fileUnit = 'go-file' as const;
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

/** What hands out package views: the engine's workspace view (rules pass `ctx.workspace`). */
export interface GoPackageSource {
  goPackage(file: GoFile): GoPackage;
}
