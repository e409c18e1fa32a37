// Credentials an e2e client signs with: an account root (a 12-digit access key, whose signature the emulator does
// not check) or keys IAM issued (a user's AKIA pair, a session's ASIA triple), and the environment that hands them over.
import { awsClientEnvironment } from './ecr-client-drivers';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The root of `accountId`: any secret signs, because the emulator verifies only keys IAM issued. */
export function rootCredentials(accountId: string): AwsCredentials {
  return { accessKeyId: accountId, secretAccessKey: 'a-root-secret-is-not-verified' };
}

/** awsClientEnvironment (no profile files, no metadata service, one attempt) signing with `credentials`. */
export function credentialEnvironment(credentials: AwsCredentials, region = 'us-east-1'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...awsClientEnvironment(credentials.accessKeyId, region), AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
  if (credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return env;
}

/** The credentials of an STS answer (AssumeRole, GetSessionToken) as a client prints them. */
export function sessionCredentials(output: Record<string, unknown>): AwsCredentials {
  const credentials = output.Credentials as { AccessKeyId?: unknown; SecretAccessKey?: unknown; SessionToken?: unknown } | undefined;
  const { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken } = credentials ?? {};
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || typeof sessionToken !== 'string') {
    throw new Error(`no session credentials in ${JSON.stringify(output).slice(0, 2000)}`);
  }
  return { accessKeyId, secretAccessKey, sessionToken };
}
