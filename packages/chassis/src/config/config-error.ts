/** A configuration problem found at start-up: one line per problem, exit code 78 (EX_CONFIG). */

export interface ConfigProblem {
  key: string;
  /** `default`, `file /etc/x.yaml`, `env RAMPART_ORDERS_PORT`, `flag --port`, … */
  source: string;
  /** Already masked when the key is a secret; undefined when the value is missing. */
  value: string | undefined;
  expected: string;
}

export class ConfigError extends Error {
  readonly code = 'RAMPART_ERR_CONFIG' as const;
  readonly service: string;
  readonly problems: readonly ConfigProblem[];

  constructor(service: string, problems: ConfigProblem[]) {
    super(problems.map((p) => formatProblem(service, p)).join('\n'));
    this.name = 'ConfigError';
    this.service = service;
    this.problems = problems;
  }
}

export function formatProblem(service: string, p: ConfigProblem): string {
  const shown = p.value === undefined ? '(missing)' : p.value;
  return `${service}: invalid configuration: ${p.key} = ${shown} (from ${p.source}): ${p.expected}`;
}
