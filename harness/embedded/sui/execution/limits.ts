/** Protocol limits (mainnet values by default); every refusal names the limit and the size. */
export interface Limits {
  max_tx_size_bytes: number;
  max_pure_argument_size: number;
  max_move_object_size: number;
  max_event_emit_size: number;
  max_num_event_emit: number;
  max_programmable_tx_commands: number;
  max_arguments: number;
  max_gas_payment_objects: number;
  max_input_objects: number;
  max_type_arguments: number;
  max_modules_in_publish: number;
}

export const MAINNET_LIMITS: Limits = {
  max_tx_size_bytes: 131_072,
  max_pure_argument_size: 16_384,
  max_move_object_size: 256_000,
  max_event_emit_size: 256_000,
  max_num_event_emit: 1_024,
  max_programmable_tx_commands: 1_024,
  max_arguments: 512,
  max_gas_payment_objects: 256,
  max_input_objects: 2_048,
  max_type_arguments: 16,
  max_modules_in_publish: 64,
};

export class LimitError extends Error {
  constructor(
    readonly limit: keyof Limits,
    readonly size: number,
    readonly max: number,
    what: string,
  ) {
    super(`${what} is ${size} bytes/items, above the protocol limit ${limit} = ${max}`);
    this.name = 'LimitError';
  }
}

export function checkLimit(limits: Limits, limit: keyof Limits, size: number, what: string): void {
  const max = limits[limit];
  if (size > max) throw new LimitError(limit, size, max, what);
}
