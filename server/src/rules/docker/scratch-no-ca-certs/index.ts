import { defineDockerRule } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import { buildContextDir, buildGoMod } from '../../../workspace/build-context';
import { httpsFacts } from './https-evidence';
import { DOCKER_STAGES, baseTraits, copiesFrom, type Stage } from '../../../languages/docker/model/stages';

/**
 * Flags a final `FROM scratch` that gets no CA bundle (no COPY/ADD of
 * ca-certificates or /etc/ssl) when the Go code in the build context calls
 * out over HTTPS: an `https://` literal, an HTTPS SDK in go.mod or imports.
 * Skips code that embeds its roots (x509roots/fallback), images that set
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
    const contextDir = buildContextDir(ctx.workspace, ctx.filePath);
    const facts = httpsFacts(ctx.workspace, contextDir, buildGoMod(ctx.workspace, ctx.filePath));
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

/** A COPY/ADD that brings certificates, or an ENV pointing Go at a bundle. */
function hasCaBundle(stage: Stage): boolean {
  return stage.instructions.some((ins) => {
    const kw = ins.getKeyword();
    const content = ins.getTextContent();
    if (kw === 'ENV' && /SSL_CERT_(FILE|DIR)/.test(content)) return true;
    return (kw === 'COPY' || kw === 'ADD') && /ca-certificates|ca-bundle|cacert|\/etc\/ssl|\/etc\/pki|certs?\b/i.test(content);
  });
}
