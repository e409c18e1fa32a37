// Starts a whole emulator on 127.0.0.1:0 for a test file and gives it SDK clients pointed at it.
import { ECRClient } from '@aws-sdk/client-ecr';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../src/index';

export interface TestEmulator {
  emulator: RunningEmulator;
  /** An ECR client for `accountId` (an access key of 12 digits selects the account) in `region`. */
  ecrClient(options?: { accountId?: string; region?: string }): ECRClient;
}

export async function startTestEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, memory: true, logLevel: 'silent', ...options });
  return {
    emulator,
    ecrClient: ({ accountId, region } = {}) =>
      new ECRClient({
        endpoint: emulator.endpoint,
        region: region ?? 'us-east-1',
        credentials: { accessKeyId: accountId ?? 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      }),
  };
}

/** Sends one raw control-plane request, for protocol tests the SDK would refuse to send. */
export async function rawEcrCall(endpoint: string, target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
