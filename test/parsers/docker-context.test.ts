import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { RecordingWorkspace, type FactSource, type FileSource } from '../../server/src/engine/workspace';
import { buildContextDir, buildGoMod, contextGoMod, moduleBaseName } from '../../server/src/workspace/build-context';
import { FolderIndexes } from '../../server/src/engine/folder-indexes';

/** An in-memory workspace: file path -> text; directories are implied. */
function workspace(files: Record<string, string>): RecordingWorkspace {
  const source: FileSource = {
    readText: (p) => files[p],
    listDir: (d) => {
      const names = new Set<string>();
      for (const f of Object.keys(files)) if (f.startsWith(`${d}/`)) names.add(f.slice(d.length + 1).split('/')[0]);
      return names.size ? [...names] : undefined;
    },
    versionOf: (p) => (p in files ? '1' : undefined),
  };
  const facts: FactSource = {
    factOf: () => undefined,
    factOfParsed: () => {
      throw new Error('no Go file under analysis');
    },
  };
  return new RecordingWorkspace(['/w'], source, facts);
}

test('build context: the Dockerfile folder by default', () => {
  const ws = workspace({ '/w/svc/Dockerfile': 'FROM scratch\n', '/w/svc/go.mod': 'module example.com/svc\n\ngo 1.22\n' });
  assert.equal(buildContextDir(ws, '/w/svc/Dockerfile'), '/w/svc');
  assert.equal(contextGoMod(ws, '/w/svc')?.module, 'example.com/svc');
  assert.equal(moduleBaseName(buildGoMod(ws, '/w/svc/Dockerfile')), 'svc');
});

test('build context: a compose file that builds this Dockerfile from another folder', () => {
  const ws = workspace({
    '/w/docker-compose.yml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: build/api.Dockerfile\n  web:\n    build: ./web\n',
    '/w/build/api.Dockerfile': 'FROM scratch\n',
    '/w/web/Dockerfile': 'FROM scratch\n',
    '/w/go.mod': 'module example.com/shop/v2\n\ngo 1.22\n',
  });
  assert.equal(buildContextDir(ws, '/w/build/api.Dockerfile'), '/w');
  assert.equal(buildContextDir(ws, '/w/web/Dockerfile'), '/w/web');
  assert.equal(moduleBaseName(buildGoMod(ws, '/w/build/api.Dockerfile')), 'shop');
  assert.ok(ws.dependencies.has(path.join('/w', 'docker-compose.yml')), 'the compose file is a dependency');
});

test('build context: skaffold artifacts, and broken YAML never throws', () => {
  const ws = workspace({
    '/w/skaffold.yaml': 'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: api\n      context: services\n      docker:\n        dockerfile: api/Dockerfile\n',
    '/w/services/api/Dockerfile': 'FROM scratch\n',
  });
  assert.equal(buildContextDir(ws, '/w/services/api/Dockerfile'), '/w/services');
  const broken = workspace({ '/w/compose.yaml': 'services: [\n', '/w/a/Dockerfile': 'FROM scratch\n' });
  assert.equal(buildContextDir(broken, '/w/a/Dockerfile'), '/w/a');
});

test('build context: kept per folder by the engine, built again when the compose file changes; the compose file is a dependency', () => {
  const files: Record<string, string> = {
    '/w/docker-compose.yml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: build/api.Dockerfile\n',
    '/w/build/api.Dockerfile': 'FROM scratch\n',
  };
  let version = 1;
  const source: FileSource = { readText: (p) => files[p], listDir: () => undefined, versionOf: (p) => (p in files ? `${p}@${String(version)}` : undefined) };
  const facts: FactSource = { factOf: () => undefined, factOfParsed: () => { throw new Error('unused'); } };
  const indexes = new FolderIndexes(source, facts);
  const view = (): RecordingWorkspace => new RecordingWorkspace(['/w'], source, facts, undefined, undefined, undefined, indexes);
  const first = view();
  assert.equal(buildContextDir(first, '/w/build/api.Dockerfile'), '/w');
  assert.ok(first.dependencies.has('/w/docker-compose.yml'), 'the compose file is read for the context');
  assert.ok(first.dependencies.has('/w/build/skaffold.yaml'), 'and so is every name looked for');
  // The compose file no longer builds it: its own folder is the context again (the version changed: no stale index).
  files['/w/docker-compose.yml'] = 'services:\n  web:\n    build: ./web\n';
  version++;
  const second = view();
  assert.equal(buildContextDir(second, '/w/build/api.Dockerfile'), '/w/build');
  assert.ok(second.dependencies.has('/w/docker-compose.yml'), 'a view served from the index still records what it rests on');
});
