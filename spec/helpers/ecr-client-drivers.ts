// ECR clients behind one small interface, so a scenario (spec/scenarios/) is written once and run with each: the
// aws CLI (v1 and v2: operation and members become `--kebab-case` arguments, shorthand where the CLI documents it,
// blobs as fileb:// files) and boto3 (fixtures/clients/boto3-call.py), one process per call; the SDK v3 in
// sdk-driver.ts. Requests and outputs use the API's names; each client prints timestamps its own way.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess, type ProcessResult } from './run-process';

export type ClientOutput = Record<string, unknown>;

/** What the SDK shows of a service error beyond its name and message; the other clients do not show it. */
export interface SdkErrorDetails {
  /** The class the SDK threw: the modelled exception's, or one it names after an unmodelled `__type`. */
  errorClass: string;
  fault: string | undefined;
  httpStatusCode: number | undefined;
}

export type ClientResult =
  | { isOk: true; output: ClientOutput; finished: ProcessResult }
  | { isOk: false; errorCode: string | undefined; message: string; exitCode: number | null; sdk?: SdkErrorDetails; finished: ProcessResult };

export interface CallOptions {
  service?: 'ecr' | 'sts';
  /** Default `test`; 12 digits select that account. */
  accessKeyId?: string;
  /** Default us-east-1. */
  region?: string;
}

export interface Paging {
  maxItems: number;
  startingToken?: string;
}

export interface EcrClientDriver {
  name: string;
  /** The exit code the client ends with on a modelled service error (an `An error occurred (...)` for the CLI). */
  serviceErrorExitCode: number;
  /** Output members the client's bundled model predates, so it leaves them out of what it prints. */
  droppedOutputMembers: ReadonlySet<string>;
  /** `params` may hold a Buffer for a blob member (UploadLayerPart's layerPartBlob). */
  call(operation: string, params?: Record<string, unknown>, options?: CallOptions): Promise<ClientResult>;
  /** Client-side paging (`--max-items` / `--starting-token`, a boto3 paginator): `NextToken` when more remain. */
  paginate(operation: string, params: Record<string, unknown>, paging: Paging, options?: CallOptions): Promise<ClientResult>;
  /** The registry password as the client's users get it: `get-login-password` or a decoded token. */
  loginPassword(options?: CallOptions): Promise<string>;
  /** A timestamp of an output as this client gives it (Date, epoch seconds or ISO 8601); any other form throws. */
  timestamp(value: unknown): Date;
  /** The client's version line, for failure messages and the report. */
  version(): Promise<string>;
}

/** A kind of client, and what it can do before it is pointed at an endpoint (scenarios declare what they need). */
export interface DriverFactory {
  name: string;
  /** Pages with `paginate` (the CLI's --max-items, boto3's paginators). */
  canPageClientSide: boolean;
  /** Sends requests its own model forbids (the SDK v3 does not validate), so the emulator's validation answers. */
  canSendInvalidRequests: boolean;
  connect(endpoint: string): EcrClientDriver;
}

