/** A mistake on the command line or in the environment: the CLI prints the message and exits 2. */
export class UsageError extends Error {}
