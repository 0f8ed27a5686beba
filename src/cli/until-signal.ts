/** Runs `stop` on SIGINT or SIGTERM, then exits: the long-running services' shutdown. */
export function untilSignal(stop: () => Promise<void>): void {
  const onSignal = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
