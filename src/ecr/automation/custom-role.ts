// The customRoleArn of pull-through cache rules and repository creation templates. API reference: the role "must be
// in the same account as the registry that you are configuring".
import { invalidParameter } from '../../aws/aws-error';
import type { Scope } from '../../kernel/scope';

const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** Throws InvalidParameterException unless `arn` is an IAM role of the registry's account. The empty text clears a role. */
export function checkCustomRoleArn(arn: string | undefined, registry: Scope): void {
  if (arn === undefined || arn === '') return;
  const account = ROLE_ARN.exec(arn)?.[1];
  if (account !== registry.accountId) {
    throw invalidParameter(
      `Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'must be the ARN of an IAM role in the registry's account ${registry.accountId}'`,
    );
  }
}
