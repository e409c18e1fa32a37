// SDK clients of IAM, STS and ECR pointed at a test emulator, for a root (a 12-digit key) or for credentials IAM
// and STS issued; and the few IAM calls most identity tests begin with (a user with a key, a role to assume).
import { ECRClient } from '@aws-sdk/client-ecr';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { STSClient, type Credentials as StsCredentials } from '@aws-sdk/client-sts';

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An account root's credentials: the key is the account id, the secret is never checked. */
export function rootKeys(accountId: string): KeyPair {
  return { accessKeyId: accountId, secretAccessKey: 'test' };
}

export function sessionKeys(credentials: StsCredentials | undefined): KeyPair {
  return { accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken! };
}

function clientConfig(endpoint: string, keys: KeyPair, region: string) {
  return { endpoint, region, credentials: keys, maxAttempts: 1 };
}

export function iamClient(endpoint: string, keys: KeyPair): IAMClient {
  return new IAMClient(clientConfig(endpoint, keys, 'us-east-1'));
}

export function stsClient(endpoint: string, keys: KeyPair, region = 'us-east-1'): STSClient {
  return new STSClient(clientConfig(endpoint, keys, region));
}

export function ecrClientWith(endpoint: string, keys: KeyPair, region = 'us-east-1'): ECRClient {
  return new ECRClient(clientConfig(endpoint, keys, region));
}

/** Creates a user in the account of `iam` and an access key for it. */
export async function createUserWithKey(iam: IAMClient, userName: string): Promise<{ arn: string; keys: KeyPair }> {
  const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { arn: User!.Arn!, keys: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
}

/** A trust policy letting the given principals assume the role, with optional conditions. */
export function trustPolicy(principals: string[] | '*', condition?: Record<string, Record<string, string | string[]>>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principals === '*' ? { AWS: '*' } : { AWS: principals }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });
}

export async function createRole(iam: IAMClient, roleName: string, assumeRolePolicyDocument: string, maxSessionDuration?: number): Promise<string> {
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: assumeRolePolicyDocument, ...(maxSessionDuration ? { MaxSessionDuration: maxSessionDuration } : {}) }));
  return Role!.Arn!;
}
