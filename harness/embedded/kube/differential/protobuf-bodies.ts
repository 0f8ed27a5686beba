/**
 * Protobuf request bodies ("k8s\0" + runtime.Unknown) for the corpus, as a typed client sends
 * them. Field numbers from k8s.io/api v0.36 generated.proto.
 */
import { encodeMessage, int, mapEntries, msg, str, type ProtoField } from '../proto-writer.ts';
import { PROTOBUF_MAGIC } from '../protobuf.ts';

function envelope(apiVersion: string, kind: string, raw: readonly ProtoField[]): Buffer {
  const unknown = encodeMessage([
    [
      1,
      msg([
        [1, str(apiVersion)],
        [2, str(kind)],
      ]),
    ],
    [2, { t: 'bytes', v: encodeMessage(raw) }],
  ]);
  return Buffer.concat([PROTOBUF_MAGIC, unknown]);
}

const meta = (name: string, labels: Record<string, string> = {}): ProtoField => [
  1,
  msg([
    [1, str(name)],
    ...mapEntries(11, Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, str(v)]))),
  ]),
];

export const configMapPb = (
  name: string,
  data: Record<string, string>,
  labels?: Record<string, string>,
): Buffer =>
  envelope('v1', 'ConfigMap', [
    meta(name, labels),
    ...mapEntries(2, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, str(v)]))),
  ]);

/** ResourceQuota{spec.hard: {pods: "10"}}; Quantity is {1: string}. */
export const resourceQuotaPb = (name: string): Buffer =>
  envelope('v1', 'ResourceQuota', [meta(name), [2, msg(mapEntries(1, { pods: msg([[1, str('10')]]) }))]]);

/** PodDisruptionBudget{spec.minAvailable: 1 (IntOrString type 0), spec.selector.matchLabels}. */
export const pdbPb = (name: string): Buffer =>
  envelope('policy/v1', 'PodDisruptionBudget', [
    meta(name),
    [
      2,
      msg([
        [
          1,
          msg([
            [1, int(0)],
            [2, int(1)],
          ]),
        ],
        [2, msg(mapEntries(1, { app: str('web') }))],
      ]),
    ],
  ]);

export const priorityClassPb = (name: string, value: number): Buffer =>
  envelope('scheduling.k8s.io/v1', 'PriorityClass', [
    meta(name),
    [2, int(value)],
    [4, str('differential corpus')],
  ]);
