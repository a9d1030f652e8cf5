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
import { rule as shipshapeUnknownRule } from './shipshape/unknown-rule';
import { rule as shipshapeUnusedIgnore } from './shipshape/unused-ignore';

export const RULES: readonly AnyRule[] = [
  // --- go: foundation
  goUnclosedBody,
  // --- go: concurrency & request scope
  // --- go: memory & limits
  // --- docker
  // --- k8s
  // --- cross-file (x/)
  // --- shipshape (directives and config)
  shipshapeUnknownRule,
  shipshapeUnusedIgnore,
];
