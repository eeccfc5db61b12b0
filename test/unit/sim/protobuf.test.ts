import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../../src/sim/server/protobuf.js';
import { ApiStatusError } from '../../../src/sim/status.js';

/** A minimal protobuf writer: enough to build what helm's storage driver sends. */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
const field = (n: number, value: Buffer | string) => {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([varint((n << 3) | 2), varint(bytes.length), bytes]);
};
const flag = (n: number, value: number) => Buffer.concat([varint(n << 3), varint(value)]);
const entry = (n: number, key: string, value: Buffer | string) =>
  field(n, Buffer.concat([field(1, key), field(2, value)]));

function envelope(kind: string, raw: Buffer, apiVersion = 'v1'): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), field(1, typeMeta), field(2, raw)]);
}

describe('protobuf request bodies', () => {
  it('decodes a helm release Secret: metadata, labels, binary data as base64, type', () => {
    const payload = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
    const metadata = Buffer.concat([
      field(1, 'sh.helm.release.v1.shop.v1'),
      field(3, 'web'),
      field(8, Buffer.alloc(0)),
      entry(11, 'owner', 'helm'),
      entry(11, 'version', '1'),
      field(
        13,
        Buffer.concat([field(1, 'Deployment'), field(3, 'web'), field(4, 'uid-1'), field(5, 'apps/v1'), flag(6, 1)]),
      ),
    ]);
    const secret = Buffer.concat([
      field(1, metadata),
      entry(2, 'release', payload),
      field(3, 'helm.sh/release.v1'),
      flag(5, 1),
    ]);
    expect(decodeProtobufObject(envelope('Secret', secret))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'sh.helm.release.v1.shop.v1',
        namespace: 'web',
        labels: { owner: 'helm', version: '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-1', controller: true }],
      },
      data: { release: payload.toString('base64') },
      type: 'helm.sh/release.v1',
      immutable: true,
    });
  });

  it('decodes a ConfigMap, and refuses custom resources and bodies without the envelope', () => {
    const configMap = Buffer.concat([field(1, field(1, 'settings')), entry(2, 'mode', 'blue')]);
    expect(decodeProtobufObject(envelope('ConfigMap', configMap))).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { mode: 'blue' },
    });
    expect(() => decodeProtobufObject(envelope('Application', Buffer.alloc(0), 'argoproj.io/v1alpha1'))).toThrow(
      ApiStatusError,
    );
    expect(() => decodeProtobufObject(Buffer.from('{"kind":"Secret"}'))).toThrow(/k8s envelope/);
  });
});
