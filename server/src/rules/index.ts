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
import { rule as goRequestEscapesHandler } from './go/request-escapes-handler';
import { rule as goContextCancelledEarly } from './go/context-cancelled-early';
import { rule as goGoroutineSharedWrite } from './go/goroutine-shared-write';
// --- go: memory & limits
import { rule as goLargeStructRangeCopy } from './go/large-struct-range-copy';
import { rule as goHttpClientNoTimeout } from './go/http-client-no-timeout';
import { rule as goHttpServerNoTimeouts } from './go/http-server-no-timeouts';
import { rule as goPprofExposed } from './go/pprof-exposed';
import { rule as goNoGracefulShutdown } from './go/no-graceful-shutdown';
import { rule as goSubSliceRetention } from './go/sub-slice-retention';
import { rule as goUnboundedBodyRead } from './go/unbounded-body-read';
import { rule as goRuntimeSetenv } from './go/runtime-setenv';
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
import { rule as dockerGoRuntimeEnv } from './docker/go-runtime-env';
import { rule as dockerCrossBuildArch } from './docker/cross-build-arch';
import { rule as dockerEntrypointNotCopied } from './docker/entrypoint-not-copied';
// --- k8s
import { rule as k8sYamlSyntax } from './k8s/yaml-syntax';
import { rule as k8sMissingLimits } from './k8s/missing-limits';
import { rule as k8sMissingRequests } from './k8s/missing-requests';
import { rule as k8sInvalidResources } from './k8s/invalid-resources';
import { rule as k8sGomemlimitMissing } from './k8s/gomemlimit-missing';
import { rule as k8sGomemlimitInvalid } from './k8s/gomemlimit-invalid';
import { rule as k8sMissingProbes } from './k8s/missing-probes';
import { rule as k8sProbePortMismatch } from './k8s/probe-port-mismatch';
import { rule as k8sImageLatestTag } from './k8s/image-latest-tag';
import { rule as k8sSecurityContext } from './k8s/security-context';
import { rule as k8sGomaxprocsCpuLimit } from './k8s/gomaxprocs-cpu-limit';
import { rule as k8sGomaxprocsDivisor } from './k8s/gomaxprocs-divisor';
import { rule as k8sIdenticalProbes } from './k8s/identical-probes';
import { rule as k8sSelectorMismatch } from './k8s/selector-mismatch';
import { rule as k8sHpaWithoutRequests } from './k8s/hpa-without-requests';
import { rule as k8sTerminationGrace } from './k8s/termination-grace';
import { rule as k8sDangerousCapabilities } from './k8s/dangerous-capabilities';
import { rule as k8sHostNamespace } from './k8s/host-namespace';
import { rule as k8sHostPath } from './k8s/host-path';
import { rule as k8sHostPort } from './k8s/host-port';
import { rule as k8sHpaFixedReplicas } from './k8s/hpa-fixed-replicas';
import { rule as k8sPlaintextSecret } from './k8s/plaintext-secret';
// --- cross-file (x/)
import { rule as xProbePathNotServed } from './x/probe-path-not-served';
import { rule as xPortMismatch } from './x/port-mismatch';
import { rule as xPrestopNeedsShell } from './x/prestop-needs-shell';
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
  goRequestEscapesHandler,
  goContextCancelledEarly,
  goGoroutineSharedWrite,
  // --- go: memory & limits
  goLargeStructRangeCopy,
  goHttpClientNoTimeout,
  goHttpServerNoTimeouts,
  goPprofExposed,
  goNoGracefulShutdown,
  goSubSliceRetention,
  goUnboundedBodyRead,
  goRuntimeSetenv,
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
  dockerGoRuntimeEnv,
  dockerCrossBuildArch,
  dockerEntrypointNotCopied,
  // --- k8s
  k8sYamlSyntax,
  k8sMissingLimits,
  k8sMissingRequests,
  k8sInvalidResources,
  k8sGomemlimitMissing,
  k8sGomemlimitInvalid,
  k8sMissingProbes,
  k8sProbePortMismatch,
  k8sImageLatestTag,
  k8sSecurityContext,
  k8sGomaxprocsCpuLimit,
  k8sGomaxprocsDivisor,
  k8sIdenticalProbes,
  k8sSelectorMismatch,
  k8sHpaWithoutRequests,
  k8sTerminationGrace,
  k8sDangerousCapabilities,
  k8sHostNamespace,
  k8sHostPath,
  k8sHostPort,
  k8sHpaFixedReplicas,
  k8sPlaintextSecret,
  // --- cross-file (x/)
  xProbePathNotServed,
  xPortMismatch,
  xPrestopNeedsShell,
  // --- shipshape (directives and config)
  shipshapeUnknownRule,
  shipshapeUnusedIgnore,
];
