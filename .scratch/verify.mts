import { startStack } from '../harness/stack.ts';
const s = await startStack({ identities: [] });
try {
  for (const c of [s.gateway, s.listener] as unknown as Array<{ logs(): string }>)
    console.log(c.logs().split('\n').filter((l) => /confidentiality|verification/.test(l)).join('\n'));
} finally {
  await s.stop();
}
