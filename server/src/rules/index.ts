import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
// --- go: concurrency & request scope
import { rule as goMissingContext } from './go/missing-context';
// --- go: memory & limits
// --- docker
// --- k8s
// --- cross-file (x/)
// --- shipshape (directives and config)

export const RULES: readonly AnyRule[] = [
  // --- go: foundation
  // --- go: concurrency & request scope
  goMissingContext,
  // --- go: memory & limits
  // --- docker
  // --- k8s
  // --- cross-file (x/)
  // --- shipshape (directives and config)
];
