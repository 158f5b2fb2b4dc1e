import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { SlashCommandSubcommandBuilder } from 'discord.js';
import type { AutocompleteInteraction, ChatInputCommandInteraction, Guild } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/context.js';
import { named } from '../src/discord/localize.js';
import { sendReply } from '../src/discord/reply.js';
import { checkDigestChannel } from '../src/digests/channel.js';
import {
  listReply,
  previewReply,
  sendReplyFor,
  statusReply,
  subscribedReply,
} from '../src/digests/format.js';
import { TIME_ZONES } from '../src/digests/schedule.js';
import type { DigestService } from '../src/digests/service.js';

const id = { en: 'id', fr: 'id', es: 'id' };
const idHelp = {
  en: 'Subscription id (see /digest list)',
  fr: 'Numéro de l’abonnement (voir /digest list)',
  es: 'Número de la suscripción (ver /digest list)',
};
const withId = (s: SlashCommandSubcommandBuilder, required = true) =>
  s.addIntegerOption((o) => named(o, id, idHelp).setRequired(required).setMinValue(1).setAutocomplete(true));
const topic = { en: 'query', fr: 'requete', es: 'consulta' };
const topicHelp = {
  en: 'Only articles matching these words',
  fr: 'Seulement les articles contenant ces mots',
  es: 'Solo artículos con estas palabras',
};

export const data = named(
  new SlashCommandBuilder(),
  { en: 'digest', fr: 'digest', es: 'resumen' },
  {
    en: 'Scheduled digests of new articles in a channel',
    fr: 'Résumés planifiés des nouveaux articles dans un salon',
    es: 'Resúmenes programados de artículos nuevos en un canal',
  },
)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    named(
      s,
      { en: 'subscribe', fr: 'abonner', es: 'suscribir' },
      {
        en: 'Post new articles to a channel on a schedule',
        fr: 'Publier les nouveaux articles dans un salon selon un horaire',
        es: 'Publicar artículos nuevos en un canal según un horario',
      },
    )
      .addChannelOption((o) =>
        named(
          o,
          { en: 'channel', fr: 'salon', es: 'canal' },
          {
            en: 'Text or announcement channel',
            fr: 'Salon textuel ou d’annonces',
            es: 'Canal de texto o de anuncios',
          },
        )
          .setRequired(true)
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addStringOption((o) =>
        named(
          o,
          { en: 'schedule', fr: 'horaire', es: 'horario' },
          {
            en: 'Cron, 5 fields: "0 9 * * 1-5" = 09:00 on weekdays',
            fr: 'Cron à 5 champs : "0 9 * * 1-5" = 9 h en semaine',
            es: 'Cron de 5 campos: "0 9 * * 1-5" = 9:00 entre semana',
          },
        )
          .setRequired(true)
          .setMaxLength(100),
      )
      .addStringOption((o) =>
        named(
          o,
          { en: 'timezone', fr: 'fuseau', es: 'zona' },
          {
            en: 'IANA time zone (default UTC)',
            fr: 'Fuseau horaire IANA (UTC par défaut)',
            es: 'Zona horaria IANA (UTC por defecto)',
          },
        )
          .setAutocomplete(true)
          .setMaxLength(100),
      )
      .addStringOption((o) => named(o, topic, topicHelp).setMaxLength(200))
      .addIntegerOption((o) =>
        named(
          o,
          { en: 'backfill', fr: 'rattrapage', es: 'previos' },
          {
            en: 'Also include this many latest articles in the first digest',
            fr: 'Inclure aussi ce nombre de derniers articles dans le premier résumé',
            es: 'Incluir también este número de últimos artículos en el primer resumen',
          },
        )
          .setMinValue(0)
          .setMaxValue(25),
      ),
  )
  .addSubcommand((s) =>
    named(
      s,
      { en: 'list', fr: 'liste', es: 'lista' },
      {
        en: 'Subscriptions of this server',
        fr: 'Abonnements de ce serveur',
        es: 'Suscripciones de este servidor',
      },
    ),
  )
  .addSubcommand((s) =>
    withId(
      named(
        s,
        { en: 'remove', fr: 'supprimer', es: 'eliminar' },
        { en: 'Delete a subscription', fr: 'Supprimer un abonnement', es: 'Eliminar una suscripción' },
      ),
    ),
  )
  .addSubcommand((s) =>
    withId(
      named(
        s,
        { en: 'pause', fr: 'pause', es: 'pausar' },
        {
          en: 'Stop posting, keep the place',
          fr: 'Suspendre, en gardant la position',
          es: 'Pausar, conservando la posición',
        },
      ),
    ),
  )
  .addSubcommand((s) =>
    withId(
      named(
        s,
        { en: 'resume', fr: 'reprendre', es: 'reanudar' },
        {
          en: 'Continue from where it stopped',
          fr: 'Reprendre là où il s’est arrêté',
          es: 'Continuar donde se detuvo',
        },
      ),
    ),
  )
  .addSubcommand((s) =>
    withId(
      named(
        s,
        { en: 'preview', fr: 'apercu', es: 'vista' },
        {
          en: 'What the next digest would contain (only you see it)',
          fr: 'Ce que contiendrait le prochain résumé (visible par vous seul)',
          es: 'Lo que contendría el próximo resumen (solo usted lo ve)',
        },
      ),
      false,
    ).addStringOption((o) => named(o, topic, topicHelp).setMaxLength(200)),
  )
  .addSubcommand((s) =>
    withId(
      named(
        s,
        { en: 'send', fr: 'envoyer', es: 'enviar' },
        {
          en: 'Run a subscription now',
          fr: 'Exécuter un abonnement maintenant',
          es: 'Ejecutar una suscripción ahora',
        },
      ),
    ),
  );

