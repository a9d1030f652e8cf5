import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
import { rule as goUnclosedBody } from './go/unclosed-body';
// --- go: concurrency & request scope
// --- go: memory & limits
// --- docker
// --- k8s
// --- cross-file (x/)
// --- shipshape (directives and config)

export const RULES: readonly AnyRule[] = [
  // --- go: foundation
  goUnclosedBody,
  // --- go: concurrency & request scope
  // --- go: memory & limits
  // --- docker
  // --- k8s
  // --- cross-file (x/)
  // --- shipshape (directives and config)
];
