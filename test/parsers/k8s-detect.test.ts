// Which broken YAML is taken for a manifest (k8s/yaml-syntax reports it) and which is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isInManifestFolder } from '../../server/src/languages/k8s/adapter';
import { looksLikeManifestText } from '../../server/src/languages/k8s/parser';

test('manifest folders: plain names and names built on them, never under .github', () => {
  for (const p of ['k8s/a.yaml', 'repo/kubernetes-manifests/a.yaml', 'deploy/prod/a.yaml', 'x/deployments/a.yml', 'k8s-prod/a.yaml', 'app-manifests/a.yaml', 'openshift/a.yaml', 'kustomize/base/a.yaml']) {
    assert.equal(isInManifestFolder(p), true, p);
  }
  for (const p of ['ci/a.yaml', '.github/workflows/deploy/a.yaml', 'deployer/a.yaml', 'kubeconfig/a.yaml', 'docs/manifesto/a.yaml']) {
    assert.equal(isInManifestFolder(p), false, p);
  }
});

test('manifest text: apiVersion and kind keys at any indentation, quoted, as list items, after a BOM', () => {
  assert.equal(looksLikeManifestText('apiVersion: v1\nkind: Pod\n'), true);
  assert.equal(looksLikeManifestText('items:\n  - apiVersion: v1\n    kind: Pod\n'), true);
  assert.equal(looksLikeManifestText('{"apiVersion": "v1", "kind": "Pod",\n'), false, 'one line: the keys must start lines');
  assert.equal(looksLikeManifestText('"apiVersion": v1\r\n"kind": Pod\r\n'), true);
  assert.equal(looksLikeManifestText('\uFEFFapiVersion: v1\nkind: Pod\n'), true);
  assert.equal(looksLikeManifestText('name: ci\non: push\njobs:\n  kind: x\n'), false);
  assert.equal(looksLikeManifestText('apiVersion: v2\nname: chart\n'), false, 'a Helm Chart.yaml has no kind');
});
