/**
 * A JSON Schema (draft 2020-12 subset) checker for the schemas services register: what TypeBox
 * emits for configuration — type, properties, required, additionalProperties, patternProperties,
 * items, anyOf/allOf/oneOf, const, enum, minimum/maximum, length limits, pattern. Unknown
 * keywords are ignored (annotations such as `default`, `description`, `secret`, `dynamic`).
 *
 * `partial` skips `required`: the config server holds one layer of a service's configuration,
 * and a required key may well come from the service's environment.
 */
export interface SchemaProblem {
  /** JSON Pointer (RFC 6901) of the offending value. */
  path: string;
  message: string;
}

type Schema = Record<string, unknown> | boolean;

const MAX_DEPTH = 32;

export function checkJsonSchema(
  schema: unknown,
  value: unknown,
  options: { partial?: boolean } = {},
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  check(schema as Schema, value, '', problems, options.partial === true, 0);
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function check(
  schema: Schema,
  value: unknown,
  path: string,
  out: SchemaProblem[],
  partial: boolean,
  depth: number,
): void {
  if (schema === true || depth > MAX_DEPTH) return;
  if (schema === false || typeof schema !== 'object' || schema === null) {
    out.push({ path, message: 'no value is allowed here' });
    return;
  }
  const fail = (message: string): void => void out.push({ path: path || '/', message });
  const actual = typeOf(value);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => matchesType(t, actual)))
      return fail(`expected ${types.join(' or ')}, got ${actual}`);
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value))
    return fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return fail(`expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);

  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[];
    const passing = options.filter(
      (option) => checkJsonSchema(option, value, { partial }).length === 0,
    ).length;
    if (passing === 0) return fail(describeUnion(options));
    if (Array.isArray(schema.oneOf) && passing > 1) return fail('matches more than one alternative');
  }
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf as Schema[]) check(part, value, path, out, partial, depth + 1);

  if (typeof value === 'number') checkNumber(schema, value, fail);
  if (typeof value === 'string') checkString(schema, value, fail);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(`expected at least ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail(`expected at most ${schema.maxItems} items`);
    if (schema.items !== undefined && typeof schema.items !== 'object' && typeof schema.items !== 'boolean')
      return;
    if (schema.items !== undefined)
      value.forEach((item, i) =>
        check(schema.items as Schema, item, `${path}/${i}`, out, partial, depth + 1),
      );
  }
  if (actual === 'object') checkObject(schema, value as Record<string, unknown>, path, out, partial, depth);
}

function describeUnion(options: Schema[]): string {
  const consts = options.map((o) =>
    typeof o === 'object' && 'const' in o ? JSON.stringify(o.const) : undefined,
  );
  if (consts.every((c) => c !== undefined)) return `expected one of ${consts.join(', ')}`;
  return 'matches none of the allowed alternatives';
}

function checkNumber(schema: Record<string, unknown>, value: number, fail: (m: string) => void): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`expected >= ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`expected <= ${schema.maximum}`);
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
    fail(`expected > ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
    fail(`expected < ${schema.exclusiveMaximum}`);
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0 && value % schema.multipleOf !== 0)
    fail(`expected a multiple of ${schema.multipleOf}`);
}

function checkString(schema: Record<string, unknown>, value: string, fail: (m: string) => void): void {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength)
    fail(`expected at least ${schema.minLength} characters`);
  if (typeof schema.maxLength === 'number' && length > schema.maxLength)
    fail(`expected at most ${schema.maxLength} characters`);
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      return; // a schema we cannot read is not the writer's fault
    }
    if (!pattern.test(value)) fail(`expected to match ${schema.pattern}`);
  }
}

function checkObject(
  schema: Record<string, unknown>,
  value: Record<string, unknown>,
  path: string,
  out: SchemaProblem[],
  partial: boolean,
  depth: number,
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>).flatMap(
    ([source, sub]) => {
      try {
        return [[new RegExp(source, 'u'), sub] as const];
      } catch {
        return [];
      }
    },
  );
  if (!partial && Array.isArray(schema.required))
    for (const name of schema.required as string[])
      if (!Object.hasOwn(value, name)) out.push({ path: `${path}/${escape(name)}`, message: 'required' });
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${escape(key)}`;
    let known = false;
    if (Object.hasOwn(properties, key)) {
      known = true;
      check(properties[key] as Schema, child, childPath, out, partial, depth + 1);
    }
    for (const [pattern, sub] of patterns)
      if (pattern.test(key)) {
        known = true;
        check(sub, child, childPath, out, partial, depth + 1);
      }
    if (known) continue;
    const extra = schema.additionalProperties;
    if (extra === false) out.push({ path: childPath, message: 'unknown key (is it misspelt?)' });
    else if (typeof extra === 'object' && extra !== null)
      check(extra as Schema, child, childPath, out, partial, depth + 1);
  }
}
