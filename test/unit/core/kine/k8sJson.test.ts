import * as assert from 'node:assert/strict';
import { DecodeBudget } from '../../../../src/core/kine/decodeBudget';
import { goDuration, rfc3339Micros } from '../../../../src/core/kine/goJsonValues';
import { decodeK8sJson } from '../../../../src/core/kine/k8sJson';
import { k8sDescriptor } from '../../../../src/core/kine/k8sDescriptor';
import { encodeFields, type FixtureField } from '../../../generators/kine/protobufWriter';

const entry = (field: number, key: string, value: string): FixtureField => ({
  field,
  message: [
    { field: 1, text: key },
    { field: 2, text: value },
  ],
});

describe("stored built-ins rendered as the API server's JSON", () => {
  it("a Pod: Go order, omitempty, inline volume sources, Quantity, IntOrString, Time, sorted labels, null conditions' probe time", () => {
    const raw = encodeFields([
      {
        field: 1,
        message: [
          { field: 1, text: 'web' },
          { field: 8, message: [{ field: 1, varint: 1_700_000_000 }] },
          entry(11, 'tier', 'front'),
          entry(11, 'app', 'web'),
        ],
      },
      {
        field: 2,
        message: [
          {
            field: 1,
            message: [
              { field: 1, text: 'data' },
              { field: 2, message: [{ field: 2, message: [{ field: 2, message: [{ field: 1, text: '1Gi' }] }] }] },
            ],
          },
          {
            field: 2,
            message: [
              { field: 1, text: 'c' },
              { field: 6, message: [{ field: 3, varint: 8080 }] },
              // livenessProbe.httpGet.port as a named port: IntOrString type 1, strVal 3.
              {
                field: 10,
                message: [
                  {
                    field: 1,
                    message: [
                      {
                        field: 2,
                        message: [
                          {
                            field: 2,
                            message: [
                              { field: 1, varint: 1 },
                              { field: 3, text: 'http' },
                            ],
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        field: 3,
        message: [
          {
            field: 2,
            message: [
              { field: 1, text: 'Ready' },
              { field: 2, text: 'True' },
            ],
          },
        ],
      },
    ]);
    const pod = decodeK8sJson('v1', 'Pod', raw)!;
    assert.deepEqual(Object.keys(pod), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    assert.deepEqual(pod.metadata, {
      name: 'web',
      creationTimestamp: '2023-11-14T22:13:20Z',
      labels: { app: 'web', tier: 'front' },
    });
    assert.deepEqual(
      Object.keys((pod.metadata as { labels: object }).labels),
      ['app', 'tier'],
      'map keys sorted, as encoding/json writes them',
    );
    const spec = pod.spec as Record<string, unknown>;
    assert.deepEqual(spec.volumes, [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }]);
    assert.deepEqual(spec.containers, [
      { name: 'c', ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { port: 'http' } }, resources: {} },
    ]);
    assert.deepEqual(pod.status, {
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null }],
    });
  });

  it('nil slices without omitempty print null, pointers print their zero, MicroTime keeps six digits, bytes are base64', () => {
    assert.deepEqual(
      decodeK8sJson(
        'rbac.authorization.k8s.io/v1',
        'ClusterRole',
        encodeFields([{ field: 1, message: [{ field: 1, text: 'empty' }] }]),
      ),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'empty' },
        rules: null,
      },
    );
    const lease = decodeK8sJson(
      'coordination.k8s.io/v1',
      'Lease',
      encodeFields([
        {
          field: 2,
          message: [
            { field: 2, varint: 0 },
            {
              field: 3,
              message: [
                { field: 1, varint: 1_767_323_045 },
                { field: 2, varint: 123_000 },
              ],
            },
          ],
        },
      ]),
    )!;
    assert.deepEqual(lease.spec, { leaseDurationSeconds: 0, acquireTime: '2026-01-02T03:04:05.000123Z' });
    const secret = decodeK8sJson(
      'v1',
      'Secret',
      encodeFields([
        {
          field: 2,
          message: [
            { field: 1, text: 'password' },
            { field: 2, text: 'secret' },
          ],
        },
        { field: 3, text: 'Opaque' },
      ]),
    )!;
    assert.deepEqual(secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {},
      data: { password: 'c2VjcmV0' },
      type: 'Opaque',
    });
  });

  it('an unknown kind gives undefined; a huge list is cut where the node budget ends and the cut is named', () => {
    assert.equal(decodeK8sJson('example.com/v1', 'Widget', new Uint8Array()), undefined);
    const many = encodeFields([
      { field: 2, message: Array.from({ length: 50 }, (_, i): FixtureField => ({ field: 1, text: `rule-${i}` })) },
    ]);
    const budget = new DecodeBudget({ maxNodes: 20, maxDepth: 24, maxTextBytes: 1 << 20 });
    const obj = decodeK8sJson('v1', 'Namespace', many, budget)!;
    assert.match(JSON.stringify(obj), /… Cut at \$\.spec\.finalizers after/);
    assert.match(budget.firstCut!, /^Cut at \$/);
  });

  it('bytes that do not fit the kind are refused with the place they break, so the caller can show the field tree', () => {
    assert.throws(
      () => decodeK8sJson('v1', 'Pod', encodeFields([{ field: 1, message: [{ field: 1, varint: 7 }] }])),
      (err: Error) =>
        err.name === 'KineDecodeError' && /\$\.metadata\.name is a string but has wire type 0/.test(err.message),
    );
  });

  it('Go formats: Duration.String() and MicroTime', () => {
    assert.deepEqual([0n, 500_000_000n, 90_000_000_000n, 3_723_500_000_000n, 1500n, -2_000_000_000n].map(goDuration), [
      '0s',
      '500ms',
      '1m30s',
      '1h2m3.5s',
      '1.5µs',
      '-2s',
    ]);
    assert.equal(rfc3339Micros(0n, 1000n), '1970-01-01T00:00:00.000001Z');
  });

  it('the descriptor names its module versions and maps the stored kinds', () => {
    const d = k8sDescriptor();
    // The newest patch of the three minor lines, oldest first (scripts/k8s-descriptor/modules.ts).
    assert.deepEqual(
      d.modules['k8s.io/api'].map((v) => v.split('.').slice(0, 2).join('.')),
      ['v0.34', 'v0.35', 'v0.36'],
    );
    for (const [gv, kind] of [
      ['v1', 'Pod'],
      ['apps/v1', 'Deployment'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
      ['apiregistration.k8s.io/v1', 'APIService'],
    ]) {
      assert.ok(d.groupVersions[gv]?.[kind] !== undefined, `${gv} ${kind}`);
    }
  });

  it('a kind only an older Kubernetes line serves (autoscaling/v2beta2, gone since 1.35) decodes in full', () => {
    const raw = encodeFields([
      {
        field: 1,
        message: [
          { field: 1, text: 'web' },
          { field: 3, text: 'shop' },
        ],
      },
      {
        field: 2,
        message: [
          {
            field: 1,
            message: [
              { field: 1, text: 'Deployment' },
              { field: 2, text: 'web' },
              { field: 3, text: 'apps/v1' },
            ],
          },
          { field: 2, varint: 2 },
          { field: 3, varint: 10 },
        ],
      },
    ]);
    const hpa = decodeK8sJson('autoscaling/v2beta2', 'HorizontalPodAutoscaler', raw);
    assert.ok(hpa, 'the descriptor knows autoscaling/v2beta2 HorizontalPodAutoscaler');
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 2,
      maxReplicas: 10,
    });
    assert.deepEqual((hpa.metadata as Record<string, unknown>).namespace, 'shop');
  });

  it('a Pod field only an older line had (spec.workloadRef, 1.35 alpha) prints when stored, and never when absent', () => {
    const pod = (spec: FixtureField[]) =>
      decodeK8sJson(
        'v1',
        'Pod',
        encodeFields([
          { field: 1, message: [{ field: 1, text: 'p' }] },
          { field: 2, message: spec },
        ]),
      );
    const container: FixtureField = { field: 2, message: [{ field: 1, text: 'c' }] };
    const withRef = pod([
      container,
      {
        field: 42,
        message: [
          { field: 1, text: 'training' },
          { field: 2, text: 'workers' },
        ],
      },
    ]);
    assert.deepEqual((withRef!.spec as Record<string, unknown>).workloadRef, { name: 'training', podGroup: 'workers' });
    const without = pod([container]);
    assert.ok(
      !('workloadRef' in (without!.spec as Record<string, unknown>)),
      'an object without the field does not print it',
    );
  });
});
