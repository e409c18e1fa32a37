// Real ECR clients behind one small interface, so an e2e scenario is written once and run with each: the aws CLI
// (v1 and v2: operation and members become `--kebab-case` arguments, shorthand where the CLI documents it) and
// boto3 (fixtures/clients/boto3-call.py). Each call is one process. Requests and outputs use the API's names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ecrModule from '@aws-sdk/client-ecr';
import { ECRClient } from '@aws-sdk/client-ecr';
import { runProcess, type ProcessResult } from './run-process';

export type ClientOutput = Record<string, unknown>;

export type ClientResult =
  | { isOk: true; output: ClientOutput; finished: ProcessResult }
  | { isOk: false; errorCode: string | undefined; message: string; exitCode: number | null; finished: ProcessResult };

export interface CallOptions {
  service?: 'ecr' | 'sts';
  /** Default `test`; 12 digits select that account. */
  accessKeyId?: string;
}

export interface Paging {
  maxItems: number;
  startingToken?: string;
}

export interface EcrClientDriver {
  name: string;
  /** The exit code the client ends with on a modelled service error (an `An error occurred (...)` for the CLI). */
  serviceErrorExitCode: number;
  call(operation: string, params?: Record<string, unknown>, options?: CallOptions): Promise<ClientResult>;
  /** Client-side paging (`--max-items` / `--starting-token`, a boto3 paginator): `NextToken` when more remain. */
  paginate(operation: string, params: Record<string, unknown>, paging: Paging, options?: CallOptions): Promise<ClientResult>;
  /** The registry password as the client's users get it: `get-login-password` or a decoded token. */
  loginPassword(options?: CallOptions): Promise<string>;
  /** The client's version line, for failure messages and the report. */
  version(): Promise<string>;
}

export type DriverFactory = (endpoint: string) => EcrClientDriver;

const CLIENT_TIMEOUT_MS = 90_000;
const BOTO3_SCRIPT = path.resolve(__dirname, '../../fixtures/clients/boto3-call.py');
const CLI_ERROR = /An error occurred \(([A-Za-z0-9]+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)/;

/** The environment every AWS client runs with: fixed credentials, no profile, no metadata service, no pager. */
export function awsClientEnvironment(accessKeyId = 'test'): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...inherited,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
}

/** `CreateRepository` → `create-repository`, `lifecyclePolicyText` → `lifecycle-policy-text`. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

const SHORTHAND_SAFE = /^[A-Za-z0-9_.\-/:]+$/;

function isFlatStructure(value: unknown): value is Record<string, string | number | boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((member) => typeof member === 'number' || typeof member === 'boolean' || (typeof member === 'string' && SHORTHAND_SAFE.test(member)));
}

function shorthand(structure: Record<string, string | number | boolean>): string {
  return Object.entries(structure)
    .map(([key, member]) => `${key}=${String(member)}`)
    .join(',');
}

/** API members as aws CLI arguments, the way its documentation writes them. */
export function cliArguments(params: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    const flag = `--${kebabCase(name)}`;
    if (typeof value === 'boolean') args.push(value ? flag : `--no-${kebabCase(name)}`);
    else if (typeof value === 'string' || typeof value === 'number') args.push(flag, String(value));
    else if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) args.push(flag, ...(value as string[]));
    else if (Array.isArray(value) && value.length > 0 && value.every(isFlatStructure)) args.push(flag, ...value.map(shorthand));
    else if (isFlatStructure(value)) args.push(flag, shorthand(value));
    else args.push(flag, JSON.stringify(value));
  }
  return args;
}

function parseJsonOutput(text: string, finished: ProcessResult): ClientOutput {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as ClientOutput;
  } catch {
    throw new Error(`\`${finished.command}\` printed output that is not JSON: ${text.slice(0, 2000)}`);
  }
}

