// What ECR scenarios assert the same way with every client: service errors, timestamps against the target's time
// window, members a client's model may predate. Also the names every scenario uses.
import { expectFailure, type ClientResult, type EcrClientDriver } from '../helpers/ecr-client-drivers';
import type { TimeWindow } from '../helpers/ecr-scenario-runner';

export const DEFAULT_ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export function repositoryArn(name: string, accountId = DEFAULT_ACCOUNT, region = REGION): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
}

/**
 * A modelled service error: its code, message (or an asymmetric matcher) and the client's service-error exit code.
 * Where the client shows more (the SDK), also its own exception class, `$fault` client and status 400.
 */
export function expectServiceError(client: EcrClientDriver, result: ClientResult, errorCode: string, message: unknown = expect.stringMatching(/\S/)): void {
  expect(expectFailure(result)).toEqual({ errorCode, message, exitCode: client.serviceErrorExitCode });
  if (!result.isOk && result.sdk !== undefined) expect(result.sdk).toEqual({ errorClass: errorCode, fault: 'client', httpStatusCode: 400 });
}

/** `timestamp` lies `offsetMs` after the window: exactly, where the window is one injected instant. */
export function expectWithin(timestamp: Date, window: TimeWindow, offsetMs = 0): void {
  const earliest = window.earliest.getTime() + offsetMs;
  const latest = window.latest.getTime() + offsetMs;
  if (earliest === latest) {
    expect(timestamp).toEqual(new Date(earliest));
    return;
  }
  expect(timestamp.getTime()).toBeGreaterThanOrEqual(earliest);
  expect(timestamp.getTime()).toBeLessThanOrEqual(latest);
}

/** `expected` without the members this client's model predates (it leaves them out of its output). */
export function known(client: EcrClientDriver, expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expected).filter(([member]) => !client.droppedOutputMembers.has(member)));
}
