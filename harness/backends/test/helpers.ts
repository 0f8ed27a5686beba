import { readFile } from 'node:fs/promises';
import { freePortOnLoopback } from '../ports.ts';

export const freePort = freePortOnLoopback;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitDead(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

export interface FakeSuiRecord {
  argv: string[];
  pid: number;
  grandchild: number;
}

export async function readRecords(file: string): Promise<FakeSuiRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FakeSuiRecord);
}
