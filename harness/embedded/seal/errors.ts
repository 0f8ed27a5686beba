/**
 * The key server's error answers: the names, messages and HTTP statuses of the real server
 * (facts from MystenLabs/seal crates/key-server/src/errors.rs), in the JSON body
 * `{ error, message }` that @mysten/seal's `SealAPIError.assertResponse` maps to its error classes.
 */

export type SealErrorName =
  | 'InvalidPTB'
  | 'InvalidPackage'
  | 'NoAccess'
  | 'InvalidSignature'
  | 'InvalidSessionSignature'
  | 'InvalidCertificate'
  | 'InvalidSDKType'
  | 'InvalidSDKVersion'
  | 'DeprecatedSDKVersion'
  | 'MissingRequiredHeader'
  | 'InvalidParameter'
  | 'InvalidMVRName'
  | 'InvalidServiceId'
  | 'UnsupportedPackageId'
  | 'Failure';

export const SEAL_ERROR_NAMES: readonly SealErrorName[] = [
  'InvalidPTB',
  'InvalidPackage',
  'NoAccess',
  'InvalidSignature',
  'InvalidSessionSignature',
  'InvalidCertificate',
  'InvalidSDKType',
  'InvalidSDKVersion',
  'DeprecatedSDKVersion',
  'MissingRequiredHeader',
  'InvalidParameter',
  'InvalidMVRName',
  'InvalidServiceId',
  'UnsupportedPackageId',
  'Failure',
];

/** A refusal as the real server words it; `detail` fills the variants that carry a string. */
export class SealServerError extends Error {
  constructor(
    readonly error: SealErrorName,
    readonly detail = '',
  ) {
    super(publicMessage(error, detail));
    this.name = `SealServerError(${error})`;
  }

  get status(): number {
    return statusOf(this.error);
  }

  body(): { error: SealErrorName; message: string } {
    return { error: this.error, message: this.message };
  }
}

function publicMessage(error: SealErrorName, detail: string): string {
  switch (error) {
    case 'InvalidPTB':
      return `Invalid PTB: ${detail}`;
    case 'InvalidPackage':
      return 'Invalid package ID';
    case 'NoAccess':
      return `Access denied: ${detail}`;
    case 'InvalidCertificate':
      return 'Invalid certificate time or ttl';
    case 'InvalidSignature':
      return 'Invalid user signature';
    case 'InvalidSDKType':
      return 'Invalid SDK type';
    case 'InvalidSDKVersion':
      return 'Invalid SDK version';
    case 'DeprecatedSDKVersion':
      return 'Deprecated SDK version';
    case 'MissingRequiredHeader':
      return `Missing required header: ${detail}`;
    case 'InvalidSessionSignature':
      return 'Invalid session key signature';
    case 'InvalidParameter':
      return `Invalid parameter to PTB: ${detail}`;
    case 'InvalidMVRName':
      return 'Invalid MVR name';
    case 'InvalidServiceId':
      return 'Invalid service ID';
    case 'UnsupportedPackageId':
      return 'Unsupported package ID';
    case 'Failure':
      // The real server keeps the debug text for its log only.
      return 'Internal server error, please try again later';
  }
}

function statusOf(error: SealErrorName): number {
  switch (error) {
    case 'InvalidPTB':
    case 'InvalidPackage':
    case 'NoAccess':
    case 'InvalidCertificate':
    case 'InvalidSignature':
    case 'InvalidSessionSignature':
    case 'InvalidParameter':
    case 'InvalidMVRName':
      return 403;
    case 'InvalidSDKType':
    case 'InvalidSDKVersion':
    case 'InvalidServiceId':
    case 'UnsupportedPackageId':
    case 'MissingRequiredHeader':
      return 400;
    case 'DeprecatedSDKVersion':
      return 426;
    case 'Failure':
      return 503;
  }
}
