import type { SentPatch } from './load-protocol.js';

export interface DeliveryTally {
  sent: number;
  mustArrive: number;
  offline: number;
  changing: number;
  received: number;
  problems: string[];
}

export const emptyTally = (): DeliveryTally => ({ sent: 0, mustArrive: 0, offline: 0, changing: 0, received: 0, problems: [] });

/**
 * The load test's contract for one module: what it received is in strictly increasing `$version`
 * order (so nothing twice, nothing out of order), contains every patch sent while it was connected,
 * none sent while it was offline, and nothing that was never sent.
 */
export function checkDelivery(name: string, sent: readonly SentPatch[], received: readonly number[], tally: DeliveryTally): void {
  tally.sent += sent.length;
  tally.received += received.length;
  const sentVersions = new Set(sent.map((patch) => patch.version));
  const got = new Set(received);
  const problem = (text: string): void => void tally.problems.push(`${name}: ${text} (sent ${JSON.stringify(sent)}, received ${JSON.stringify(received)})`);
  received.forEach((version, index) => {
    if (index > 0 && version <= (received[index - 1] ?? 0)) problem(`$version ${version} arrived after ${received[index - 1] ?? 0}`);
    if (!sentVersions.has(version)) problem(`$version ${version} was never sent`);
  });
  for (const patch of sent) {
    if (patch.delivery === 'connected') {
      tally.mustArrive++;
      if (!got.has(patch.version)) problem(`$version ${patch.version}, sent while connected, never arrived`);
    } else if (patch.delivery === 'offline') {
      tally.offline++;
      if (got.has(patch.version)) problem(`$version ${patch.version}, sent while offline, arrived`);
    } else {
      tally.changing++;
    }
  }
}