/** The guild, the digest services, and a re-check of Manage Server (default permissions can be overridden). */
function guard(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  ctx: CommandContext,
): { guild: Guild; digests: DigestService } {
  const digests = ctx.digests;
  if (!interaction.inCachedGuild() || !interaction.guild)
    throw new UserError('not-in-guild', 'Digests are managed inside a server, not here.');
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserError('missing-manage-server', 'You need the Manage Server permission to manage digests.');
  }
  if (!digests)
    throw new UserError('digests-unavailable', 'Digests are not available: the bot runs without its store.');
  return { guild: interaction.guild, digests };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { guild, digests } = guard(interaction, ctx);
  const sub = interaction.options.getSubcommand(true);
  const subscriptionId = () => interaction.options.getInteger('id', true);
  switch (sub) {
    case 'subscribe': {
      const channel = interaction.options.getChannel('channel', true);
      await checkDigestChannel(guild, channel.id);
      const view = digests.subscribe({
        guildId: guild.id,
        channelId: channel.id,
        cron: interaction.options.getString('schedule', true),
        timezone: interaction.options.getString('timezone') ?? 'UTC',
        query: interaction.options.getString('query'),
        backfill: interaction.options.getInteger('backfill') ?? 0,
        createdBy: interaction.user.id,
      });
      return sendReply(interaction, subscribedReply(view));
    }
    case 'list':
      return sendReply(interaction, listReply(digests.list(guild.id)));
    case 'remove':
      return sendReply(
        interaction,
        statusReply({ ...digests.remove(guild.id, subscriptionId()), nextRunAt: undefined }, 'removed'),
      );
    case 'pause':
      return sendReply(interaction, statusReply(digests.pause(guild.id, subscriptionId()), 'paused'));
    case 'resume':
      return sendReply(interaction, statusReply(digests.resume(guild.id, subscriptionId()), 'resumed'));
    case 'preview': {
      const given = interaction.options.getInteger('id');
      const subscription = given === null ? undefined : digests.get(guild.id, given);
      const query = interaction.options.getString('query');
      const digest = digests.preview({
        ...(subscription ? { subscription: query ? { ...subscription, query } : subscription } : {}),
        query,
      });
      return sendReply(interaction, previewReply(digest));
    }
    case 'send': {
      const view = digests.get(guild.id, subscriptionId());
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const outcome = await digests.send(view.id);
      return sendReply(interaction, sendReplyFor(digests.get(guild.id, view.id), outcome));
    }
    default:
      throw new UserError('unknown-subcommand', `Unknown subcommand /digest ${sub}.`);
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).trim().toLowerCase();
  if (focused.name === 'timezone') {
    const zones = TIME_ZONES.filter((z) => z.toLowerCase().includes(typed)).slice(0, 25);
    return interaction.respond(zones.map((z) => ({ name: z, value: z })));
  }
  const { guild, digests } = guard(interaction, ctx);
  const choices = digests
    .list(guild.id)
    .map((s) => {
      const channel = guild.channels.cache.get(s.channelId)?.name ?? s.channelId;
      const label = `#${s.id} · #${channel} · ${s.cron} ${s.timezone}${s.query ? ` · ${s.query}` : ''}${s.status === 'paused' ? ' (paused)' : ''}`;
      return { name: label.slice(0, 100), value: s.id };
    })
    .filter((c) => typed === '' || c.name.toLowerCase().includes(typed))
    .slice(0, 25);
  return interaction.respond(choices);
}
