/**
 * Gateway sharding as Discord does it: which shard owns a guild, and checking the `shard` pair a
 * client sends in IDENTIFY.
 */
import { snowflake } from './state.js';

/** `[shard_id, num_shards]`, as in IDENTIFY and READY. */
export type ShardPair = readonly [shardId: number, shardCount: number];

/** What a client gets when it identifies without `shard`: the whole bot on one shard. */
export const UNSHARDED: ShardPair = [0, 1];

/** The shard that receives a guild's events: `(guild_id >> 22) % num_shards`, as Discord computes it. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Whether a session identified as `shard` receives the events of `guildId`. */
export function ownsGuild(shard: ShardPair, guildId: string): boolean {
  return shardOf(guildId, shard[1]) === shard[0];
}

/**
 * A fresh snowflake that shard `shardId` of `shardCount` owns (for seeding guilds on chosen shards):
 * a new id moved back in time by less than `shardCount` milliseconds.
 */
export function snowflakeOnShard(shardId: number, shardCount: number): string {
  if (!Number.isInteger(shardCount) || shardCount < 1 || !Number.isInteger(shardId))
    throw new Error(`loopback: no shard ${shardId} of ${shardCount}`);
  if (shardId < 0 || shardId >= shardCount) throw new Error(`loopback: no shard ${shardId} of ${shardCount}`);
  const id = BigInt(snowflake());
  const count = BigInt(shardCount);
  const timestamp = id >> 22n;
  const back = (((timestamp - BigInt(shardId)) % count) + count) % count;
  return (((timestamp - back) << 22n) | (id & 0x3fffffn)).toString();
}

/** IDENTIFY's shard accepted, or the close code and reason Discord would answer with. */
export type IdentifyShardCheck =
  | { readonly ok: true; readonly shard: ShardPair }
  | { readonly ok: false; readonly code: 4010 | 4011; readonly reason: string };

/**
 * Checks IDENTIFY's `shard` field. Missing means {@link UNSHARDED}. A pair that is not two integers
 * with `0 <= shard_id < num_shards` is 4010 Invalid shard; fewer shards than `requiredShardCount`
 * (Discord's "you must shard" threshold, when a test sets one) is 4011 Sharding required.
 */
export function checkIdentifyShard(
  shard: unknown,
  requiredShardCount: number | undefined,
): IdentifyShardCheck {
  let pair: ShardPair = UNSHARDED;
  if (shard !== undefined && shard !== null) {
    const [id, count] = Array.isArray(shard) ? (shard as unknown[]) : [];
    const valid =
      Array.isArray(shard) &&
      shard.length === 2 &&
      Number.isInteger(id) &&
      Number.isInteger(count) &&
      (count as number) >= 1 &&
      (id as number) >= 0 &&
      (id as number) < (count as number);
    if (!valid) return { ok: false, code: 4010, reason: 'Invalid shard' };
    pair = [id as number, count as number];
  }
  if (requiredShardCount !== undefined && pair[1] < requiredShardCount)
    return { ok: false, code: 4011, reason: 'Sharding required' };
  return { ok: true, shard: pair };
}
