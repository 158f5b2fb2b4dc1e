import { InteractionType } from 'discord.js';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { SlashCommand } from '../discord/command.js';
import type { CommandContext } from '../discord/context.js';
import { createDispatcher } from '../discord/dispatch.js';
import { ConsoleCommandInteraction, ConsoleComponentInteraction, asInteraction } from './fakeInteraction.js';
import type { ReplySink } from './fakeInteraction.js';
import { parseCommandLine } from './parseLine.js';
import { renderMessage } from './render.js';
import { translator, type Translate } from '../i18n/translate.js';
import type { ConsoleAction, RenderableMessage } from './render.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly commands: readonly SlashCommand[];
  readonly ctx: CommandContext;
  /** Prompt and keep going interactively; otherwise read lines until the input ends. */
  readonly interactive: boolean;
  /** Printed first, e.g. what was loaded. */
  readonly banner?: string;
}

/** The help text, in the console's language. */
const help = (t: Translate) =>
  [
    t('console.help'),
    '  /about',
    '  /search query:beijing',
    '  /search query:migration kind:article country:China',
    '  /article id:000_1e0d9a2d3cac57c3',
    '  /contact name:liljert',
    '  /project query:CN10P0002',
    `  complete /search query:beij   ${t('console.helpComplete')}`,
    t('console.helpClick'),
    t('console.helpExit'),
  ].join('\n');

/**
 * The console mode: the same command modules and dispatcher as on Discord, fed with commands typed
 * as text, replies rendered as text. Resolves when the input ends or the user types `exit`.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { output, commands, ctx } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const t = translator(ctx.language);
  const baseDispatch = createDispatcher(commands, ctx);
  // The console has no Discord locale: its interactions carry BOT_LANGUAGE.
  const dispatch = (fake: ConsoleCommandInteraction | ConsoleComponentInteraction) => {
    fake.locale = ctx.language;
    return baseDispatch(asInteraction(fake));
  };
  const definitions = commands.map((c) => c.data.toJSON());
  let actions: ConsoleAction[] = [];
  const shown = new Map<string, RenderableMessage & { id: string }>();
  let messageCounter = 0;

  const sinkFor =
    (source?: { id: string }): ReplySink =>
    (message, how) => {
      const id = how === 'update' && source ? source.id : `m${++messageCounter}`;
      const stored = { ...message, id };
      shown.set(id, stored);
      const rendered = renderMessage(message, actions.length + 1, t);
      for (const action of rendered.actions) actionMessages.set(action, stored);
      actions = [...actions, ...rendered.actions];
      const heading =
        how === 'update'
          ? `${t('console.updated')}\n`
          : how === 'follow-up'
            ? `${t('console.followUp')}\n`
            : '';
      write(`${heading}${rendered.text}\n`);
    };
  const actionMessages = new Map<ConsoleAction, RenderableMessage & { id: string }>();

  const handle = async (line: string): Promise<boolean> => {
    const text = line.trim();
    if (!text || text.startsWith('#')) return true;
    if (/^(exit|quit)$/i.test(text)) return false;
    if (/^help$/i.test(text)) {
      write(help(t));
      return true;
    }
    const click = /^click\s+(\d+)$/i.exec(text);
    if (click) {
      const n = Number(click[1]);
      const action = actions[n - 1];
      if (!action) {
        write(actions.length ? t('console.noButton', { n, count: actions.length }) : t('console.noButtons'));
        return true;
      }
      const message = actionMessages.get(action)!;
      const values = action.kind === 'select' ? [action.value] : [];
      const fake = new ConsoleComponentInteraction(
        action.customId,
        values,
        action.kind === 'select',
        message,
        sinkFor(message),
      );
      await dispatch(fake);
      return true;
    }
    const complete = /^complete\s+(.*)$/i.exec(text);
    const parsed = parseCommandLine(complete ? complete[1]! : text, definitions);
    if (!parsed.ok) {
      write(`${t('console.error', { message: parsed.error })}\n`);
      return true;
    }
    const { name, path, options: values } = parsed.value;
    if (complete) {
      const focused = Object.keys(values).at(-1);
      if (!focused) {
        write(`${t('console.error', { message: t('console.completeWhat') })}\n`);
        return true;
      }
      const fake = new ConsoleCommandInteraction(
        name,
        path,
        values,
        sinkFor(),
        InteractionType.ApplicationCommandAutocomplete,
        focused,
      );
      await dispatch(fake);
      return true;
    }
    await dispatch(new ConsoleCommandInteraction(name, path, values, sinkFor()));
    return true;
  };

  if (options.banner) write(options.banner);
  write(`${help(t)}\n`);
  const lines = createInterface({ input: options.input, terminal: false });
  const prompt = () => {
    if (options.interactive) output.write('> ');
  };
  prompt();
  for await (const line of lines) {
    if (options.interactive === false) write(`> ${line}`);
    let keepGoing: boolean;
    try {
      keepGoing = await handle(line);
    } catch (error) {
      // The dispatcher catches command failures; this is the console's own bug, reported, not fatal.
      ctx.logger.error({ err: error, line }, 'console failed to handle a line');
      write(t('console.error', { message: t('console.failed') }));
      keepGoing = true;
    }
    if (!keepGoing) break;
    prompt();
  }
  lines.close();
}
