/**
 * Shows that each confidentiality attack test guards its protection: for every protection it
 * disables that one check in a temporary copy of the package, runs the Move tests there and
 * expects the attack tests named for it to fail (the attack went through), while the real
 * package passes them. Slow (one Move test run per protection), so a tool, not a unit test.
 *
 *   npm run move:attacks
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testMovePackage } from '../../../harness/toolchain/index.ts';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Mutation {
  protection: string;
  from: string;
  to: string;
  /** tests (of confidentiality_tests) that must fail without the protection */
  attacks: string[];
}

export const MUTATIONS: Mutation[] = [
  {
    protection: 'EClearPayload (ciphertext required)',
    from: '            assert_sealed_payload(cluster, &payload, &aad, requester);',
    to: '            if (false) assert_sealed_payload(cluster, &payload, &aad, requester);',
    attacks: ['attack_a_clear_payload_on_a_seal_cluster_is_refused', 'attack_a_ciphertext_with_trailing_clear_bytes_is_refused'],
  },
  {
    protection: 'ESealSettingMismatch',
    from: 'assert!(header.header_fits(package_id(), &cluster.confidentiality), ESealSettingMismatch);',
    to: 'assert!(true || header.header_fits(package_id(), &cluster.confidentiality), ESealSettingMismatch);',
    attacks: ['attack_a_key_server_outside_the_clusters_set_is_refused', 'attack_a_lower_threshold_than_the_clusters_is_refused'],
  },
  {
    protection: 'EStalePayloadId',
    from: '        confidentiality::is_payload_id(&id, object::id(cluster), cluster.confidentiality.executor_epoch())',
    to: '        true || confidentiality::is_payload_id(&id, object::id(cluster), cluster.confidentiality.executor_epoch())',
    attacks: [
      'attack_a_payload_for_the_epoch_before_a_removal_is_refused',
      'attack_a_payload_id_of_another_cluster_is_refused',
      'attack_another_requesters_payload_id_is_refused',
    ],
  },
  {
    protection: 'EPayloadAadMismatch',
    from: 'assert!(header.header_aad() == option::some(*aad), EPayloadAadMismatch);',
    to: 'assert!(true || header.header_aad() == option::some(*aad), EPayloadAadMismatch);',
    attacks: ['attack_a_ciphertext_replayed_into_another_request_header_is_refused'],
  },
  {
    protection: 'EInvalidResponseId',
    from: '            confidentiality::is_response_id(&response_seal_id, cluster_id, requester),',
    to: '            true || confidentiality::is_response_id(&response_seal_id, cluster_id, requester),',
    attacks: ['attack_a_response_id_naming_another_reader_is_refused'],
  },
  {
    protection: 'EClearResponse',
    from: '    if (cluster.confidentiality.is_seal() && request.response_chunks == 0) {',
    to: '    if (false && cluster.confidentiality.is_seal() && request.response_chunks == 0) {',
    attacks: ['attack_a_clear_answer_on_a_seal_cluster_is_refused', 'attack_an_answer_for_another_response_id_is_refused'],
  },
  {
    protection: 'ENotConfidential',
    from: 'assert!(cluster.confidentiality.is_seal(), ENotConfidential);',
    to: 'assert!(true || cluster.confidentiality.is_seal(), ENotConfidential);',
    attacks: ['attack_seal_settings_cannot_be_set_on_a_cluster_created_without_confidentiality'],
  },
  {
    protection: 'ESealPayloadDenied: sender operates the executor',
    from: '            && executor.account == ctx.sender()\n            && executor.unbonding_until_ms == 0',
    to: '            && (true || executor.account == ctx.sender())\n            && executor.unbonding_until_ms == 0',
    attacks: ['attack_a_stranger_presenting_an_executor_gets_no_payload_key'],
  },
  {
    protection: 'ESealPayloadDenied: executor not unbonding',
    from: '            && executor.unbonding_until_ms == 0\n            && executor.stake',
    to: '            && (true || executor.unbonding_until_ms == 0)\n            && executor.stake',
    attacks: ['attack_a_removed_executor_gets_no_key_for_the_new_epoch'],
  },
  {
    protection: 'ESealPayloadDenied: current epoch and not unbonding',
    from: '            && confidentiality::is_payload_id(id, object::id(cluster), c.executor_epoch())\n            && executor.cluster_id == object::id(cluster)\n            && executor.account == ctx.sender()\n            && executor.unbonding_until_ms == 0',
    to: '            && confidentiality::is_payload_id(id, object::id(cluster), 0)\n            && executor.cluster_id == object::id(cluster)\n            && executor.account == ctx.sender()\n            && true',
    attacks: ['attack_a_removed_executor_gets_no_key_for_its_old_epoch_either'],
  },
  {
    protection: 'ESealPayloadDenied: minimum stake',
    from: '            && executor.stake.value() >= cluster.config.min_executor_stake,\n        ESealPayloadDenied',
    to: '            && (true || executor.stake.value() >= cluster.config.min_executor_stake),\n        ESealPayloadDenied',
    attacks: ['attack_an_executor_slashed_below_the_minimum_gets_no_payload_key'],
  },
  {
    protection: 'ESealResponseDenied',
    from: '            && confidentiality::is_response_id(id, object::id(cluster), ctx.sender()),',
    to: '            && (true || confidentiality::is_response_id(id, object::id(cluster), ctx.sender())),',
    attacks: ['attack_another_identity_gets_no_key_for_the_requesters_response', 'attack_the_executor_gets_no_response_key'],
  },
  {
    protection: 'executor epoch moves on at every removal',
    from: '    cluster.active_executors = cluster.active_executors - 1;\n    cluster.confidentiality.bump_epoch();',
    to: '    cluster.active_executors = cluster.active_executors - 1;',
    attacks: ['attack_a_payload_for_the_epoch_before_a_removal_is_refused'],
  },
];

