/**
 * ULEB128 reading shared by the BCS and module-binary readers. Returns null on a truncated or
 * over-long (more than 5 bytes, i.e. beyond u32) encoding so each caller can name its own input.
 */
export function readUleb(bytes: Uint8Array, at: number): [value: number, next: number] | null {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 35; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  return null;
}