function cliResult(finished: ProcessResult): ClientResult {
  if (finished.exitCode === 0) return { isOk: true, output: parseJsonOutput(finished.stdout, finished), finished };
  const match = CLI_ERROR.exec(finished.stderr);
  return { isOk: false, errorCode: match?.[1], message: match?.[2]?.trim() ?? finished.stderr.trim(), exitCode: finished.exitCode, finished };
}

export function awsCliDriver(options: { name: string; binary: string; serviceErrorExitCode: number }): DriverFactory {
  return (endpoint) => {
    const run = (args: string[], callOptions: CallOptions = {}): Promise<ProcessResult> =>
      runProcess(options.binary, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env: awsClientEnvironment(callOptions.accessKeyId), timeoutMs: CLIENT_TIMEOUT_MS });
    return {
      name: options.name,
      serviceErrorExitCode: options.serviceErrorExitCode,
      async call(operation, params = {}, callOptions = {}) {
        return cliResult(await run([callOptions.service ?? 'ecr', kebabCase(operation), ...cliArguments(params)], callOptions));
      },
      async paginate(operation, params, paging, callOptions = {}) {
        const pagingArgs = ['--max-items', String(paging.maxItems), ...(paging.startingToken === undefined ? [] : ['--starting-token', paging.startingToken])];
        return cliResult(await run([callOptions.service ?? 'ecr', kebabCase(operation), ...cliArguments(params), ...pagingArgs], callOptions));
      },
      async loginPassword(callOptions = {}) {
        const finished = await run(['ecr', 'get-login-password'], callOptions);
        if (finished.exitCode !== 0) throw new Error(`\`${finished.command}\` exited with ${finished.exitCode}: ${finished.stderr}`);
        return finished.stdout.replace(/\n$/, '');
      },
      async version() {
        const finished = await runProcess(options.binary, ['--version'], { env: awsClientEnvironment(), timeoutMs: CLIENT_TIMEOUT_MS });
        return `${finished.stdout}${finished.stderr}`.trim();
      },
    };
  };
}

export const BOTO3_SERVICE_ERROR_EXIT_CODE = 3;
/** botocore refused to send the request (parameter validation); the error has no code. */
export const BOTO3_CLIENT_VALIDATION_EXIT_CODE = 2;

export function boto3Driver(): DriverFactory {
  return (endpoint) => {
    const run = async (request: Record<string, unknown>, callOptions: CallOptions): Promise<ClientResult> => {
      const finished = await runProcess('python3', [BOTO3_SCRIPT], {
        env: awsClientEnvironment(callOptions.accessKeyId),
        input: JSON.stringify({ endpoint, service: callOptions.service ?? 'ecr', ...request }),
        timeoutMs: CLIENT_TIMEOUT_MS,
      });
      if (finished.exitCode === 0) return { isOk: true, output: parseJsonOutput(finished.stdout, finished), finished };
      if (finished.exitCode !== BOTO3_SERVICE_ERROR_EXIT_CODE && finished.exitCode !== BOTO3_CLIENT_VALIDATION_EXIT_CODE) throw new Error(`boto3 crashed (exit ${finished.exitCode}): ${finished.stderr}`);
      const error = JSON.parse(finished.stderr) as { code?: string | null; message?: string };
      return { isOk: false, errorCode: error.code ?? undefined, message: error.message ?? '', exitCode: finished.exitCode, finished };
    };
    const driver: EcrClientDriver = {
      name: 'boto3',
      serviceErrorExitCode: BOTO3_SERVICE_ERROR_EXIT_CODE,
      call: (operation, params = {}, callOptions = {}) => run({ operation, params }, callOptions),
      paginate: (operation, params, paging, callOptions = {}) => run({ operation, params, paging }, callOptions),
      async loginPassword(callOptions = {}) {
        // What boto3 users write: decode the token and drop the "AWS:" user name.
        const result = await driver.call('GetAuthorizationToken', {}, callOptions);
        const data = expectSuccess(result).authorizationData as { authorizationToken: string }[];
        return Buffer.from(data[0]!.authorizationToken, 'base64').toString().replace(/^AWS:/, '');
      },
      async version() {
        const finished = await runProcess('python3', ['-c', 'import boto3, botocore; print("boto3", boto3.__version__, "botocore", botocore.__version__)'], { timeoutMs: CLIENT_TIMEOUT_MS });
        return finished.stdout.trim() || finished.stderr.trim();
      },
    };
    return driver;
  };
}

