import * as path from 'node:path';
import { defineDockerRule } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import { buildContextDir, buildGoMod } from '../../../workspace/build-context';
import { httpsFacts, type HttpsEvidence, type HttpsFacts } from './https-evidence';
import { DOCKER_STAGES, baseTraits, copiesFrom, type Stage } from '../../../languages/docker/model/stages';
import { HTTPS_FACTS, isHttpsSdk } from '../../../workspace/service-model/https-facts';
import type { MainPackageNode } from '../../../workspace/service-model';
import { mainsBuiltBy } from '../../shared/linked-mains';

/**
 * Flags a final `FROM scratch` that gets no CA bundle (no COPY/ADD of
 * ca-certificates or /etc/ssl) when the Go code in the build context calls
 * out over HTTPS. The code is the main package(s) the service model links the
 * Dockerfile to, with the module's packages they import (an `https://`
 * literal or an HTTPS SDK import there); when the model links none, every Go
 * file of the build context and an HTTPS SDK in its go.mod. Skips code that embeds its roots (x509roots/fallback), images that set
 * SSL_CERT_FILE/SSL_CERT_DIR, and contexts without HTTPS evidence.
 */
export const rule = defineDockerRule({
  id: 'docker/scratch-no-ca-certs',
  meta: {
    title: 'scratch image without CA certificates',
    description: 'A scratch image has no CA bundle: every outbound HTTPS call fails with "x509: certificate signed by unknown authority".',
    severity: 'warning',
    fixable: true,
    messages: {
      noCerts: 'scratch image has no CA certificates but the code calls HTTPS ({evidence}): TLS will fail',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final || !baseTraits(final).scratch) return;
    if (hasCaBundle(final)) return;
    const facts = linkedFacts(ctx, ctx.filePath) ?? contextFacts(ctx);
    if (!facts.evidence || facts.embedsRoots) return;
    const span = { start: final.fromSpan.start, end: Math.min(final.fromSpan.end, file.source.lineContentEnd(file.source.lineOf(final.fromSpan.start))) };
    const source = copiesFrom(model, final).find((c) => c.stage)?.stage;
    const fixes = (): Fix[] => {
      if (!source) return [];
      const ref = source.name ?? String(source.index);
      const t = baseTraits(source);
      const at = file.spanOf(final.from.getRange()).end;
      const newText = `${file.source.eol}COPY --from=${ref} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`;
      // golang, alpine and Debian images ship the bundle at that path; other images may not.
      return [{ title: 'Copy the CA bundle from the build stage', safe: t.golang || t.musl || t.debian, preferred: true, edits: [{ start: at, end: at, newText }] }];
    };
    ctx.report({ span, messageId: 'noCerts', data: { evidence: facts.evidence.what }, fixes });
  },
});

type Ctx = Parameters<typeof mainsBuiltBy>[0];

/** HTTPS evidence of the linked main packages (and the module packages they import); undefined when the model links none. */
function linkedFacts(ctx: Ctx, dockerfile: string): HttpsFacts | undefined {
  const mains = mainsBuiltBy(ctx, dockerfile);
  if (mains.length === 0) return undefined;
  const https = mains.map((m) => m.outboundHttps).find((h) => h !== undefined);
  const what = https?.what.startsWith('https://') ? `"${https.what}"` : https?.what;
  const evidence = https ? { what: `${what ?? ''} in ${path.basename(https.file)}`, file: https.file } : sdkInGoMod(ctx, mains);
  // Roots embedded anywhere in the binary's code make the bundle moot.
  const embedsRoots = evidence !== undefined && mains.every((m) => m.sources.some((f) => ctx.workspace.factOf(f, HTTPS_FACTS)?.fallback === true));
  return { evidence, embedsRoots };
}

/**
 * An HTTPS SDK that go.mod requires (an SDK used through another module
 * shows only there), when the go.mod is the binary's own: a main package at
 * its module's root. A go.mod over several binaries (cmd/*) says nothing of
 * which one calls out.
 */
function sdkInGoMod(ctx: Ctx, mains: readonly MainPackageNode[]): HttpsEvidence | undefined {
  const model = ctx.workspace.serviceModel();
  for (const m of mains) {
    const mod = m.module === undefined ? undefined : model?.module(m.module);
    if (!mod || mod.dir !== m.dir) continue;
    const sdk = ctx.workspace.goModFor(mod.file)?.requires.find((r) => isHttpsSdk(r.path));
    if (sdk) return { what: `${sdk.path} in go.mod`, file: mod.file };
  }
  return undefined;
}

/** HTTPS evidence of the build context's Go files and go.mod (no link to a main package). */
function contextFacts(ctx: Ctx): HttpsFacts {
  const contextDir = buildContextDir(ctx.workspace, ctx.filePath);
  const mod = buildGoMod(ctx.workspace, ctx.filePath);
  // A go.mod above a context that holds its own Go program (a sample or tool in a monorepo) lists the
  // whole repository's requirements, not this binary's: then only the context's Go files count.
  const ownGo = (ctx.workspace.listDir(contextDir) ?? []).some((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
  const modInContext = mod !== undefined && path.dirname(mod.path) === contextDir;
  return httpsFacts(ctx.workspace, contextDir, modInContext || !ownGo ? mod : undefined);
}

/** A COPY/ADD that brings certificates, or an ENV pointing Go at a bundle. */
function hasCaBundle(stage: Stage): boolean {
  return stage.instructions.some((ins) => {
    const kw = ins.getKeyword();
    const content = ins.getTextContent();
    if (kw === 'ENV' && /SSL_CERT_(FILE|DIR)/.test(content)) return true;
    return (kw === 'COPY' || kw === 'ADD') && /ca-certificates|ca-bundle|cacert|\/etc\/ssl|\/etc\/pki|certs?\b/i.test(content);
  });
}