async function failingTests(mutate?: Mutation): Promise<Set<string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-gateway-attacks-'));
  try {
    for (const entry of ['Move.toml', 'sources', 'tests'])
      cpSync(path.join(PACKAGE_DIR, entry), path.join(dir, entry), { recursive: true });
    if (mutate) {
      const file = path.join(dir, 'sources', 'k8s_gateway.move');
      const source = readFileSync(file, 'utf8');
      if (source.split(mutate.from).length !== 2)
        throw new Error(`${mutate.protection}: the check to disable is not found exactly once; update MUTATIONS`);
      writeFileSync(file, source.replace(mutate.from, mutate.to));
    }
    const result = await testMovePackage(dir, { framework: 'shim' });
    return new Set(result.tests.filter((t) => t.status !== 'pass').map((t) => t.name.split('::').pop() ?? ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const tests = readFileSync(path.join(PACKAGE_DIR, 'tests', 'confidentiality_tests.move'), 'utf8');
  const named = [...tests.matchAll(/^fun (attack_\w+)\(/gm)].map((m) => m[1] ?? '');
  const unlisted = named.filter((t) => !MUTATIONS.some((m) => m.attacks.includes(t)));
  if (unlisted.length > 0) {
    console.error(`attack tests without a protection to disable here: ${unlisted.join(', ')}`);
    return 1;
  }
  const baseline = await failingTests();
  if (baseline.size > 0) {
    console.error(`the package itself fails: ${[...baseline].join(', ')}`);
    return 1;
  }
  let bad = 0;
  for (const m of MUTATIONS) {
    const failed = await failingTests(m);
    const missed = m.attacks.filter((a) => !failed.has(a));
    bad += missed.length;
    console.log(
      `${missed.length ? 'NOT GUARDED' : 'guarded    '}  ${m.protection}: without it ${m.attacks.length - missed.length}/${m.attacks.length} attacks succeed` +
        (missed.length ? ` (still refused: ${missed.join(', ')})` : ''),
    );
  }
  return bad ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
