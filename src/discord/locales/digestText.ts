import type { CommandText, Localized } from '../localize.js';

const T = (en: string, fr: string, es: string): Localized => ({ en, fr, es });

/** What /digest's subcommands and options are called and say, in every language (see commands/digest.ts). */
export const DIGEST_TEXT = {
  command: {
    name: T('digest', 'digest', 'resumen'),
    description: T(
      'Scheduled digests of new articles in a channel',
      'Résumés planifiés des nouveaux articles dans un salon',
      'Resúmenes programados de artículos nuevos en un canal',
    ),
  },
  subscribe: {
    name: T('subscribe', 'abonner', 'suscribir'),
    description: T(
      'Post new articles to a channel on a schedule',
      'Publier les nouveaux articles dans un salon selon un horaire',
      'Publicar artículos nuevos en un canal según un horario',
    ),
  },
  channel: {
    name: T('channel', 'salon', 'canal'),
    description: T(
      'Text or announcement channel',
      'Salon textuel ou d’annonces',
      'Canal de texto o de anuncios',
    ),
  },
  schedule: {
    name: T('schedule', 'horaire', 'horario'),
    description: T(
      'Cron, 5 fields: "0 9 * * 1-5" = 09:00 on weekdays',
      'Cron à 5 champs : "0 9 * * 1-5" = 9 h en semaine',
      'Cron de 5 campos: "0 9 * * 1-5" = 9:00 entre semana',
    ),
  },
  timezone: {
    name: T('timezone', 'fuseau', 'zona'),
    description: T(
      'IANA time zone (default UTC)',
      'Fuseau horaire IANA (UTC par défaut)',
      'Zona horaria IANA (UTC por defecto)',
    ),
  },
  query: {
    name: T('query', 'requete', 'consulta'),
    description: T(
      'Only articles matching these words',
      'Seulement les articles contenant ces mots',
      'Solo artículos con estas palabras',
    ),
  },
  mention: {
    name: T('mention', 'mention', 'mencion'),
    description: T(
      'A role to ping once per digest',
      'Un rôle à mentionner une fois par résumé',
      'Un rol que mencionar una vez por resumen',
    ),
  },
  backfill: {
    name: T('backfill', 'rattrapage', 'previos'),
    description: T(
      'Also include this many latest articles in the first digest',
      'Inclure aussi ce nombre de derniers articles dans le premier résumé',
      'Incluir también este número de últimos artículos en el primer resumen',
    ),
  },
  id: {
    name: T('id', 'id', 'id'),
    description: T(
      'Subscription id (see /digest list)',
      'Numéro de l’abonnement (voir /digest list)',
      'Número de la suscripción (ver /digest list)',
    ),
  },
  list: {
    name: T('list', 'liste', 'lista'),
    description: T(
      'Subscriptions of this server',
      'Abonnements de ce serveur',
      'Suscripciones de este servidor',
    ),
  },
  remove: {
    name: T('remove', 'supprimer', 'eliminar'),
    description: T('Delete a subscription', 'Supprimer un abonnement', 'Eliminar una suscripción'),
  },
  pause: {
    name: T('pause', 'pause', 'pausar'),
    description: T(
      'Stop posting, keep the place',
      'Suspendre, en gardant la position',
      'Pausar, conservando la posición',
    ),
  },
  resume: {
    name: T('resume', 'reprendre', 'reanudar'),
    description: T(
      'Continue from where it stopped',
      'Reprendre là où il s’est arrêté',
      'Continuar donde se detuvo',
    ),
  },
  preview: {
    name: T('preview', 'apercu', 'vista'),
    description: T(
      'What the next digest would contain (only you see it)',
      'Ce que contiendrait le prochain résumé (visible par vous seul)',
      'Lo que contendría el próximo resumen (solo usted lo ve)',
    ),
  },
  send: {
    name: T('send', 'envoyer', 'enviar'),
    description: T(
      'Run a subscription now',
      'Exécuter un abonnement maintenant',
      'Ejecutar una suscripción ahora',
    ),
  },
} as const satisfies Record<string, CommandText>;
