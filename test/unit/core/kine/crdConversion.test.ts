import * as assert from 'node:assert/strict';
import { servedCrd } from '../../../../src/core/kine/crdConversion';

describe('a stored v1beta1 CustomResourceDefinition shown as the v1 the API serves', () => {
  it('copies the shared schema, subresources and printer columns into each version and moves the webhook settings', () => {
    const schema = { openAPIV3Schema: { type: 'object' } };
    const stored = {
      kind: 'CustomResourceDefinition',
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      metadata: { name: 'things.example.com' },
      spec: {
        group: 'example.com',
        version: 'v1',
        names: { plural: 'things', kind: 'Thing' },
        scope: 'Cluster',
        validation: schema,
        subresources: { status: {} },
        versions: [
          { name: 'v1', served: true, storage: true },
          {
            name: 'v2',
            served: true,
            storage: false,
            additionalPrinterColumns: [{ name: 'Age', type: 'date', JSONPath: '.metadata.creationTimestamp' }],
          },
        ],
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', JSONPath: '.spec.size' }],
        conversion: {
          strategy: 'Webhook',
          webhookClientConfig: { url: 'https://x' },
          conversionReviewVersions: ['v1'],
        },
        preserveUnknownFields: false,
      },
      status: { storedVersions: ['v1'] },
    };
    assert.deepEqual(servedCrd(stored), {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'things', kind: 'Thing' },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema,
            subresources: { status: {} },
            additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
          },
          {
            name: 'v2',
            served: true,
            storage: false,
            schema,
            subresources: { status: {} },
            additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
          },
        ],
        conversion: {
          strategy: 'Webhook',
          webhook: { clientConfig: { url: 'https://x' }, conversionReviewVersions: ['v1'] },
        },
      },
      status: { storedVersions: ['v1'] },
    });
  });

  it('leaves every other object alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
    assert.equal(servedCrd(cm), cm);
  });
});
