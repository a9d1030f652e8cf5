import * as path from 'node:path';
import type { WorkspaceView } from '../../../workspace/view';
import { HTTPS_FACTS, isHttpsSdk } from '../../../workspace/service-model/https-facts';
import type { GoMod } from '../../../languages/gomod/parser';

/**
 * Does the Go code in a build context call out over HTTPS? Evidence, in
 * order: an SDK module in go.mod that talks to HTTPS APIs, or, in a non-test
 * .go file, an `https://` string literal (not localhost) or an import of
 * such an SDK. Also tells whether the code embeds its own roots
 * (`golang.org/x/crypto/x509roots/fallback`), which makes a CA bundle moot.
 * Files are read as facts (`workspace.factOf`), kept per file content.
 */

export interface HttpsEvidence {
  /** Short description for a message: `"https://api.stripe.com" in pay.go`. */
  what: string;
  file: string;
}

export interface HttpsFacts {
  evidence?: HttpsEvidence;
  embedsRoots: boolean;
}

const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules']);
const MAX_FILES = 2000;

export function httpsFacts(workspace: WorkspaceView, contextDir: string, mod: GoMod | undefined): HttpsFacts {
  let evidence: HttpsEvidence | undefined;
  const sdk = mod?.requires.find((r) => isHttpsSdk(r.path));
  if (sdk && mod) evidence = { what: `${sdk.path} in go.mod`, file: 'go.mod' };
  let embedsRoots = false;
  for (const file of goFilesUnder(workspace, contextDir)) {
    const facts = workspace.factOf(file, HTTPS_FACTS);
    if (!facts) continue;
    if (facts.fallback) embedsRoots = true;
    if (!evidence && facts.literal) evidence = { what: `"${facts.literal}" in ${path.basename(file)}`, file };
    if (!evidence && facts.sdk) evidence = { what: `${facts.sdk} in ${path.basename(file)}`, file };
    if (embedsRoots) break;
  }
  return { evidence, embedsRoots };
}

/** Non-test .go files of the module in a directory, skipping vendor, testdata, hidden folders and nested modules; at most {@link MAX_FILES}. */
function goFilesUnder(workspace: WorkspaceView, dir: string): string[] {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length > 0 && out.length < MAX_FILES) {
    const current = queue.shift() as string; // non-empty: checked by the loop condition
    const names = workspace.listDir(current) ?? [];
    for (const name of [...names].sort()) {
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      const full = path.join(current, name);
      if (name.endsWith('.go')) {
        if (!name.endsWith('_test.go')) out.push(full);
      } else if (!name.includes('.')) {
        // A folder with its own go.mod is another module: not part of this binary.
        const entries = workspace.listDir(full);
        if (entries && !entries.includes('go.mod')) queue.push(full);
      }
    }
  }
  return out;
}
