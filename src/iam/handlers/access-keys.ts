// Access keys over the wire: CreateAccessKey, DeleteAccessKey, UpdateAccessKey, ListAccessKeys and
// GetAccessKeyLastUsed. An omitted UserName is the calling user; an account root has no keys of its own here.
import { QueryError } from '../../aws/query-error';
import type { IamHandlers } from '../iam-context';
import { targetUserName } from '../iam-context';
import { pageOf } from '../iam-paging';
import { accessKeyMetadataToWire } from '../iam-wire';

export const accessKeyHandlers: IamHandlers = {
  // A root calling without UserName would get a root access key; the emulator issues none (any key that is not
  // IAM's already acts as its account's root), so it answers as for any non-user caller.
  CreateAccessKey(input, context) {
    const key = context.directory.createAccessKey(context.principal.accountId, targetUserName(context, input.UserName));
    return { AccessKey: { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: key.secretAccessKey, CreateDate: key.createdAt } };
  },

  DeleteAccessKey(input, context) {
    context.directory.deleteAccessKey(context.principal.accountId, targetUserName(context, input.UserName), input.AccessKeyId);
    return {};
  },

  UpdateAccessKey(input, context) {
    // The model's statusType also has Expired, which only IAM itself sets.
    if (input.Status === 'Expired') throw new QueryError('InvalidInput', 'The specified value for status is invalid. It must be Active or Inactive.');
    context.directory.updateAccessKey(context.principal.accountId, targetUserName(context, input.UserName), input.AccessKeyId, input.Status);
    return {};
  },

  ListAccessKeys(input, context) {
    const keys = context.directory.listAccessKeys(context.principal.accountId, targetUserName(context, input.UserName));
    const { items, ...page } = pageOf(keys, input);
    return { AccessKeyMetadata: items.map(accessKeyMetadataToWire), ...page };
  },

  // IAM answers a key never used with ServiceName and Region `N/A` and no LastUsedDate.
  GetAccessKeyLastUsed(input, { principal, directory }) {
    const { userName, lastUsed } = directory.accessKeyLastUsed(principal.accountId, input.AccessKeyId);
    return {
      UserName: userName,
      AccessKeyLastUsed: lastUsed === undefined ? { ServiceName: 'N/A', Region: 'N/A' } : { LastUsedDate: lastUsed.at, ServiceName: lastUsed.serviceName, Region: lastUsed.region },
    };
  },
};
