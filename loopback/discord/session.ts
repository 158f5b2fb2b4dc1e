import type {
  APIApplicationCommandOptionChoice,
  APICommandAutocompleteInteractionResponseCallbackData,
  APIMessage,
} from 'discord.js';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import type { InteractionType } from 'discord.js';
import type { ShardPair } from './sharding.js';
import type { LoopbackUser } from './state.js';

/** What a session needs from its server: the latest message states, and waiting. */
export interface SessionHost {
  message(id: string): APIMessage | undefined;
  waitFor<T>(
    probe: () => T | undefined | null | false,
    options?: { timeoutMs?: number | undefined; description?: string },
  ): Promise<T>;
}

/** Who sends an interaction, and where. Defaults: the tester, in the first guild's first text channel. */
export interface InteractionContext {
  readonly user?: LoopbackUser;
  /** Guild id; `null` for a DM. */
  readonly guildId?: string | null;
  readonly channelId?: string;
  /** The member's permissions as Discord computes them; default from roles. */
  readonly permissions?: bigint;
  /** The member's Discord language (`locale`); default en-US. */
  readonly locale?: string;
  /** The server's community language (`guild_locale`); default en-US. */
  readonly guildLocale?: string;
}

/** A gateway connection an interaction was dispatched to. */
export interface InteractionRecipient {
  readonly sessionId: string;
  readonly shard: ShardPair;
}

export interface CallbackRecord {
  readonly type: InteractionResponseType;
  readonly data: Record<string, unknown> | undefined;
}

/** Everything the bot answered to one interaction, updated live as the bot edits or follows up. */
export class InteractionSession {
  callback: CallbackRecord | undefined;
  /** Id of the message `@original` refers to, once there is one. */
  originalMessageId: string | undefined;
  readonly followUpIds: string[] = [];
  /** PATCHes of `@original` so far. */
  edits = 0;
  /** The connections it was dispatched to: those of the shard owning its guild (DMs: shard 0). */
  recipients: readonly InteractionRecipient[] = [];

  constructor(
    readonly server: SessionHost,
    readonly id: string,
    readonly token: string,
    readonly type: InteractionType,
    readonly payload: Record<string, unknown>,
    /** Who sent the interaction. */
    readonly user: LoopbackUser,
  ) {}

  /** When the interaction was dispatched (Discord gives 3 s for the first answer). */
  readonly createdAt = Date.now();

  /** The message `@original` currently is (the reply, or the clicked message after an update). */
  get original(): APIMessage | undefined {
    return this.originalMessageId ? this.server.message(this.originalMessageId) : undefined;
  }

  get followUps(): APIMessage[] {
    return this.followUpIds
      .map((id) => this.server.message(id))
      .filter((m): m is APIMessage => m !== undefined);
  }

  /** The message a user sees as the answer: the edited/created original, else the first follow-up. */
  get reply(): APIMessage | undefined {
    return this.original ?? this.followUps[0];
  }

  get isEphemeral(): boolean {
    const flags = this.reply?.flags ?? 0;
    return (flags & MessageFlags.Ephemeral) !== 0;
  }

  get isDeferred(): boolean {
    return (
      this.callback?.type === InteractionResponseType.DeferredChannelMessageWithSource ||
      this.callback?.type === InteractionResponseType.DeferredMessageUpdate
    );
  }

  /** Autocomplete choices, when the callback was one. */
  get choices(): APIApplicationCommandOptionChoice[] | undefined {
    if (this.callback?.type !== InteractionResponseType.ApplicationCommandAutocompleteResult)
      return undefined;
    return (
      (this.callback.data as APICommandAutocompleteInteractionResponseCallbackData | undefined)?.choices ?? []
    );
  }

  /** Resolves once `predicate(this)` holds. */
  waitFor(
    predicate: (session: InteractionSession) => boolean,
    timeoutMs?: number,
  ): Promise<InteractionSession> {
    return this.server.waitFor(() => (predicate(this) ? this : undefined), {
      timeoutMs,
      description: `interaction ${this.id}`,
    });
  }
}
