// Test only, preloaded with `node --import` (NODE_OPTIONS) into a child process: shifts its wall
// clock (Date.now(), `new Date()`, `Date()`) by TEST_CLOCK_OFFSET_MS, as on a host whose clock is
// off. Timers and performance.now() are untouched, as they are on such a host. Plain JavaScript so
// it loads before tsx does; never imported by the program.
import process from 'node:process';

const offset = Number(process.env.TEST_CLOCK_OFFSET_MS ?? '0');
if (!Number.isFinite(offset)) {
  throw new Error(`TEST_CLOCK_OFFSET_MS is not a number: ${process.env.TEST_CLOCK_OFFSET_MS}`);
}
const RealDate = globalThis.Date;
const shiftedNow = () => RealDate.now() + offset;
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) =>
    Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget),
  apply: () => new RealDate(shiftedNow()).toString(),
  get: (target, property, receiver) =>
    property === 'now' ? shiftedNow : Reflect.get(target, property, receiver),
});
