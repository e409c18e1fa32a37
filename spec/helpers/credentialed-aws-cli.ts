// The aws CLI (v1 of pip/pyenv, v2 of Debian) run for any service with the credentials a test gives it, for the IAM
// and STS journeys where a call signs as a user or a session rather than as an account root (ecr-client-drivers.ts).
import { cliArguments, type ClientResult } from './ecr-client-drivers';
import { credentialEnvironment, type AwsCredentials } from './aws-credentials';
import { runProcess } from './run-process';

export interface AwsCliBinary {
  name: string;
  binary: string;
  /** What `--version` prints, so a test fails when the wrong CLI answers. */
  expectedVersion: RegExp;
}

export const AWS_CLI_V1: AwsCliBinary = { name: 'aws CLI v1', binary: 'aws', expectedVersion: /^aws-cli\/1\./ };
export const AWS_CLI_V2: AwsCliBinary = { name: 'aws CLI v2', binary: '/usr/bin/aws', expectedVersion: /^aws-cli\/2\./ };

export interface CredentialedAwsCli {
  /** `aws <service> <command> <params as --kebab-case arguments>` signed with `credentials`. */
  call(credentials: AwsCredentials, service: string, command: string, params?: Record<string, unknown>): Promise<ClientResult>;
  version(): Promise<string>;
}

const CLI_TIMEOUT_MS = 90_000;
const CLI_ERROR = /An error occurred \(([A-Za-z0-9.]+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)/;

function jsonOutput(text: string, command: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`\`${command}\` printed output that is not JSON: ${text.slice(0, 2000)}`);
  }
}

export function credentialedAwsCli(cli: AwsCliBinary, endpoint: string): CredentialedAwsCli {
  return {
    async call(credentials, service, command, params = {}) {
      const finished = await runProcess(cli.binary, ['--endpoint-url', endpoint, '--output', 'json', service, command, ...cliArguments(params)], {
        env: credentialEnvironment(credentials),
        timeoutMs: CLI_TIMEOUT_MS,
      });
      if (finished.exitCode === 0) {
        return { isOk: true, output: jsonOutput(finished.stdout, finished.command), finished };
      }
      const match = CLI_ERROR.exec(finished.stderr);
      return { isOk: false, errorCode: match?.[1], message: match?.[2]?.trim() ?? finished.stderr.trim(), exitCode: finished.exitCode, finished };
    },
    async version() {
      const finished = await runProcess(cli.binary, ['--version'], { env: credentialEnvironment({ accessKeyId: 'test', secretAccessKey: 'test' }), timeoutMs: CLI_TIMEOUT_MS });
      return `${finished.stdout}${finished.stderr}`.trim();
    },
  };
}
