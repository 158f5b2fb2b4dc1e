/** JSON as the CLI prints it: indented, one trailing newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
