// The directory's values in IAM's wire shapes (wire member names, as the query serializer takes them), shared by
// every handler module so that a user, role or policy is drawn the same way by every operation that returns it.
import type { AccessKeyMetadata, AttachedPermissionsBoundary, Group, Policy, PolicyVersion, Role, Tag, User } from '../aws/iam-types.generated';
import type { IamAccessKey, IamGroup, IamManagedPolicy, IamPolicyVersion, IamRole, IamTag, IamTags, IamUser } from './iam-entities';

/**
 * Policy documents as IAM answers them: "Policies returned by this operation are URL-encoded compliant with RFC
 * 3986" (GetPolicyVersion, GetRolePolicy, GetUserPolicy, GetGroupPolicy; the AssumeRolePolicyDocument of
 * CreateRole, GetRole and ListRoles). botocore and the aws CLI decode it; the JS SDK hands it over as sent.
 */
export function encodePolicyDocument(document: string): string {
  // encodeURIComponent leaves !'()* alone, which RFC 3986 reserves.
  return encodeURIComponent(document).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function tagsFromWire(tags: readonly Tag[] | undefined): IamTag[] {
  return (tags ?? []).map((tag) => ({ key: tag.Key, value: tag.Value }));
}

export function tagsToWire(tags: IamTags): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function boundaryToWire(arn: string | undefined): { PermissionsBoundary?: AttachedPermissionsBoundary } {
  return arn === undefined ? {} : { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } };
}

function nonEmptyTags(tags: IamTags): { Tags?: Tag[] } {
  return Object.keys(tags).length === 0 ? {} : { Tags: tagsToWire(tags) };
}

/** Lists (ListUsers, GetGroup) leave out tags and boundaries, as IAM's do; `isDetailed` puts them in. */
export function userToWire(user: IamUser, isDetailed: boolean): User {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createdAt,
    ...(isDetailed ? { ...boundaryToWire(user.permissionsBoundaryArn), ...nonEmptyTags(user.tags) } : {}),
  };
}

export function groupToWire(group: IamGroup): Group {
  return { Path: group.path, GroupName: group.groupName, GroupId: group.groupId, Arn: group.arn, CreateDate: group.createdAt };
}

/** `detail`: `list` for ListRoles, `created` for CreateRole, `full` for GetRole (with RoleLastUsed). */
export function roleToWire(role: IamRole, detail: 'list' | 'created' | 'full'): Role {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createdAt,
    AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicyDocument),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    ...(detail !== 'list' ? { ...boundaryToWire(role.permissionsBoundaryArn), ...nonEmptyTags(role.tags) } : {}),
    ...(detail === 'full' ? { RoleLastUsed: role.lastUsed === undefined ? {} : { LastUsedDate: role.lastUsed.at, Region: role.lastUsed.region } } : {}),
  };
}

/** ListPolicies leaves out Description and Tags, as IAM's does; `isDetailed` (GetPolicy, CreatePolicy) puts them in. */
export function policyToWire(policy: IamManagedPolicy, isDetailed: boolean): Policy {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: policy.permissionsBoundaryUsageCount,
    IsAttachable: true,
    ...(isDetailed && policy.description !== undefined ? { Description: policy.description } : {}),
    CreateDate: policy.createdAt,
    UpdateDate: policy.updatedAt,
    ...(isDetailed ? nonEmptyTags(policy.tags) : {}),
  };
}

/** ListPolicyVersions and CreatePolicyVersion leave the document out; GetPolicyVersion has it. */
export function policyVersionToWire(version: IamPolicyVersion, hasDocument: boolean): PolicyVersion {
  return {
    ...(hasDocument ? { Document: encodePolicyDocument(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefaultVersion,
    CreateDate: version.createdAt,
  };
}

export function accessKeyMetadataToWire(key: IamAccessKey): AccessKeyMetadata {
  return { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: key.createdAt };
}
