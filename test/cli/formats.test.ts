// Every output format against a golden file (SHIPSHAPE_UPDATE_GOLDEN=1 rewrites them; review the diff);
// the XML formats are parsed back and their structure checked, HTML is checked to be self-contained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SourceText } from '../../server/src/core/source-text';
import type { Finding, Notice, Severity } from '../../server/src/core/finding';
import { RULES } from '../../server/src/rules/index';
import { locateFindings, type Report } from '../../server/src/cli/report';
import { FORMATS, render, parseOutputSpec, resolveOutputs, UsageError, type OutputFormat } from '../../server/src/cli/outputs';

const GOLDEN = path.join(__dirname, 'golden');
const CWD = '/work/shop';
const MAIN = 'package main\n\n// café 🚀\nfunc main() {\n\tresp, err := http.Get(url)\n\t_ = resp\n\t_ = err\n}\n';
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "api & <web>"\nspec: {}\n';

function finding(ruleId: string, file: string, text: string, flagged: string, message: string, severity: Severity): Finding {
  const start = text.indexOf(flagged);
  return { ruleId, file: path.join(CWD, file), span: { start, end: start + flagged.length }, message, severity, fixes: [], key: `${ruleId}@${start}` };
}

/** A fixed report: two folders, three severities, non-ASCII text, and characters every markup must escape. */
function sampleReport(): Report {
  const findings = [
    finding('go/unclosed-body', 'svc/api/main.go', MAIN, 'http.Get(url)', 'resp.Body is never closed; the connection leaks', 'warning'),
    finding('go/http-client-no-timeout', 'svc/api/main.go', MAIN, 'http.Get', 'http.Get uses http.DefaultClient, which has no timeout', 'error'),
    finding('k8s/missing-limits', 'deploy/app.yaml', DEPLOY, '"api & <web>"', 'container "api & <web>" has no memory limit: one "leak" takes the node', 'info'),
  ];
  const sources = new Map([[path.join(CWD, 'svc/api/main.go'), new SourceText(MAIN)], [path.join(CWD, 'deploy/app.yaml'), new SourceText(DEPLOY)]]);
  const notices: Notice[] = [{ file: path.join(CWD, 'assets/big.go'), reason: 'too-large', message: '9000000 bytes is over the 5242880-byte limit' }];
  return {
    tool: { root: '/opt/shipshape', version: '0.1.0' }, cwd: CWD, rules: RULES, filesAudited: 3,
    findings: locateFindings(CWD, findings, sources, 1 << 20), notices, durationMs: 1234,
  };
}

const EXTENSION: Record<OutputFormat, string> = {
  text: 'txt', compact: 'txt', json: 'json', sarif: 'sarif', github: 'txt', gitlab: 'json', junit: 'xml', checkstyle: 'xml', html: 'html',
};

for (const format of FORMATS.filter((f) => f !== 'json' && f !== 'sarif')) {
  test(`${format}: matches its golden file`, () => {
    const out = render(format, sampleReport(), { color: false, summary: true });
    const file = path.join(GOLDEN, `report.${format}.${EXTENSION[format]}`);
    if (process.env.SHIPSHAPE_UPDATE_GOLDEN === '1') fs.writeFileSync(file, out);
    assert.equal(out, fs.readFileSync(file, 'utf8'), `${format} differs from ${path.relative(process.cwd(), file)} (SHIPSHAPE_UPDATE_GOLDEN=1 rewrites it)`);
  });
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'file', 'error'].includes(name) });

test('junit parses back: one suite per file, one failed test case per finding, counts that add up', () => {
  const xml = render('junit', sampleReport(), { color: false, summary: true });
  assert.equal(XMLValidator.validate(xml), true);
  const doc = parser.parse(xml) as { testsuites: { tests: string; failures: string; testsuite: { name: string; tests: string; failures: string; testcase: { name: string; classname: string; failure: { message: string; type: string; '#text': string } }[] }[] } };
  const suites = doc.testsuites.testsuite;
  assert.deepEqual(suites.map((s) => s.name), ['deploy/app.yaml', 'svc/api/main.go']);
  assert.equal(Number(doc.testsuites.failures), 3);
  for (const s of suites) assert.equal(Number(s.tests), s.testcase.length);
  const body = suites[1].testcase.find((c) => c.name === 'go/unclosed-body');
  assert.equal(body?.classname, 'svc/api/main.go:5:15');
  assert.equal(body?.failure.type, 'warning');
  assert.match(suites[0].testcase[0].failure.message, /container "api & <web>" has no memory limit/, 'escaped text reads back as written');
});

