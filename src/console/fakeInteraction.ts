import { InteractionType } from 'discord.js';
import type { Interaction } from 'discord.js';
import type { RenderableMessage } from './render.js';

/** Where a console interaction's answers go: printed by the console. */
export type ReplySink = (message: RenderableMessage, how: 'reply' | 'edit' | 'follow-up' | 'update') => void;

export interface ConsoleUser {
  readonly id: string;
  readonly username: string;
}

export const CONSOLE_USER: ConsoleUser = { id: '0', username: 'console' };

let counter = 0;

/**
 * The subset of a discord.js interaction the command modules and the dispatcher use, backed by
 * the console: replies go to a sink instead of Discord. It is cast to the discord.js types at one
 * place (the console runner), so a command that reaches past this subset fails loudly there.
 */
class ConsoleInteraction {
  readonly id = `console-${++counter}`;
  readonly user = { ...CONSOLE_USER, tag: CONSOLE_USER.username, bot: false };
  readonly guildId = null;
  readonly guild = null;
  readonly member = null;
  readonly channelId = 'console';
  /** The console's language (BOT_LANGUAGE), set by the console runner. */
  locale: string = 'en-US';
  deferred = false;
  replied = false;
  ephemeral: boolean | null = null;

  constructor(
    readonly type: InteractionType,
    protected readonly sink: ReplySink,
  ) {}

  isChatInputCommand() {
    return this.type === InteractionType.ApplicationCommand;
  }
  isAutocomplete() {
    return this.type === InteractionType.ApplicationCommandAutocomplete;
  }
  isButton() {
    return false;
  }
  isStringSelectMenu() {
    return false;
  }
  isMessageComponent() {
    return this.type === InteractionType.MessageComponent;
  }
  isRepliable() {
    return this.type !== InteractionType.ApplicationCommandAutocomplete;
  }
  /** The console is like a DM: no guild, so guild-only commands say so. */
  inGuild() {
    return false;
  }
  inCachedGuild() {
    return false;
  }
  inRawGuild() {
    return false;
  }

  reply(options: RenderableMessage | string) {
    if (this.replied || this.deferred) throw new Error('console: interaction already acknowledged');
    this.replied = true;
    this.sink(typeof options === 'string' ? { content: options } : options, 'reply');
    return Promise.resolve(undefined);
  }
  deferReply(_options?: unknown) {
    if (this.replied || this.deferred) throw new Error('console: interaction already acknowledged');
    this.deferred = true;
    return Promise.resolve(undefined);
  }
  editReply(options: RenderableMessage | string) {
    if (!this.replied && !this.deferred) throw new Error('console: reply before editing');
    this.replied = true;
    this.sink(typeof options === 'string' ? { content: options } : options, 'edit');
    return Promise.resolve(undefined);
  }
  followUp(options: RenderableMessage | string) {
    if (!this.replied && !this.deferred) throw new Error('console: reply before following up');
    this.sink(typeof options === 'string' ? { content: options } : options, 'follow-up');
    return Promise.resolve(undefined);
  }
}

type Value = string | number | boolean;

/** A typed slash command, with its options. */
export class ConsoleCommandInteraction extends ConsoleInteraction {
  readonly options;

  constructor(
    readonly commandName: string,
    path: readonly string[],
    values: Readonly<Record<string, Value>>,
    sink: ReplySink,
    type: InteractionType = InteractionType.ApplicationCommand,
    focused?: string,
  ) {
    super(type, sink);
    const get = <T extends Value>(name: string, required: boolean | undefined, kind: string): T | null => {
      const value = values[name];
      if (value === undefined) {
        if (required) throw new TypeError(`console: option ${name} is required`);
        return null;
      }
      if (typeof value !== kind) throw new TypeError(`console: option ${name} is not a ${kind}`);
      return value as T;
    };
    const group = path.length === 2 ? path[0]! : null;
    const sub = path.length > 0 ? path[path.length - 1]! : null;
    this.options = {
      getString: (name: string, required?: boolean) => get<string>(name, required, 'string'),
      getInteger: (name: string, required?: boolean) => get<number>(name, required, 'number'),
      getNumber: (name: string, required?: boolean) => get<number>(name, required, 'number'),
      getBoolean: (name: string, required?: boolean) => get<boolean>(name, required, 'boolean'),
      getChannel: (name: string, required?: boolean) => {
        if (required) throw new TypeError(`console: channel options (${name}) need Discord`);
        return null;
      },
      getSubcommand: (required = true) => {
        if (!sub && required) throw new TypeError('console: no subcommand');
        return sub;
      },
      getSubcommandGroup: (required = false) => {
        if (!group && required) throw new TypeError('console: no subcommand group');
        return group;
      },
      getFocused: (full?: boolean) => {
        const value = String(focused ? (values[focused] ?? '') : '');
        return full ? { name: focused ?? '', value, type: 3, focused: true } : value;
      },
    };
  }

  /** Autocomplete answers are printed as a list. */
  respond(choices: readonly { name: string; value: string | number }[]) {
    this.replied = true;
    this.sink({ content: choices.map((c) => `- ${c.name}`).join('\n') || '(no suggestions)' }, 'reply');
    return Promise.resolve(undefined);
  }
  get responded() {
    return this.replied;
  }
}

/** A click on a numbered button or menu option of an earlier reply. */
export class ConsoleComponentInteraction extends ConsoleInteraction {
  constructor(
    readonly customId: string,
    readonly values: readonly string[],
    readonly isSelect: boolean,
    readonly message: RenderableMessage & { readonly id: string },
    sink: ReplySink,
  ) {
    super(InteractionType.MessageComponent, sink);
  }

  override isButton() {
    return !this.isSelect;
  }
  override isStringSelectMenu() {
    return this.isSelect;
  }
  update(options: RenderableMessage) {
    this.replied = true;
    this.sink(options, 'update');
    return Promise.resolve(undefined);
  }
  deferUpdate() {
    this.deferred = true;
    return Promise.resolve(undefined);
  }
}

/** The one place the console's stand-ins become discord.js interactions. */
export const asInteraction = (fake: ConsoleInteraction) => fake as unknown as Interaction;
