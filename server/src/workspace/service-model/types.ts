import type { Span } from '../../core/finding';
import type { DockerFacts } from './docker-facts';
import type { GoListen, GoRoute } from './go-facts';
import type { RouteDoubt } from './route-doubts';
import type { ManifestContainer, ManifestHpa, ManifestService, ManifestWorkload } from './manifest-facts';

/**
 * The service model: Go modules and main packages, Dockerfiles, manifests'
 * workloads and containers, and the links between them, each with its kind
 * and reason; what could not be linked, with why. Plain data (JSON as is):
 * the CLI prints it, the language server sends it, rules read it.
 *
 * Node ids are stable strings: `main:<dir>`, `dockerfile:<file>`,
 * `container:<file>#<Kind>/<name>/<container>`, `workload:<file>#<Kind>/<name>`,
 * `service:<file>#<name>`, `hpa:<file>#<name>`, `module:<go.mod>`.
 */

export type LinkKind =
  /** skaffold `build.artifacts[]`: image name ↔ context + Dockerfile (or ko main package). */
  | 'skaffold'
  /** compose `services.<name>`: `image:` ↔ `build:`. */
  | 'compose'
  /** kustomize `images:` rewrites the manifest's image name (`name` → `newName`). */
  | 'kustomize-image'
  /** `ko://<import path>`: the main package itself. */
  | 'ko'
  /** `docker build -t IMAGE [-f FILE] CONTEXT` in a Makefile or shell script. */
  | 'build-script'
  /** The Dockerfile's `go build` names the package (relative to the build context, or by import path). */
  | 'go-build'
  /** The image's last path segment is the Dockerfile's folder name. */
  | 'name-dockerfile-dir'
  /** The image's last path segment (or a main package's folder name) is the binary `go build -o` writes. */
  | 'name-binary'
  /** The image's last path segment is the main package's folder name. */
  | 'name-main-dir'
  /** The workspace has exactly one Go main package and one Dockerfile. */
  | 'single-main'
  /** A Service's selector matches the workload's pod labels. */
  | 'service-selector'
  /** An HPA's `scaleTargetRef`. */
  | 'hpa-target';

/** Where a link or a fact is written. */
export interface SourceRef {
  file: string;
  span?: Span;
}

export interface Link {
  kind: LinkKind;
  from: string;
  to: string;
  /** One sentence for people: `skaffold.yaml builds ghcr.io/acme/api from api/Dockerfile`. */
  reason: string;
  /** The file (and place) that states the link, when one does (a skaffold file, a Makefile line, a Dockerfile's go build). */
  via?: SourceRef;
}

export type UnlinkedWhy =
  | 'no-image'          // a container without image (a patch)
  | 'no-candidate'      // nothing in the workspace matches
  | 'ambiguous'         // several candidates: no link is made
  | 'unresolved'        // a name still holding a variable, a package outside the workspace
  | 'not-go';           // the image is built, but not from Go

export interface Unlinked {
  node: string;
  /** What the link would have been: `container→dockerfile`, `dockerfile→main`, `image→dockerfile`. */
  wanted: 'container→dockerfile' | 'container→main' | 'dockerfile→main' | 'service→workload';
  why: UnlinkedWhy;
  reason: string;
  candidates?: string[];
}

export interface GoModuleNode {
  id: string;
  /** The go.mod file. */
  file: string;
  dir: string;
  module?: string;
  go?: string;
  toolchain?: string;
}

export type Located<T> = T & { file: string };

export interface MainPackageNode {
  id: string;
  dir: string;
  /** The module id (`module:<go.mod>`), when the package is inside one. */
  module?: string;
  importPath?: string;
  files: string[];
  /** Every Go file whose facts the node joins: its own files and those of the module's packages it imports (what a reader of routes depends on). */
  sources: string[];
  /** Routes registered by the package and the module's packages it imports. */
  routes: Located<GoRoute>[];
  /**
   * Why `routes` may be incomplete (empty when the model read every
   * registration): computed paths, registrations in loops, mounted prefixes,
   * routers or health libraries it does not read, routers handed to another
   * module, servers whose handler is none of the routers built. See `route-doubts.ts`.
   */
  routeDoubts: Located<RouteDoubt>[];
  listens: Located<GoListen>[];
  shutdown: boolean;
  shutdownTimeout?: Located<{ seconds?: number; text: string; span: Span }>;
  /** SIGTERM handled anywhere in the module (or in the package, outside a module). */
  sigterm: boolean;
  outboundHttps?: Located<{ what: string }>;
  automaxprocs: boolean;
  automemlimit: boolean;
}

export interface DockerfileNode {
  id: string;
  file: string;
  /** The build context: from a skaffold/compose/script build that names this Dockerfile, else its folder. */
  context: string;
  contextReason: string;
  /** Image names explicit builds give it. */
  images: string[];
  facts: DockerFacts;
}

export interface WorkloadNode {
  id: string;
  file: string;
  facts: Omit<ManifestWorkload, 'containers'>;
  containers: string[];
}

export interface ContainerNode {
  id: string;
  file: string;
  workload: string;
  facts: ManifestContainer;
  /** The image names that may reach the cluster: as written, then kustomize rewrites. */
  images: string[];
  /**
   * Does the container run the Go binary? `go` when linked to a main package
   * and its command (if any) starts that binary; `other` when its `command:`
   * (or the image's entrypoint) is a shell or a script; `unknown` otherwise.
   */
  runs: 'go' | 'other' | 'unknown';
  runsReason: string;
  /** The image's effective user: the final stage's USER, a non-root base's default, or root. */
  user?: { value: string; reason: string; source?: SourceRef };
}

export interface K8sServiceNode {
  id: string;
  file: string;
  facts: ManifestService;
  workloads: string[];
}

export interface HpaNode {
  id: string;
  file: string;
  facts: ManifestHpa;
  workload?: string;
}

export interface ProbeCheck {
  container: string;
  kind: string;
  path: string;
  /** `yes`: a route serves it; `no`: routes are known and none does; `unknown`: no routes known. */
  served: 'yes' | 'no' | 'unknown';
  route?: string;
}

/** One service of the map: the nodes one chain of links joins (main package ↔ Dockerfile ↔ containers). */
export interface ServiceEntry {
  name: string;
  main?: string;
  module?: string;
  dockerfiles: string[];
  images: string[];
  workloads: string[];
  containers: string[];
  k8sServices: string[];
  /** Ports as each side sees them. */
  ports: { listens: number[]; expose: number[]; containerPorts: number[]; servicePorts: number[] };
  probes: ProbeCheck[];
}

export interface ServiceModel {
  roots: string[];
  modules: GoModuleNode[];
  mains: MainPackageNode[];
  dockerfiles: DockerfileNode[];
  workloads: WorkloadNode[];
  containers: ContainerNode[];
  k8sServices: K8sServiceNode[];
  hpas: HpaNode[];
  links: Link[];
  unlinked: Unlinked[];
  services: ServiceEntry[];
}

/** One row of the editor's Service Map view (the language server sends these; `host-shared/protocol.ts` has the same shape). */
export interface MapRow {
  label: string;
  description?: string;
  tooltip?: string;
  /** `service`, `main`, `dockerfile`, `workload`, `container`, `link`, `unlinked`, `info`: the row's icon. */
  kind: string;
  /** File URI the row opens, with a zero-based line. */
  uri?: string;
  line?: number;
  children?: MapRow[];
}
