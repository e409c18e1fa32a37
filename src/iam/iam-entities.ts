// What the directory answers with: users, groups, roles, managed policies and access keys as plain values (times as
// Date), their ARNs, and the conversion from the stored records. No rules and no store access.
import type { AccessKeyStatus, StoredAccessKey, StoredGroup, StoredPolicy, StoredPolicyVersion, StoredRole, StoredTag, StoredUser } from './iam-records';

export type IamTag = StoredTag;

/** Tags by key, in the order they were added: what principal tags (`aws:PrincipalTag/<key>`) are made of. */
export type IamTags = Record<string, string>;

function tagRecord(tags: readonly StoredTag[]): IamTags {
  return Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
}

/** A user, group or role, as the target of an attachment, an inline policy or a permissions boundary. */
export interface PolicyHolder {
  kind: 'user' | 'group' | 'role';
  name: string;
}

export interface IamUser {
  accountId: string;
  userName: string;
  /** `AIDA…` */
  userId: string;
  arn: string;
  path: string;
  createdAt: Date;
  tags: IamTags;
  permissionsBoundaryArn?: string;
}

export interface IamGroup {
  accountId: string;
  groupName: string;
  /** `AGPA…` */
  groupId: string;
  arn: string;
  path: string;
  createdAt: Date;
}

export interface IamRole {
  accountId: string;
  roleName: string;
  /** `AROA…` */
  roleId: string;
  arn: string;
  path: string;
  createdAt: Date;
  /** The trust policy as JSON text, exactly as given. */
  assumeRolePolicyDocument: string;
  description?: string;
  /** In seconds: how long the role's sessions may last. */
  maxSessionDuration: number;
  tags: IamTags;
  permissionsBoundaryArn?: string;
  lastUsed?: { at: Date; region: string };
}

export interface IamManagedPolicy {
  arn: string;
  policyName: string;
  /** `ANPA…` */
  policyId: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  createdAt: Date;
  updatedAt: Date;
  isAwsManaged: boolean;
  /** In the account that asked: AWS managed policies are counted per account. */
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  tags: IamTags;
}

export interface IamPolicyVersion {
  versionId: string;
  /** JSON text exactly as given (AWS managed documents as AWS indents them). */
  document: string;
  isDefaultVersion: boolean;
  createdAt: Date;
}

export interface IamAccessKey {
  accessKeyId: string;
  accountId: string;
  userName: string;
  secretAccessKey: string;
  status: AccessKeyStatus;
  createdAt: Date;
  lastUsed?: { at: Date; serviceName: string; region: string };
}

export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
}

/** `arn:aws:iam::<account>:<kind><path><name>`, as IAM builds the ARNs of users, groups, roles and policies. */
export function iamArn(accountId: string, kind: 'user' | 'group' | 'role' | 'policy', path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export function userView(accountId: string, user: StoredUser): IamUser {
  return {
    accountId,
    userName: user.name,
    userId: user.id,
    arn: iamArn(accountId, 'user', user.path, user.name),
    path: user.path,
    createdAt: new Date(user.createdAt),
    tags: tagRecord(user.tags),
    ...(user.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: user.permissionsBoundaryArn } : {}),
  };
}

export function groupView(accountId: string, group: StoredGroup): IamGroup {
  return { accountId, groupName: group.name, groupId: group.id, arn: iamArn(accountId, 'group', group.path, group.name), path: group.path, createdAt: new Date(group.createdAt) };
}

export function roleView(accountId: string, role: StoredRole): IamRole {
  return {
    accountId,
    roleName: role.name,
    roleId: role.id,
    arn: iamArn(accountId, 'role', role.path, role.name),
    path: role.path,
    createdAt: new Date(role.createdAt),
    assumeRolePolicyDocument: role.assumeRolePolicyDocument,
    ...(role.description !== undefined ? { description: role.description } : {}),
    maxSessionDuration: role.maxSessionDurationSeconds,
    tags: tagRecord(role.tags),
    ...(role.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: role.permissionsBoundaryArn } : {}),
    ...(role.lastUsed !== undefined ? { lastUsed: { at: new Date(role.lastUsed.at), region: role.lastUsed.region } } : {}),
  };
}

export function customerPolicyView(accountId: string, policy: StoredPolicy, usage: { attachmentCount: number; permissionsBoundaryUsageCount: number }): IamManagedPolicy {
  return {
    arn: iamArn(accountId, 'policy', policy.path, policy.name),
    policyName: policy.name,
    policyId: policy.id,
    path: policy.path,
    ...(policy.description !== undefined ? { description: policy.description } : {}),
    defaultVersionId: policy.defaultVersionId,
    createdAt: new Date(policy.createdAt),
    updatedAt: new Date(policy.updatedAt),
    isAwsManaged: false,
    ...usage,
    tags: tagRecord(policy.tags),
  };
}

export function versionView(policy: StoredPolicy, version: StoredPolicyVersion): IamPolicyVersion {
  return { versionId: version.id, document: version.document, isDefaultVersion: version.id === policy.defaultVersionId, createdAt: new Date(version.createdAt) };
}

export function accessKeyView(key: StoredAccessKey): IamAccessKey {
  return {
    accessKeyId: key.accessKeyId,
    accountId: key.accountId,
    userName: key.userName,
    secretAccessKey: key.secretAccessKey,
    status: key.status,
    createdAt: new Date(key.createdAt),
    ...(key.lastUsed !== undefined ? { lastUsed: { at: new Date(key.lastUsed.at), serviceName: key.lastUsed.serviceName, region: key.lastUsed.region } } : {}),
  };
}
