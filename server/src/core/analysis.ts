import type { SourceText } from './source-text';
import type { AnalysisSlot } from './analysis-slot';

/**
 * Analyses as engine values (go/analysis `Analyzer` with `Requires`/`ResultOf`).
 *
 * An analysis is declared once: an id, the unit it runs on, the analyses it
 * requires and a pure `build`. Its result is built at most once per unit and
 * kept in the unit's {@link AnalysisSlot}, which the engine creates with the
 * unit and drops with it (a new text is a new unit: results are keyed by
 * content, never by a path alone). Rules read results with
 * `ctx.resultOf(analysis)` after listing the analysis in their `analyses`;
 * an analysis reads the results it `requires` through its `pass`.
 *
 * A `fact` analysis runs on one Go, Dockerfile or manifest file and returns plain serialisable data
 * (no tree node, no function): the engine's {@link FactStore} also keeps it by
 * (path, content hash) beyond the tree's life, and the package view hands it
 * out for the other files of a package, which are never walked by a rule.
 */
export interface AnalysisUnits {
  /** The text of any document (content-only analyses: line endings, indentation style, hashes). */
  text: SourceText;
  // Each language adds its units by declaration merging in its own folder
  // (`languages/go/package.ts`: 'go-file', 'go-package'; `languages/docker/parser.ts`:
  // 'docker-file'; `languages/k8s/parser.ts`: 'k8s-file'), so this layer names no language.
}
export type AnalysisOn = keyof AnalysisUnits;
/**
 * The units facts are extracted from: files the engine can parse on its own.
 * Languages add theirs by declaration merging, as for {@link AnalysisUnits}.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface FactUnits {}
export type FactOn = keyof FactUnits & AnalysisOn;

export interface Analysis<T, K extends AnalysisOn = AnalysisOn> {
  readonly id: string;
  readonly on: K;
  readonly requires: readonly AnyAnalysis[];
  /** Plain data extracted from one Go file for use elsewhere: cached by content hash, readable for sibling files. */
  readonly fact: boolean;
  build(unit: AnalysisUnits[K], pass: AnalysisPass): T;
  /**
   * What declaration-scoped readers (a Go rule with `scope: 'declaration'`)
   * may rely on: `'local'` when what the result says of a node depends only on
   * the top-level declaration holding it (and the file's package clause and
   * imports); otherwise a cheap fingerprint of everything outside that
   * declaration it depends on (the package's facts): while the fingerprint and
   * a declaration's text are unchanged, the result says the same of that
   * declaration. A fingerprint split by name ({@link NamedKey}) says more: a
   * declaration depends only on the entries its identifiers name.
   * Undefined: a declaration-scoped rule cannot list the analysis.
   */
  readonly declarationKey?: 'local' | DeclarationKey<K>;
}

/**
 * A declaration key split by name: what a result says of one declaration
 * depends only on the entries named by the identifiers the declaration
 * mentions, and, transitively, by the identifiers in those entries' values
 * (a function's result type names a struct, whose fields name other types).
 * A dotted entry name (`Type.method`) is named when any of its parts is.
 * A member entry name (`T::f`) is named as {@link NamedKey.reach} says.
 * Adding, removing or editing a declaration then re-runs only the
 * declarations that mention it.
 */
export interface NamedKey {
  readonly named: ReadonlyMap<string, string>;
  /**
   * `'own'`: a declaration depends only on the entries named by its own
   * declared name (a function or method), not by every identifier it
   * mentions (the request scope: whether the declaration itself is a callee).
   * `'free'`: as `'mentions'`, but an identifier declared in one of the
   * declaration's function scopes (a local, a parameter) names no entry: the
   * result resolves names by scope, as Go does (the declaration index), so a
   * package var `x` added re-checks what uses a package-level `x`, not every
   * function with a local `x`. A name that some key not `'free'` also lists
   * (handle names are matched by spelling) is named by any mention.
   * An entry `T::f` (a struct field) is named only by a declaration that
   * reaches `T` and spells `f`.
   */
  readonly reach?: 'mentions' | 'own' | 'free';
}
export type DeclarationKeyValue = string | NamedKey;

/** A {@link NamedKey} from (name, fingerprint) pairs; fingerprints of the same name are joined. */
export function namedKey(entries: Iterable<readonly [string, string]>, reach: NamedKey['reach'] = 'mentions'): NamedKey {
  const named = new Map<string, string>();
  for (const [name, value] of entries) {
    const had = named.get(name);
    named.set(name, had === undefined ? value : `${had}\u0001${value}`);
  }
  return { named, reach };
}

