import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
// --- go: concurrency & request scope
// --- go: memory & limits
// --- docker
// --- k8s
import { rule as k8sYamlSyntax } from './k8s/yaml-syntax';
// --- cross-file (x/)
// --- shipshape (directives and config)

export const RULES: readonly AnyRule[] = [
  // --- go: foundation
  // --- go: concurrency & request scope
  // --- go: memory & limits
  // --- docker
  // --- k8s
  k8sYamlSyntax,
  // --- cross-file (x/)
  // --- shipshape (directives and config)
];
