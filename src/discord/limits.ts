/** Discord's limits on what one message may carry (https://discord.com/developers/docs/resources/message). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of titles, descriptions, field names and values, footers and author names of all embeds. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionDescription: 100,
  selectOptionValue: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** A message nonce, as a string. */
  nonce: 25,
} as const;
