import * as path from 'node:path';
import type { WorkspaceView } from '../../../workspace/view';
import { defineAnalysis } from '../../../core/analysis';
import type { GoFile } from '../../../languages/go/parser';
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

/** Module path prefixes of clients that speak HTTPS to public endpoints. */
const HTTPS_SDKS = [
  'github.com/aws/aws-sdk-go', 'cloud.google.com/go', 'google.golang.org/api', 'github.com/azure/azure-sdk-for-go',
  'github.com/stripe/stripe-go', 'github.com/twilio/twilio-go', 'github.com/sendgrid/sendgrid-go', 'github.com/slack-go/slack',
  'golang.org/x/oauth2', 'github.com/google/go-github', 'firebase.google.com/go', 'github.com/getsentry/sentry-go',
  'github.com/openai/openai-go', 'github.com/sashabaranov/go-openai', 'github.com/hashicorp/vault/api',
];
const FALLBACK_ROOTS = 'golang.org/x/crypto/x509roots/fallback';
const SKIPPED_DIRS = new Set(['vendor', 'testdata', 'node_modules']);
const MAX_FILES = 2000;

interface FileFacts {
  literal?: string;
  sdk?: string;
  fallback: boolean;
}

export function httpsFacts(workspace: WorkspaceView, contextDir: string, mod: GoMod | undefined): HttpsFacts {
  let evidence: HttpsEvidence | undefined;
  const sdk = mod?.requires.find((r) => isSdk(r.path));
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

function isSdk(modulePath: string): boolean {
  const p = modulePath.toLowerCase();
  return HTTPS_SDKS.some((s) => p === s || p.startsWith(`${s}/`) || p.startsWith(`${s}-`));
}

/** HTTPS evidence of one Go file (a fact). */
const HTTPS_FACTS = defineAnalysis({ id: 'go/https-evidence', on: 'go-file', fact: true, build: extractFacts });

function extractFacts(file: GoFile): FileFacts {
  const imports = file.imports.all.map((i) => i.path);
  const out: FileFacts = { fallback: imports.includes(FALLBACK_ROOTS), sdk: imports.find(isSdk) };
  for (const node of file.root.descendantsOfType(['interpreted_string_literal', 'raw_string_literal'])) {
    if (!node) continue;
    const m = /https:\/\/([A-Za-z0-9.-]+)/.exec(node.text);
    if (m && !/^(localhost|127\.0\.0\.1|0\.0\.0\.0)$/.test(m[1])) {
      out.literal = `https://${m[1]}`;
      break;
    }
  }
  return out;
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
