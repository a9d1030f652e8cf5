import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
import { rule as goUnclosedBody } from './go/unclosed-body';
// --- go: concurrency & request scope
import { rule as goMissingContext } from './go/missing-context';
import { rule as goSqlOpenPerRequest } from './go/sql-open-per-request';
import { rule as goUnboundedGoroutine } from './go/unbounded-goroutine';
import { rule as goStringConcatInLoop } from './go/string-concat-in-loop';
import { rule as goSqlPoolUnconfigured } from './go/sql-pool-unconfigured';
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
  goMissingContext,
  goSqlOpenPerRequest,
  goUnboundedGoroutine,
  goStringConcatInLoop,
  goSqlPoolUnconfigured,
  // --- go: memory & limits
  // --- docker
  // --- k8s
  // --- cross-file (x/)
  // --- shipshape (directives and config)
  shipshapeUnknownRule,
  shipshapeUnusedIgnore,
];
