/** One bad setting: which variable, what it held (or a safe description of it), and what is allowed. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/**
 * Every configuration problem found, reported together: someone fixing a deployment should not have to
 * restart once per mistake.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]!.message}`
        : `Invalid configuration (${problems.length} problems):\n${problems.map((p) => `- ${p.message}`).join('\n')}`,
    );
  }
}
