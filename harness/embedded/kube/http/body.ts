// Reading request bodies: size limit, JSON/YAML/protobuf decoding, duplicate-field detection.
import type { IncomingMessage } from 'node:http';
import { duplicateFields } from '../field-validation.ts';
import { decodeProtobufObject, isProtobuf } from '../protobuf.ts';
import type { ResourceKind } from '../registry.ts';
import { Resources } from '../resources.ts';
import { ApiError, errors } from '../status.ts';

const MAX_BODY = 3 * 1024 * 1024;

/** Reads and decodes a request body: JSON, YAML (apply) or Kubernetes protobuf. */
export async function readObject(req: IncomingMessage, yaml = false): Promise<unknown> {
  return (await readObjectChecked(req, yaml)).object;
}

/** The decoded body and the fields a JSON body repeats (for fieldValidation). */
export async function readObjectChecked(
  req: IncomingMessage,
  yaml = false,
): Promise<{ object: unknown; duplicates: string[] }> {
  const buf = await readBuffer(req);
  const object = decodeObject(req, buf, yaml);
  const json =
    !yaml && !isProtobuf(req.headers['content-type']) && !/yaml/i.test(req.headers['content-type'] ?? '');
  return { object, duplicates: json ? duplicateFields(buf.toString('utf8')) : [] };
}

/** Strict: a repeated field is a 400 like kube-apiserver's; Warn: a warning each; Ignore: nothing. */
export function duplicateWarnings(rk: ResourceKind, duplicates: string[], q: URLSearchParams): string[] {
  if (!duplicates.length) return [];
  const mode = (q.get('fieldValidation') ?? 'Warn').toLowerCase();
  const each = duplicates.map((d) => `duplicate field "${d}"`);
  if (mode === 'strict')
    throw errors.badRequest(
      `${rk.kind} in version "${rk.version}" cannot be handled as a ${rk.kind}: strict decoding error: ${each.join(', ')}`,
    );
  return mode === 'warn' ? each : [];
}

function decodeObject(req: IncomingMessage, buf: Buffer, yaml: boolean): unknown {
  const ct = req.headers['content-type'];
  if (isProtobuf(ct)) return decodeProtobufObject(buf);
  const media = (ct ?? '').split(';')[0]!.trim().toLowerCase();
  if (!yaml && media && !/^application\/(json|yaml|.*\+json|.*\+yaml)$/.test(media) && media !== '*/*')
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  return Resources.decode(buf.toString('utf8'), yaml ? 'yaml' : (ct ?? 'application/json'));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBuffer(req)).toString('utf8');
}

export function readBuffer(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(errors.tooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
