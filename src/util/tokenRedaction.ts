/**
 * Interaction and webhook routes carry their secret in the path: `/interactions/:id/:token/…` and
 * `/webhooks/:id/:token/…` (whoever holds one answers the interaction or posts through the
 * webhook, no bot token needed). Bot-authenticated `/webhooks/:id` alone has no token.
 */
const TOKEN_IN_PATH = /\/(interactions|webhooks)\/([^/?#\s]+)\/([^/?#\s]+)/g;

/**
 * `text` (a URL, a path, a route or a message holding several) with the token of every
 * interaction and webhook route replaced by `:token`, as @discordjs/rest names it in its routes.
 * Every URL or route that reaches a log goes through this.
 */
export function redactDiscordPath(text: string): string {
  return text.replace(TOKEN_IN_PATH, '/$1/$2/:token');
}
