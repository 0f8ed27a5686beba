/**
 * The request formats and PTB rules against the real key server's regression values
 * (copied from MystenLabs/seal crates/key-server/src/signed_message.rs tests) and the SDK's
 * own error parsing (SealAPIError.assertResponse) of every error this server answers.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toHex } from '@mysten/bcs';
import { Transaction } from '@mysten/sui/transactions';
import * as seal from '@mysten/seal';
import { sessionPersonalMessage, signedRequestBytes, validPtbFromBase64 } from './request.ts';
import { SEAL_ERROR_NAMES, SealServerError, type SealErrorName } from './errors.ts';

// signed_message.rs test_signed_message_regression: deterministic_random_account_key's public key.
const VK = fromBase64('DX2rNYyNrapO+gBJp1sHQ2VVsQo2ghm7aA9wVxNJ13U=');

// signed_message.rs test_signed_request_regression: BCS { ptb, enc_key, enc_verification_key }.
const SIGNED_REQUEST_HEX =
  '38000100d92bc457b42d48924087ea3f22d35fd2fe9afdf5bdfe38cc51c0f14f3282f6d503626c610e7365616c5f617070726f76655f7800003085946cd4134ecb8f7739bbd3522d1c8fab793c6c431a8b0b77b4f1885d4c096aafab755e7b8bce8688410cee9908fb29608faaf686c0dcbe3f65f1130e8be538d7ea009347d397f517188dfa14417618887a0412e404fff56efbafb63d1fc4970a1187b4ccb6e767a91822312e533fa53dee69f77ef5130be095e147ff3d40e96e8ddc4bf554dae3bcc34048fe9330cccf';

describe('signed messages (Rust regression values)', () => {
  it('words the session personal message as the key server does', () => {
    expect(
      sessionPersonalMessage(
        '0x0000c457b42d48924087ea3f22d35fd2fe9afdf5bdfe38cc51c0f14f3282f6d5',
        VK,
        1622548800,
        30,
      ),
    ).toBe(
      'Accessing keys of package 0x0000c457b42d48924087ea3f22d35fd2fe9afdf5bdfe38cc51c0f14f3282f6d5 for 30 mins from 1970-01-19 18:42:28 UTC, session key DX2rNYyNrapO+gBJp1sHQ2VVsQo2ghm7aA9wVxNJ13U=',
    );
    expect(sessionPersonalMessage('@my/package', VK, 1622548800, 30)).toBe(
      'Accessing keys of package @my/package for 30 mins from 1970-01-19 18:42:28 UTC, session key DX2rNYyNrapO+gBJp1sHQ2VVsQo2ghm7aA9wVxNJ13U=',
    );
  });

  it('serializes the session-signed request byte for byte', () => {
    const all = fromHex(SIGNED_REQUEST_HEX);
    const ptb = all.slice(1, 1 + 0x38);
    const encKey = all.slice(2 + 0x38, 2 + 0x38 + 0x30);
    const vk = all.slice(3 + 0x38 + 0x30);
    expect(vk).toHaveLength(0x60);
    expect(toHex(signedRequestBytes(ptb, encKey, vk))).toBe(SIGNED_REQUEST_HEX);
    // That PTB calls bla::seal_approve_x with no inputs: the key server refuses it.
    expect(() => validPtbFromBase64(toBase64(ptb))).toThrow('Invalid PTB: Empty PTB input or command');
  });
});

describe('PTB rules (valid_ptb.rs)', () => {
  const PKG = '0x' + 'ab'.repeat(32);
  const SHARED = { objectId: '0x' + '11'.repeat(32), initialSharedVersion: 1, mutable: false };
  async function ptbOf(build: (tx: Transaction) => void): Promise<string> {
    const tx = new Transaction();
    build(tx);
    return toBase64((await tx.build({ onlyTransactionKind: true })).slice(1));
  }
  const reason = (b64: string): string => {
    try {
      validPtbFromBase64(b64);
      return 'valid';
    } catch (e) {
      return (e as SealServerError).message;
    }
  };

  it('accepts seal_approve* calls of one package with pure vector<u8> ids; returns the ids', async () => {
    const b64 = await ptbOf((tx) => {
      tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [tx.pure.vector('u8', [1, 2])] });
      tx.moveCall({ target: `${PKG}::m::seal_approve_other`, arguments: [tx.pure.vector('u8', [3])] });
    });
    const v = validPtbFromBase64(b64);
    expect(v.packageId).toBe(PKG);
    expect(v.innerIds.map((i) => toHex(i))).toEqual(['0102', '03']);
  });

  it.each<[string, (tx: Transaction) => void, string]>([
    [
      'a function without the seal_approve prefix',
      (tx) => tx.moveCall({ target: `${PKG}::m::approve`, arguments: [tx.pure.vector('u8', [1])] }),
      'Invalid PTB: Invalid function or package id',
    ],
    [
      'two packages',
      (tx) => {
        tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [tx.pure.vector('u8', [1])] });
        tx.moveCall({
          target: `0x${'cd'.repeat(32)}::m::seal_approve`,
          arguments: [tx.pure.vector('u8', [1])],
        });
      },
      'Invalid PTB: Invalid function or package id',
    ],
    [
      'a non-MoveCall command',
      (tx) => {
        tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [tx.pure.vector('u8', [1])] });
        tx.transferObjects([tx.sharedObjectRef(SHARED)], tx.pure.address(PKG));
      },
      'Invalid PTB: Non MoveCall command',
    ],
    [
      'a result as an argument',
      (tx) => {
        const [r] = tx.moveCall({
          target: `${PKG}::m::seal_approve`,
          arguments: [tx.pure.vector('u8', [1])],
        });
        tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [tx.pure.vector('u8', [1]), r!] });
      },
      'Invalid PTB: Only pure inputs are allowed',
    ],
    [
      'an object as the id',
      (tx) => tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [tx.sharedObjectRef(SHARED)] }),
      'Invalid PTB: Invalid first parameter for seal_approve',
    ],
    [
      'an id that is not BCS vector<u8>',
      (tx) => tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [tx.pure.u16(5)] }), // [5, 0]: a length of 5, one byte
      'Invalid PTB: Invalid BCS for first parameter for seal_approve',
    ],
    [
      'no arguments',
      (tx) => {
        tx.pure.u8(1);
        tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [] });
      },
      'Invalid PTB: Empty args',
    ],
  ])('refuses %s', async (_what, build, message) => {
    expect(reason(await ptbOf(build))).toBe(message);
  });

  it('refuses more than 100 commands, bad base64 and bad BCS', async () => {
    const many = await ptbOf((tx) => {
      const id = tx.pure.vector('u8', [1]);
      for (let i = 0; i < 101; i++) tx.moveCall({ target: `${PKG}::m::seal_approve`, arguments: [id] });
    });
    expect(reason(many)).toBe('Invalid PTB: Too many commands in PTB (more than 100)');
    expect(reason('not base64!')).toBe('Invalid PTB: Invalid Base64');
    expect(reason(toBase64(new Uint8Array([1, 2, 3])))).toBe('Invalid PTB: Invalid BCS');
  });
});

describe('error answers parse in the SDK', () => {
  // The SDK class each real error name maps to (@mysten/seal error.mjs SealAPIError.#generate).
  const expected: Record<SealErrorName, unknown> = {
    InvalidPTB: seal.InvalidPTBError,
    InvalidPackage: seal.InvalidPackageError,
    NoAccess: seal.NoAccessError,
    InvalidSignature: seal.InvalidUserSignatureError,
    InvalidSessionSignature: seal.InvalidSessionKeySignatureError,
    InvalidCertificate: seal.ExpiredSessionKeyError,
    InvalidSDKType: seal.InvalidSDKTypeError,
    InvalidSDKVersion: seal.InvalidSDKVersionError,
    DeprecatedSDKVersion: seal.DeprecatedSDKVersionError,
    MissingRequiredHeader: seal.GeneralError,
    InvalidParameter: seal.InvalidParameterError,
    InvalidMVRName: seal.InvalidMVRNameError,
    InvalidServiceId: seal.InvalidKeyServerObjectIdError,
    UnsupportedPackageId: seal.UnsupportedPackageIdError,
    Failure: seal.InternalError,
  };

  it.each(SEAL_ERROR_NAMES.map((n) => [n]))('%s', async (name) => {
    const e = new SealServerError(name, 'detail');
    const res = new Response(JSON.stringify(e.body()), { status: e.status });
    expect(res.ok).toBe(false);
    const thrown = await seal.SealAPIError.assertResponse(res, 'req').then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(thrown).toBeInstanceOf(expected[name] as new (...a: never[]) => unknown);
  });
});
