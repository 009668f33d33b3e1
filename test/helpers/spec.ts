import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * RingCentral's OpenAPI spec as a validator. The newest public copy lives in shared/reference
 * (beside the repo); the npm package ringcentral-open-api-parser ships an older one that is
 * always available. Tests validate against every copy present.
 */

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
  components: { responses: Record<string, unknown> };
}

export interface SpecValidator {
  name: string;
  /** The schema of a documented response, or of a named component response (e.g. 'Unauthorized'). */
  response(path: string, method: string, status: string): ValidateFunction;
  component(response: string): ValidateFunction;
  schema(name: string): ValidateFunction;
}

const escapePointer = (part: string): string => part.replace(/~/g, '~0').replace(/\//g, '~1');

function specFiles(): { name: string; file: string }[] {
  const require = createRequire(import.meta.url);
  const files = [{ name: 'npm ringcentral-open-api-parser', file: require.resolve('ringcentral-open-api-parser/rc-public-openapi.yml') }];
  const shared = new URL('../../../shared/reference/rc-platform.yml', import.meta.url);
  if (existsSync(shared)) files.push({ name: 'shared/reference/rc-platform.yml', file: shared.pathname });
  return files;
}

function createValidator(name: string, file: string): SpecValidator {
  const spec = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as OpenApi;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema(spec as object, 'spec');
  // Compiling is the slow part (ajv caches by schema object, and each $ref here is a new one).
  const compiled = new Map<string, ValidateFunction>();
  const compile = (pointer: string): ValidateFunction => {
    const known = compiled.get(pointer);
    if (known) return known;
    const validate = ajv.compile({ $ref: `spec#${pointer}` });
    compiled.set(pointer, validate);
    return validate;
  };
  const fromResponse = (pointer: string, response: { $ref?: string } | undefined): ValidateFunction => {
    if (!response) throw new Error(`${name}: no response at ${pointer}`);
    const target = response.$ref ? response.$ref.slice(1) : pointer;
    return compile(`${target}/content/application~1json/schema`);
  };
  return {
    name,
    response(path, method, status) {
      const pointer = `/paths/${escapePointer(path)}/${method}/responses/${status}`;
      return fromResponse(pointer, spec.paths[path]?.[method]?.responses[status]);
    },
    component(response) {
      return fromResponse(`/components/responses/${response}`, spec.components.responses[response] as { $ref?: string });
    },
    schema(schemaName) {
      return compile(`/components/schemas/${schemaName}`);
    },
  };
}

let validators: SpecValidator[] | undefined;

/** One validator per copy of the spec, made once per test process (parsing the YAML takes a while). */
export function specValidators(): SpecValidator[] {
  validators ??= specFiles().map(({ name, file }) => createValidator(name, file));
  return validators;
}

/** Fails with ajv's errors in the message, so a broken contract says what broke. */
export function assertValid(validate: ValidateFunction, body: unknown, what: string): void {
  if (!validate(body)) {
    throw new Error(`${what} does not match the spec:\n${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
  }
}