const CLIENT_TIMEOUT_MS = 90_000;
const BOTO3_SCRIPT = path.resolve(__dirname, '../../fixtures/clients/boto3-call.py');
const CLI_ERROR = /An error occurred \(([A-Za-z0-9]+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)/;

/** The environment every AWS client runs with: fixed credentials, no profile, no metadata service, no pager. */
export function awsClientEnvironment(accessKeyId = 'test', region = 'us-east-1'): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...inherited,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: region,
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

/** Epoch seconds, as the aws CLI v1 prints timestamps. */
export function epochSecondsTimestamp(value: unknown): Date {
  if (typeof value !== 'number') throw new Error(`not a timestamp in epoch seconds: ${JSON.stringify(value)}`);
  return new Date(value * 1000);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 with a zone, as the aws CLI v2 and boto3 (datetime.isoformat) print timestamps. */
export function isoTimestamp(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_8601.test(value)) throw new Error(`not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
  return new Date(value);
}

/** Blob members as the CLI reads them: each Buffer written to a file and passed as fileb://. Returns the cleanup. */
function withBlobFiles(params: Record<string, unknown>): { params: Record<string, unknown>; remove(): void } {
  const blobs = Object.entries(params).filter(([, value]) => Buffer.isBuffer(value));
  if (blobs.length === 0) return { params, remove: () => undefined };
  const directory = mkdtempSync(path.join(tmpdir(), 'ecr-cli-blob-'));
  const withFiles = { ...params };
  for (const [name, value] of blobs) {
    const file = path.join(directory, name);
    writeFileSync(file, value as Buffer);
    withFiles[name] = `fileb://${file}`;
  }
  return { params: withFiles, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

function cliResult(finished: ProcessResult): ClientResult {
  if (finished.exitCode === 0) return { isOk: true, output: parseJsonOutput(finished.stdout, finished), finished };
  const match = CLI_ERROR.exec(finished.stderr);
  return { isOk: false, errorCode: match?.[1], message: match?.[2]?.trim() ?? finished.stderr.trim(), exitCode: finished.exitCode, finished };
}

export interface AwsCliOptions {
  name: string;
  binary: string;
  serviceErrorExitCode: number;
  timestamp(value: unknown): Date;
  droppedOutputMembers?: string[];
}

export function awsCliDriver(options: AwsCliOptions): DriverFactory {
  const connect = (endpoint: string): EcrClientDriver => {
    const run = (args: string[], callOptions: CallOptions = {}): Promise<ProcessResult> =>
      runProcess(options.binary, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env: awsClientEnvironment(callOptions.accessKeyId, callOptions.region), timeoutMs: CLIENT_TIMEOUT_MS });
    return {
      name: options.name,
      serviceErrorExitCode: options.serviceErrorExitCode,
      droppedOutputMembers: new Set(options.droppedOutputMembers ?? []),
      async call(operation, params = {}, callOptions = {}) {
        const blobs = withBlobFiles(params);
        try {
          return cliResult(await run([callOptions.service ?? 'ecr', kebabCase(operation), ...cliArguments(blobs.params)], callOptions));
        } finally {
          blobs.remove();
        }
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
      timestamp: options.timestamp,
      async version() {
        const finished = await runProcess(options.binary, ['--version'], { env: awsClientEnvironment(), timeoutMs: CLIENT_TIMEOUT_MS });
        return `${finished.stdout}${finished.stderr}`.trim();
      },
    };
  };
  return { name: options.name, canPageClientSide: true, canSendInvalidRequests: false, connect };
}

/** The aws CLI v1 of pip/pyenv (`aws` on PATH). */
export function awsCliV1Driver(): DriverFactory {
  return awsCliDriver({ name: 'aws CLI v1', binary: 'aws', serviceErrorExitCode: 255, timestamp: epochSecondsTimestamp });
}

/** The aws CLI v2 that Debian packages (`apt-get install awscli`, 2.9). */
export function awsCliV2Driver(): DriverFactory {
  // Its model predates imageStatus (DescribeImages), which it drops from its output.
  return awsCliDriver({ name: 'aws CLI v2', binary: '/usr/bin/aws', serviceErrorExitCode: 254, timestamp: isoTimestamp, droppedOutputMembers: ['imageStatus'] });
}

export const BOTO3_SERVICE_ERROR_EXIT_CODE = 3;
/** botocore refused to send the request (parameter validation); the error has no code. */
export const BOTO3_CLIENT_VALIDATION_EXIT_CODE = 2;

/** Blob members as boto3 takes them through JSON: text, which botocore encodes as UTF-8. */
function textBlobs(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => {
      if (!Buffer.isBuffer(value)) return [name, value];
      const text = value.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(value)) throw new Error(`the boto3 driver sends blobs as UTF-8 text; ${name} is not`);
      return [name, text];
    }),
  );
}

export function boto3Driver(): DriverFactory {
  const connect = (endpoint: string): EcrClientDriver => {
    const run = async (request: { operation: string; params: Record<string, unknown>; paging?: Paging }, callOptions: CallOptions): Promise<ClientResult> => {
      const finished = await runProcess('python3', [BOTO3_SCRIPT], {
        env: awsClientEnvironment(callOptions.accessKeyId, callOptions.region),
        input: JSON.stringify({ endpoint, service: callOptions.service ?? 'ecr', ...request, params: textBlobs(request.params) }),
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
      droppedOutputMembers: new Set(),
      call: (operation, params = {}, callOptions = {}) => run({ operation, params }, callOptions),
      paginate: (operation, params, paging, callOptions = {}) => run({ operation, params, paging }, callOptions),
      async loginPassword(callOptions = {}) {
        // What boto3 users write: decode the token and drop the "AWS:" user name.
        const result = await driver.call('GetAuthorizationToken', {}, callOptions);
        const data = expectSuccess(result).authorizationData as { authorizationToken: string }[];
        return Buffer.from(data[0]!.authorizationToken, 'base64').toString().replace(/^AWS:/, '');
      },
      timestamp: isoTimestamp,
      async version() {
        const finished = await runProcess('python3', ['-c', 'import boto3, botocore; print("boto3", boto3.__version__, "botocore", botocore.__version__)'], { timeoutMs: CLIENT_TIMEOUT_MS });
        return finished.stdout.trim() || finished.stderr.trim();
      },
    };
    return driver;
  };
  return { name: 'boto3', canPageClientSide: true, canSendInvalidRequests: false, connect };
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
