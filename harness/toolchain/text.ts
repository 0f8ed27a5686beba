// Small text helpers for compiler and test-runner output.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Remove ANSI colour codes (the WASM runner colours its output regardless of options). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function toHex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
