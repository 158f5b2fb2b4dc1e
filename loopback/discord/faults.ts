/** Fault injection: the rules a test added, consumed by matching requests. */
import type { LoopbackDiscord } from '../discord.js';
import { matchPath } from './http.js';
import type { Fault, FaultRule } from './http.js';

/** A fault rule and how many more requests it applies to. */
export interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number;
}

export function takeFault(host: LoopbackDiscord, method: string, path: string): Fault | undefined {
  const entry = host.faults.find(
    (f) =>
      f.remaining > 0 &&
      (!f.rule.method || f.rule.method.toUpperCase() === method) &&
      matchPath(f.rule.path, path),
  );
  if (!entry) return undefined;
  entry.remaining -= 1;
  if (entry.remaining <= 0) host.faults.splice(host.faults.indexOf(entry), 1);
  return entry.rule.fault;
}