test('junit of a clean audit is one passing test case', () => {
  const xml = render('junit', { ...sampleReport(), findings: [] }, { color: false, summary: true });
  const doc = parser.parse(xml) as { testsuites: { failures: string; testsuite: { testcase: { name: string; failure?: unknown }[] }[] } };
  assert.equal(Number(doc.testsuites.failures), 0);
  assert.equal(doc.testsuites.testsuite[0].testcase.length, 1);
  assert.equal(doc.testsuites.testsuite[0].testcase[0].failure, undefined);
});

test('checkstyle parses back: files, errors with line, column, severity, source', () => {
  const xml = render('checkstyle', sampleReport(), { color: false, summary: true });
  assert.equal(XMLValidator.validate(xml), true);
  const doc = parser.parse(xml) as { checkstyle: { version: string; file: { name: string; error: Record<string, string>[] }[] } };
  assert.equal(doc.checkstyle.version, '4.3');
  const errors: Record<string, string>[] = doc.checkstyle.file.flatMap((f) => f.error.map((e) => ({ ...e, file: f.name })));
  assert.deepEqual(errors.map((e) => [e.file, e.line, e.column, e.severity, e.source]), [
    ['deploy/app.yaml', '4', '9', 'info', 'shipshape.k8s/missing-limits'],
    ['svc/api/main.go', '5', '15', 'error', 'shipshape.go/http-client-no-timeout'],
    ['svc/api/main.go', '5', '15', 'warning', 'shipshape.go/unclosed-body'],
  ]);
});

test('gitlab: Code Quality fields, unique fingerprints, GitLab severities', () => {
  const issues = JSON.parse(render('gitlab', sampleReport(), { color: false, summary: true })) as { fingerprint: string; severity: string; check_name: string; location: { path: string; lines: { begin: number } } }[];
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
  assert.deepEqual(issues.map((i) => i.severity), ['info', 'major', 'minor']);
  assert.deepEqual(issues[1].location, { path: 'svc/api/main.go', lines: { begin: 5, end: 5 } });
});

test('github: workflow commands with escaped properties and data', () => {
  const out = render('github', sampleReport(), { color: false, summary: true });
  assert.match(out, /^::error file=svc\/api\/main\.go,line=5,col=15,endLine=5,endColumn=23,title=go\/http-client-no-timeout \(Shipshape\)::http\.Get uses/m);
  assert.match(out, /^::notice file=deploy\/app\.yaml,line=4,col=9,/m);
  assert.match(out, /^::notice file=assets\/big\.go,title=Shipshape::not audited: 9000000 bytes/m);
});

test('html: one self-contained file with counts, a chart, groups by folder, excerpts and docs links', () => {
  const html = render('html', sampleReport(), { color: false, summary: true });
  assert.doesNotMatch(html, /<script|<link |src="http/, 'no scripts and no external resources');
  assert.match(html, /<svg class="chart"/);
  assert.match(html, /<span class="group">deploy\/<\/span>[\s\S]*<span class="group">svc\/api\/<\/span>/);
  assert.match(html, /<span class="ln hit"><i>5<\/i>\tresp, err := http\.Get\(url\)<\/span>/);
  assert.match(html, /href="file:\/\/\/opt\/shipshape\/docs\/rules\/go\/unclosed-body\.md"/);
  assert.match(html, /container &quot;api &amp; &lt;web&gt;&quot;/);
  const repo = render('html', { ...sampleReport(), tool: { root: '/x', version: '1.2.3', repositoryUrl: 'https://example.com/shipshape' } }, { color: false, summary: true });
  assert.match(repo, /href="https:\/\/example\.com\/shipshape\/blob\/v1\.2\.3\/docs\/rules\/go\/unclosed-body\.md"/);
});

test('--format name[:file]: several outputs, at most one to stdout, --output for the one without a file', () => {
  assert.deepEqual(parseOutputSpec('sarif:out/x.sarif'), { format: 'sarif', path: 'out/x.sarif' });
  assert.deepEqual(resolveOutputs([], undefined), [{ format: 'text' }]);
  assert.deepEqual(resolveOutputs([{ format: 'json' }], 'r.json'), [{ format: 'json', path: 'r.json' }]);
  assert.throws(() => parseOutputSpec('xml'), UsageError);
  assert.throws(() => resolveOutputs([{ format: 'json' }, { format: 'compact' }], undefined), /only one --format may write to stdout/);
});
