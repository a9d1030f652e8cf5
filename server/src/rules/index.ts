import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
import { rule as goUnclosedBody } from './go/unclosed-body';
// --- go: concurrency & request scope
// --- go: memory & limits
// --- docker
import { rule as dockerSyntax } from './docker/syntax';
import { rule as dockerShellFormEntrypoint } from './docker/shell-form-entrypoint';
import { rule as dockerSingleStageGoBuild } from './docker/single-stage-go-build';
import { rule as dockerRunsAsRoot } from './docker/runs-as-root';
import { rule as dockerCgoEnabled } from './docker/cgo-enabled';
import { rule as dockerCacheBustingCopy } from './docker/cache-busting-copy';
import { rule as dockerBaseImageUnpinned } from './docker/base-image-unpinned';
import { rule as dockerGoVersionMismatch } from './docker/go-version-mismatch';
import { rule as dockerScratchNoCaCerts } from './docker/scratch-no-ca-certs';
import { rule as dockerMissingDockerignore } from './docker/missing-dockerignore';
import { rule as dockerPackageCache } from './docker/package-cache';
import { rule as dockerGoBuildFlags } from './docker/go-build-flags';
import { rule as dockerNoBuildCacheMount } from './docker/no-build-cache-mount';
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
  dockerSyntax,
  dockerShellFormEntrypoint,
  dockerSingleStageGoBuild,
  dockerRunsAsRoot,
  dockerCgoEnabled,
  dockerCacheBustingCopy,
  dockerBaseImageUnpinned,
  dockerGoVersionMismatch,
  dockerScratchNoCaCerts,
  dockerMissingDockerignore,
  dockerPackageCache,
  dockerGoBuildFlags,
  dockerNoBuildCacheMount,
  // --- k8s
  // --- cross-file (x/)
  // --- shipshape (directives and config)
  shipshapeUnknownRule,
  shipshapeUnusedIgnore,
];
