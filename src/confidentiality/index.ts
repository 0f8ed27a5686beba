/** Confidentiality with Seal (issue #17): the product's use of the unmodified SealClient. */
export { parseKeyServers, sealSettings, keyServersFlag, SealConfigError } from './key-servers.ts';
export type { KeyServerSpec, SealSettings } from './key-servers.ts';
export { SealParty, type SealStats } from './seal-party.ts';
export { SealFailure, explainSealFailure } from './seal-failure.ts';
export { GatewaySeal, settingsOf } from './gateway-seal.ts';
export { ListenerSeal } from './listener-seal.ts';
export { sealStatus } from './status.ts';
