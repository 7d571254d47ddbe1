import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, lastMeaningfulLine } from '../../../../src/core/helm/cliRunner';
import { explainHelmFailure } from '../../../../src/core/helm/helmRunner';

describe('explaining helm failures in one sentence', () => {
  const upgrade = ['upgrade', '--install', 'nats', 'nats/nats', '--namespace=nats'];
  const cases: [string, string[], string, RegExp][] = [
    [
      'cluster unreachable',
      upgrade,
      'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused',
      /^The cluster is unreachable .*check that K3s is running/,
    ],
    [
      'RBAC',
      upgrade,
      'Error: namespaces "nats" is forbidden: User "dev" cannot create resource "namespaces"',
      /^The cluster refused the request \(RBAC\): namespaces "nats" is forbidden.*Ask for the permission/,
    ],
    [
      'StatefulSet claim templates',
      upgrade,
      "Error: UPGRADE FAILED: cannot patch \"nats\" with kind StatefulSet: StatefulSet.apps \"nats\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy' are forbidden",
      /^Kubernetes refused the upgrade of release nats: a StatefulSet's volume claim templates cannot change/,
    ],
    [
      'wait timed out',
      upgrade,
      'Error: UPGRADE FAILED: context deadline exceeded',
      /^The install timed out before all pods were ready .*raise the wait timeout/,
    ],
    [
      'release not found',
      ['uninstall', 'edge', '--namespace=iot'],
      'Error: uninstall: Release not loaded: edge: release: not found',
      /^Release edge was not found in that namespace/,
    ],
    [
      'get values of a missing release',
      ['get', 'values', 'gone', '--namespace=nats', '-o', 'json'],
      'Error: release: not found',
      /^Release gone was not found/,
    ],
    [
      'repo unreachable',
      ['repo', 'add', 'nats', 'https://x'],
      'Error: looks like "https://x" is not a valid chart repository or cannot be reached: Get "https://x/index.yaml": dial tcp: lookup x: no such host',
      /^The chart repository cannot be reached .*check the network or proxy, and natsK3s\.helm\.repository/,
    ],
    // helm's own words when a mirror is down: "connection refused" there is the repository's, not the cluster's.
    [
      'mirror refuses repo add',
      ['repo', 'add', 'nats', 'http://127.0.0.1:9/charts/'],
      'Error: looks like "http://127.0.0.1:9/charts/" is not a valid chart repository or cannot be reached: Get "http://127.0.0.1:9/charts/index.yaml": dial tcp 127.0.0.1:9: connect: connection refused',
      /^The chart repository cannot be reached/,
    ],
    [
      'mirror refuses repo update (helm 4)',
      ['repo', 'update', 'nats'],
      'Hang tight while we grab the latest from your chart repositories...\n...Unable to get an update from the "nats" chart repository (http://127.0.0.1:9/charts/):\n\tGet "http://127.0.0.1:9/charts/index.yaml": dial tcp 127.0.0.1:9: connect: connection refused\nError: failed to update the following repositories: [http://127.0.0.1:9/charts/]',
      /^The chart repository cannot be reached \(failed to update the following repositories/,
    ],
    [
      'mirror refuses the chart download',
      ['template', 'nats', 'nats/nats', '--namespace=nats'],
      'Error: Get "http://127.0.0.1:9/charts/nats-2.14.2.tgz": dial tcp 127.0.0.1:9: connect: connection refused',
      /^The chart repository cannot be reached/,
    ],
    [
      'repo add timed out',
      ['repo', 'add', 'nats', 'https://x'],
      'Error: looks like "https://x" is not a valid chart repository or cannot be reached: Get "https://x/index.yaml": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      /^The chart repository cannot be reached/,
    ],
    [
      'cluster unreachable (helm 4)',
      upgrade,
      'Error: kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused',
      /^The cluster is unreachable/,
    ],
    [
      'cluster gone in the middle of a run',
      upgrade,
      'Error: UPGRADE FAILED: Get "https://127.0.0.1:6443/apis/apps/v1/namespaces/nats/statefulsets/nats": dial tcp 127.0.0.1:6443: connect: connection refused',
      /^The cluster is unreachable/,
    ],
    [
      'no repos',
      ['repo', 'list', '-o', 'json'],
      'Error: no repositories to show',
      /^helm has no chart repositories yet: add the NATS repository first\.$/,
    ],
    ['chart unknown', upgrade, 'Error: repo nats not found', /^helm does not know the chart .*add the NATS repository/],
    ['other', upgrade, 'something odd\nError: boom', /^helm exited with code 1: boom$/],
  ];
  for (const [title, args, stderr, expected] of cases) {
    it(title, () => assert.match(explainHelmFailure(args, 1, stderr), expected));
  }

  it('quotes the last meaningful stderr line without the Error: prefix', () => {
    assert.equal(lastMeaningfulLine('a\nError: b\n\n'), 'b');
    assert.equal(lastMeaningfulLine(''), '');
    // helm's closing hint for a chart that fails to render is not the error: the line above it is.
    assert.equal(
      lastMeaningfulLine(
        'Error: YAML parse error on nats/templates/x.yaml: bad\nUse --debug flag to render out invalid YAML\n',
      ),
      'YAML parse error on nats/templates/x.yaml: bad',
    );
  });
});

describe('findExecutable', () => {
  it('finds a bare name on PATH, takes a configured path as is, and refuses non-executables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk3s-exe-'));
    try {
      writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\n');
      chmodSync(join(dir, 'kubectl'), 0o755);
      writeFileSync(join(dir, 'plain'), '');
      assert.equal(findExecutable('kubectl', `/nonexistent:relative:${dir}`), join(dir, 'kubectl'));
      assert.equal(findExecutable(join(dir, 'kubectl'), ''), join(dir, 'kubectl'));
      assert.equal(findExecutable('plain', dir), undefined);
      assert.equal(findExecutable(join(dir, 'missing'), dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
