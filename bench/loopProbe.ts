/**
 * What a process feels while it works: the longest event-loop stall (a 10 ms interval timer that
 * notes how late each tick fires, the wait a Discord interaction arriving then would have) and its
 * peak RSS (the kernel's high-water mark, VmHWM in /proc/self/status, reset for the phase through
 * /proc/self/clear_refs; where that is unavailable, the largest RSS the timer sampled).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const TICK_MS = 10;

/** Resets this process's RSS high-water mark to its current RSS; false where Linux does not allow it. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** This process's RSS high-water mark in bytes (VmHWM), or null off Linux. */
export function peakRssBytes(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface ProbeResult {
  readonly seconds: number;
  /** Longest delay of a 10 ms tick beyond its due time, in milliseconds. */
  readonly longestStallMs: number;
  readonly peakRssBytes: number;
}

/** Runs `work` under the probe and returns what it returned with the figures. */
export async function probe<T>(work: () => Promise<T>): Promise<{ value: T; figures: ProbeResult }> {
  const isReset = resetPeakRss();
  let sampledPeak = process.memoryUsage.rss();
  let longest = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last - TICK_MS);
    last = now;
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  };
  const timer = setInterval(tick, TICK_MS);
  const started = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    // Work that ended in a stall is caught here, before a late tick could report it.
    tick();
    const hwm = isReset ? peakRssBytes() : null;
    return {
      value,
      figures: {
        seconds,
        longestStallMs: Math.max(0, longest),
        peakRssBytes: Math.max(sampledPeak, hwm ?? 0),
      },
    };
  } finally {
    clearInterval(timer);
  }
}