/** A fingerprint function, checked bivariantly like `build` (a method), so analyses of every unit fit one registry. */
type DeclarationKey<K extends AnalysisOn> = { key(unit: AnalysisUnits[K], pass: AnalysisPass): DeclarationKeyValue }['key'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of analyses of every result type; results are read back through typed `Analysis<T>` values
export type AnyAnalysis = Analysis<any>;

/** What an analysis's `build` sees besides its unit: the results of the analyses it requires. */
export interface AnalysisPass {
  resultOf<T, K extends AnalysisOn>(analysis: Analysis<T, K>): T;
}

/** Units that carry an engine-owned result slot. */
export interface AnalysisUnit {
  readonly analyses: AnalysisSlot;
}

/**
 * A unit that wraps one file unit (a package view wraps the file under
 * analysis): analyses on it may require analyses on that file.
 */
export interface WrappingUnit {
  readonly file: AnalysisUnits[AnalysisOn];
  readonly fileUnit: AnalysisOn;
}

/** `fact: true` only on the units facts are extracted from (a type error elsewhere). */
type Spec<T, K extends AnalysisOn> = Omit<Analysis<T, K>, 'requires' | 'fact'> & {
  requires?: readonly AnyAnalysis[];
  fact?: K extends FactOn ? boolean : false;
};

export function defineAnalysis<T, K extends AnalysisOn>(spec: Spec<T, K>): Analysis<T, K> {
  const analysis: Analysis<T, K> = { ...spec, requires: spec.requires ?? [], fact: spec.fact ?? false };
  if (analysis.fact) FACT_ANALYSES.set(analysis.id, analysis as unknown as Analysis<unknown, FactOn>);
  return analysis;
}

/**
 * Every fact analysis defined, by id (definitions only, filled as modules
 * load): audit workers tell each other the fact kinds their rules asked by
 * id, and each builds those kinds from every file it audits from then on, so
 * the facts it shares answer what another worker asks of its packages (rules
 * ask some kinds through helpers, not in their `analyses`).
 */
const FACT_ANALYSES = new Map<string, Analysis<unknown, FactOn>>();

export function factAnalysis(id: string): Analysis<unknown, FactOn> | undefined {
  return FACT_ANALYSES.get(id);
}

export function factAnalysisIds(): string[] {
  return [...FACT_ANALYSES.keys()];
}

/**
 * The {@link Analysis.declarationKey} of `analysis` for `unit` ('' when local),
 * memoised in the unit's slot; throws for an analysis that declares none.
 */
export function declarationKeyOf<T, K extends AnalysisOn>(analysis: Analysis<T, K>, unit: AnalysisUnits[K]): DeclarationKeyValue {
  const key = analysis.declarationKey;
  if (key === undefined) throw new Error(`analysis ${analysis.id} declares no declarationKey: declaration-scoped rules cannot read it`);
  if (key === 'local') return '';
  const slotId = `${analysis.id}#declaration-key`;
  const hit = unit.analyses.get(slotId);
  if (hit.found) return hit.value as DeclarationKeyValue;
  const value = key(unit, passFor(analysis, unit));
  unit.analyses.set(slotId, value);
  return value;
}

function passFor<T, K extends AnalysisOn>(analysis: Analysis<T, K>, unit: AnalysisUnits[K]): AnalysisPass {
  return {
    resultOf: <U, D extends AnalysisOn>(dep: Analysis<U, D>): U => {
      if (!analysis.requires.includes(dep)) throw new Error(`analysis ${analysis.id} reads ${dep.id} without requiring it`);
      const depUnit = unitFor(analysis.on, unit, dep.on);
      if (!depUnit) throw new Error(`analysis ${analysis.id} (${analysis.on}) cannot require ${dep.id} (${dep.on})`);
      return resultOf(dep, depUnit as AnalysisUnits[D]);
    },
  };
}

/** The unit an analysis on `on` reads, seen from a unit of kind `from`; undefined when there is none. */
function unitFor(from: AnalysisOn, unit: AnalysisUnits[AnalysisOn], on: AnalysisOn): AnalysisUnits[AnalysisOn] | undefined {
  if (on === from) return unit;
  if (on === 'text') return 'source' in unit ? unit.source : undefined;
  if ('fileUnit' in unit && 'file' in unit && (unit as WrappingUnit).fileUnit === on) return (unit as WrappingUnit).file;
  return undefined;
}

/**
 * The result of `analysis` for `unit`, built once per unit (and per engine
 * fact store for facts). Requirements are resolved on the same unit, or on
 * the file of a package, or on the text of a file.
 */
export function resultOf<T, K extends AnalysisOn>(analysis: Analysis<T, K>, unit: AnalysisUnits[K]): T {
  const slot = unit.analyses;
  const hit = slot.get(analysis.id);
  if (hit.found) return hit.value as T;
  if (slot.building.has(analysis.id)) throw new Error(`analysis ${analysis.id} requires itself`);
  slot.building.add(analysis.id);
  try {
    const value = analysis.build(unit, passFor(analysis, unit));
    slot.set(analysis.id, value);
    return value;
  } finally {
    slot.building.delete(analysis.id);
  }
}
