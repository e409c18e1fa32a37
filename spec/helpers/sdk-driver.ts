// The JavaScript SDK v3 behind the EcrClientDriver interface, in this process: `<Operation>Command` from
// @aws-sdk/client-ecr (and @aws-sdk/client-sts for `service: 'sts'`). Outputs are the SDK's own, timestamps Dates;
// a service error keeps the SDK's class, `$fault` and status. The SDK pages with nextToken only, never client-side.
import { readFileSync } from 'node:fs';
import * as ecrModule from '@aws-sdk/client-ecr';
import * as stsModule from '@aws-sdk/client-sts';
import { expectSuccess, type CallOptions, type ClientOutput, type DriverFactory, type EcrClientDriver } from './ecr-client-drivers';

interface SdkClient {
  send(command: unknown): Promise<unknown>;
}

type CommandClass = new (input: unknown) => unknown;

const ECR_COMMANDS = ecrModule as unknown as Record<string, CommandClass | undefined>;
const STS_COMMANDS = stsModule as unknown as Record<string, CommandClass | undefined>;

function isServiceException(error: unknown): error is ecrModule.ECRServiceException | stsModule.STSServiceException {
  return error instanceof ecrModule.ECRServiceException || error instanceof stsModule.STSServiceException;
}

function clientFor(endpoint: string, { service = 'ecr', accessKeyId = 'test', region = 'us-east-1' }: CallOptions): SdkClient {
  const config = { endpoint, region, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 };
  return (service === 'sts' ? new stsModule.STSClient(config) : new ecrModule.ECRClient(config)) as SdkClient;
}

function sdkTimestamp(value: unknown): Date {
  if (!(value instanceof Date)) throw new Error(`the SDK gave ${JSON.stringify(value)} where the model has a timestamp, not a Date`);
  return value;
}

/**
 * Clients are made per call with the call's account and region; the in-process mode's class-wide mock
 * (mockEcrInProcess) answers them as it answers any ECRClient.
 */
export function sdkDriver(): DriverFactory {
  const connect = (endpoint: string): EcrClientDriver => {
    const driver: EcrClientDriver = {
      name: 'SDK v3',
      serviceErrorExitCode: 1,
      droppedOutputMembers: new Set(),
      async call(operation, params = {}, callOptions = {}) {
        const Command = (callOptions.service === 'sts' ? STS_COMMANDS : ECR_COMMANDS)[`${operation}Command`];
        if (Command === undefined) throw new Error(`the SDK v3 has no ${operation}Command for ${callOptions.service ?? 'ecr'}`);
        const command = `SDK v3 ${operation} ${JSON.stringify(params).slice(0, 200)}`;
        try {
          const { $metadata: _metadata, ...output } = (await clientFor(endpoint, callOptions).send(new Command(params))) as ClientOutput;
          return { isOk: true, output, finished: { command, exitCode: 0, stdout: '', stderr: '' } };
        } catch (error) {
          if (!isServiceException(error)) throw error;
          return {
            isOk: false,
            errorCode: error.name,
            message: error.message,
            exitCode: 1,
            sdk: { errorClass: error.constructor.name, fault: error.$fault, httpStatusCode: error.$metadata.httpStatusCode },
            finished: { command, exitCode: 1, stdout: '', stderr: `${error.name}: ${error.message}` },
          };
        }
      },
      paginate() {
        throw new Error('the SDK driver pages with nextToken in call(); scenarios that page client-side need canPageClientSide');
      },
      async loginPassword(callOptions = {}) {
        const data = expectSuccess(await driver.call('GetAuthorizationToken', {}, callOptions)).authorizationData as { authorizationToken: string }[];
        return Buffer.from(data[0]!.authorizationToken, 'base64').toString().replace(/^AWS:/, '');
      },
      timestamp: sdkTimestamp,
      async version() {
        return `@aws-sdk/client-ecr ${(JSON.parse(readFileSync(require.resolve('@aws-sdk/client-ecr/package.json'), 'utf8')) as { version: string }).version}`;
      },
    };
    return driver;
  };
  return { name: 'SDK v3', canPageClientSide: false, canSendInvalidRequests: true, connect };
}
