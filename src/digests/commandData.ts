import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { SlashCommandSubcommandBuilder } from 'discord.js';
import { named } from '../discord/localize.js';

/*
 * What /digest looks like to Discord, kept apart from what it does (commands/digest.ts): seven
 * subcommands, Manage Server by default, guild only.
 */

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

/** The /digest definition (names and descriptions in English, French and Spanish). */
export const digestCommandData = named(
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
