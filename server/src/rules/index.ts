import type { AnyRule } from '../engine/rule';
// Registry: one import and one list line per rule. Sections keep each rule family's lines apart.
// --- go: foundation
import { rule as goUnclosedBody } from './go/unclosed-body';
// --- go: concurrency & request scope
// --- go: memory & limits
// --- docker
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
  // --- cross-file (x/)
  // --- shipshape (directives and config)
  shipshapeUnknownRule,
  shipshapeUnusedIgnore,
];