/** The output of a successful call; a failure becomes an error that shows what the client printed. */
export function expectSuccess(result: ClientResult): ClientOutput {
  if (!result.isOk) {
    throw new Error(`expected success from \`${result.finished.command}\`, got exit ${result.exitCode} ${result.errorCode ?? ''}: ${result.message}\n${result.finished.stderr.slice(-2000)}`);
  }
  return result.output;
}

/** The error of a failed call; a success becomes an error that shows the output. */
export function expectFailure(result: ClientResult): { errorCode: string | undefined; message: string; exitCode: number | null } {
  if (result.isOk) throw new Error(`expected \`${result.finished.command}\` to fail, it printed ${JSON.stringify(result.output).slice(0, 2000)}`);
  return { errorCode: result.errorCode, message: result.message, exitCode: result.exitCode };
}

/** CLI v1 prints timestamps as epoch seconds, CLI v2 and our boto3 script as ISO 8601. */
export function timestampOf(value: unknown): Date {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') return new Date(value);
  throw new Error(`not a timestamp: ${JSON.stringify(value)}`);
}

/**
 * The JavaScript SDK v3 behind the same interface, over HTTP in this process: `<Operation>Command` from
 * @aws-sdk/client-ecr. Outputs go through JSON (timestamps become ISO 8601) so scenarios read them as they read
 * the other clients'. A service error has the SDK's exception name as its code.
 */
export function sdkDriver(): DriverFactory {
  return (endpoint) => {
    const clientFor = (accessKeyId = 'test'): ECRClient =>
      new ECRClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 });
    const commands = ecrModule as unknown as Record<string, new (input: unknown) => Parameters<ECRClient['send']>[0]>;
    const driver: EcrClientDriver = {
      name: 'SDK v3',
      serviceErrorExitCode: 1,
      async call(operation, params = {}, callOptions = {}) {
        const Command = commands[`${operation}Command`];
        if (Command === undefined) throw new Error(`@aws-sdk/client-ecr has no ${operation}Command`);
        const command = `SDK v3 ${operation} ${JSON.stringify(params).slice(0, 200)}`;
        try {
          const { $metadata: _metadata, ...output } = (await clientFor(callOptions.accessKeyId).send(new Command(params))) as unknown as Record<string, unknown>;
          const text = JSON.stringify(output);
          return { isOk: true, output: JSON.parse(text) as ClientOutput, finished: { command, exitCode: 0, stdout: text, stderr: '' } };
        } catch (error) {
          if (!(error instanceof ecrModule.ECRServiceException)) throw error;
          return { isOk: false, errorCode: error.name, message: error.message, exitCode: 1, finished: { command, exitCode: 1, stdout: '', stderr: `${error.name}: ${error.message}` } };
        }
      },
      paginate() {
        throw new Error('the SDK driver pages with nextToken in call(); scenarios that page client-side use the CLI or boto3');
      },
      async loginPassword(callOptions = {}) {
        const data = expectSuccess(await driver.call('GetAuthorizationToken', {}, callOptions)).authorizationData as { authorizationToken: string }[];
        return Buffer.from(data[0]!.authorizationToken, 'base64').toString().replace(/^AWS:/, '');
      },
      async version() {
        return `@aws-sdk/client-ecr ${(JSON.parse(readFileSync(require.resolve('@aws-sdk/client-ecr/package.json'), 'utf8')) as { version: string }).version}`;
      },
    };
    return driver;
  };
}
