/**
 * Context makers of the other packages of the module that a file imports (`store.Load()` where package
 * `store` of the same go.mod makes its own `context.Background()`): read through the package view's
 * `packageFactsAt` (facts only, recorded as dependencies), exported names only, chains within that
 * package. The rule's context key is their fingerprint.
 */
import * as path from 'node:path';
import type { GoFile } from '../../../languages/go/parser';
import type { RuleContext } from '../../../engine/rule';
import { FRESH_CONTEXT_FACTS, makersOf, type ContextMakers } from './fresh-context';

/** Makers by the import's local name, and by import path (for methods of that package's types). */
export interface ModuleMakers {
  readonly byLocalName: ReadonlyMap<string, ContextMakers>;
  readonly byPath: ReadonlyMap<string, ContextMakers>;
}

const EXPORTED = /^[A-Z]|\.[A-Z]/;

export function moduleMakers(file: GoFile, workspace: RuleContext<unknown>['workspace']): ModuleMakers {
  const byLocalName = new Map<string, ContextMakers>();
  const byPath = new Map<string, ContextMakers>();
  // Only a file that imports something beyond the standard library may import its own module (a module path is
  // never a standard one). The narrow question: adding or removing a standard import re-runs nothing.
  const outside = file.imports.nonStandard();
  if (outside.length === 0) return { byLocalName, byPath };
  const mod = workspace.goModFor(file.path);
  if (!mod?.module) return { byLocalName, byPath };
  const root = path.dirname(mod.path);
  const pkg = workspace.goPackage(file);
  for (const imp of outside) {
    if (imp.path !== mod.module && !imp.path.startsWith(`${mod.module}/`)) continue;
    const dir = path.join(root, imp.path.slice(mod.module.length));
    let makers = byPath.get(imp.path);
    if (!makers) {
      const all = makersOf(pkg.packageFactsAt(dir, FRESH_CONTEXT_FACTS).flat());
      // Only what another package can call: exported functions, exported methods of exported types.
      const byKey = new Map([...all.byKey].filter(([k]) => EXPORTED.test(k) && k.split('.').every((part) => /^[A-Z]/.test(part))));
      makers = { byKey, methods: new Set([...all.methods].filter((m) => /^[A-Z]/.test(m))) };
      byPath.set(imp.path, makers);
    }
    if (makers.byKey.size > 0 && imp.localName !== '_' && imp.localName !== '.') byLocalName.set(imp.localName, makers);
  }
  return { byLocalName, byPath };
}

/** A fingerprint of the module makers a file can reach (the rule's context key). */
export function moduleMakersKey(m: ModuleMakers): string {
  return JSON.stringify([...m.byPath].filter(([, v]) => v.byKey.size > 0).map(([p, v]) => [p, [...v.byKey].sort(([a], [b]) => (a < b ? -1 : 1))]));
}
