import { defineAnalysis } from '../../core/analysis';
import type { GoFile } from '../../languages/go/parser';
import { nodesOfType } from '../../languages/go/syntax-index';

/**
 * Outbound HTTPS evidence of one Go file (a fact): an `https://` string
 * literal (not localhost), an import of an SDK that talks to HTTPS APIs, and
 * whether it embeds its own roots (`golang.org/x/crypto/x509roots/fallback`).
 * Read by `docker/scratch-no-ca-certs` (over a build context) and by the
 * service model (per main package).
 */

/** Module path prefixes of clients that speak HTTPS to public endpoints. */
const HTTPS_SDKS = [
  'github.com/aws/aws-sdk-go', 'cloud.google.com/go', 'google.golang.org/api', 'github.com/azure/azure-sdk-for-go',
  'github.com/stripe/stripe-go', 'github.com/twilio/twilio-go', 'github.com/sendgrid/sendgrid-go', 'github.com/slack-go/slack',
  'golang.org/x/oauth2', 'github.com/google/go-github', 'firebase.google.com/go', 'github.com/getsentry/sentry-go',
  'github.com/openai/openai-go', 'github.com/sashabaranov/go-openai', 'github.com/hashicorp/vault/api',
];
const FALLBACK_ROOTS = 'golang.org/x/crypto/x509roots/fallback';

export interface HttpsFileFacts {
  literal?: string;
  sdk?: string;
  fallback: boolean;
}

/** A module path of an SDK that speaks HTTPS to public endpoints. */
export function isHttpsSdk(modulePath: string): boolean {
  const p = modulePath.toLowerCase();
  return HTTPS_SDKS.some((s) => p === s || p.startsWith(`${s}/`) || p.startsWith(`${s}-`));
}

/** HTTPS evidence of one Go file (a fact). */
export const HTTPS_FACTS = defineAnalysis({ id: 'go/https-evidence', on: 'go-file', fact: true, build: extractFacts });

function extractFacts(file: GoFile): HttpsFileFacts {
  const imports = file.imports.all.map((i) => i.path);
  const out: HttpsFileFacts = { fallback: imports.includes(FALLBACK_ROOTS), sdk: imports.find(isHttpsSdk) };
  for (const node of nodesOfType(file, file.root, ['interpreted_string_literal', 'raw_string_literal'])) {
    const m = /https:\/\/([A-Za-z0-9.-]+)/.exec(node.text);
    if (m && !/^(localhost|127\.0\.0\.1|0\.0\.0\.0)$/.test(m[1])) {
      out.literal = `https://${m[1]}`;
      break;
    }
  }
  return out;
}

