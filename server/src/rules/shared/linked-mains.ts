import type { RuleContext } from '../../engine/rule';
import type { MainPackageNode } from '../../workspace/service-model';

/**
 * The Go main packages the service model says a Dockerfile builds: the one it
 * is linked to, or, when it puts several binaries in the image and its
 * ENTRYPOINT picks none (`ambiguous`), every candidate. Empty when the model
 * links none (the rules then fall back on the build context).
 */
export function mainsBuiltBy(ctx: RuleContext<unknown>, dockerfile: string): MainPackageNode[] {
  const model = ctx.workspace.serviceModel();
  if (!model) return [];
  const linked = model.serviceOf(dockerfile).map((v) => v.main).filter((m): m is MainPackageNode => m !== undefined);
  if (linked.length > 0) return [...new Set(linked)];
  const candidates = model.unlinkedOf(`dockerfile:${dockerfile}`).filter((u) => u.why === 'ambiguous' && u.wanted === 'dockerfile→main').flatMap((u) => u.candidates ?? []);
  return [...new Set(candidates.flatMap((id) => model.serviceOf(id).map((v) => v.main)).filter((m): m is MainPackageNode => m !== undefined && candidates.includes(m.id)))];
}
