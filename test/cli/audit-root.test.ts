// The audit root bounds config lookup and the service model's walk: a repository when there is one, else the
// project folder between the path and the cwd, never a whole home or /tmp folder that merely holds the project.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditRoot } from '../../server/src/cli/audit-finish';

function tree(files: readonly string[]): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-root-')));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    if (!f.endsWith('/')) fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

test('the enclosing repository wins', () => {
  const d = tree(['repo/.git/', 'repo/go.mod', 'repo/services/api/main.go']);
  assert.equal(auditRoot(d, path.join(d, 'repo/services/api')), path.join(d, 'repo'));
});

test('no repository: the cwd that merely contains the project is not the root', () => {
  const d = tree(['other/big/x.go', 'proj/go.mod', 'proj/Dockerfile', 'proj/k8s/deploy.yaml']);
  assert.equal(auditRoot(d, path.join(d, 'proj')), path.join(d, 'proj'));
  assert.equal(auditRoot(d, path.join(d, 'proj/k8s/deploy.yaml')), path.join(d, 'proj'), 'a manifest sees its project');
});

test('no repository: the highest project folder up to the cwd (a monorepo with a top-level config)', () => {
  const d = tree(['.shipshape.yaml', 'services/api/go.mod', 'services/api/main.go']);
  assert.equal(auditRoot(d, path.join(d, 'services/api')), d);
});

test('no repository, no project file: the path itself; a path outside the cwd: itself', () => {
  const d = tree(['loose/a.go', 'elsewhere/b.go']);
  assert.equal(auditRoot(d, path.join(d, 'loose')), path.join(d, 'loose'));
  assert.equal(auditRoot(path.join(d, 'elsewhere'), path.join(d, 'loose/a.go')), path.join(d, 'loose'));
});
