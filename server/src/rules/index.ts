import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
import { rule as goUnclosedBody } from './go/unclosed-body';
// --- go: concurrency & request scope
import { rule as goMissingContext } from './go/missing-context';
import { rule as goSqlOpenPerRequest } from './go/sql-open-per-request';
import { rule as goUnboundedGoroutine } from './go/unbounded-goroutine';
import { rule as goStringConcatInLoop } from './go/string-concat-in-loop';
// --- go: memory & limits
import { rule as goLargeStructRangeCopy } from './go/large-struct-range-copy';
import { rule as goHttpClientNoTimeout } from './go/http-client-no-timeout';
import { rule as goHttpServerNoTimeouts } from './go/http-server-no-timeouts';
import { rule as goPprofExposed } from './go/pprof-exposed';
import { rule as goNoGracefulShutdown } from './go/no-graceful-shutdown';
import { rule as goSubSliceRetention } from './go/sub-slice-retention';
import { rule as goUnboundedBodyRead } from './go/unbounded-body-read';
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
  // --- go: memory & limits
  goLargeStructRangeCopy,
  goHttpClientNoTimeout,
  goHttpServerNoTimeouts,
  goPprofExposed,
  goNoGracefulShutdown,
  goSubSliceRetention,
  goUnboundedBodyRead,
  // --- docker
  // --- k8s
  // --- cross-file (x/)
  // --- shipshape (directives and config)
  shipshapeUnknownRule,
  shipshapeUnusedIgnore,
];
