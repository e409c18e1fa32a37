// What an IAM handler receives (the caller, the directory, the clock), the handler types the operation table is made
// of, and the one rule handlers share about the caller: an omitted UserName means the calling user.
import type { Principal } from '../auth/principal';
import type { IamOperationName, IamOperations } from '../aws/iam-types.generated';
import type { Clock } from '../kernel/clock';
import type { IamDirectory } from './iam-directory';
import { userNameRequired } from './iam-errors';

export interface IamContext {
  /** Who is calling; IAM acts in the principal's account, whatever region the request was signed for. */
  principal: Principal;
  directory: IamDirectory;
  clock: Clock;
}

export type IamHandler<Name extends IamOperationName> = (
  input: IamOperations[Name]['input'],
  context: IamContext,
) => IamOperations[Name]['output'] | Promise<IamOperations[Name]['output']>;

/** A handler module's share of the operation table. */
export type IamHandlers = { [Name in IamOperationName]?: IamHandler<Name> };

/**
 * The user an operation acts on: the UserName given, else the calling IAM user ("If you do not specify a user name,
 * IAM determines the user name implicitly based on the Amazon Web Services access key ID signing the request").
 * Roots and sessions must name one: ValidationError, as IAM answers them.
 */
export function targetUserName(context: IamContext, userName: string | undefined): string {
  if (userName !== undefined) return userName;
  if (context.principal.kind !== 'user') throw userNameRequired();
  return context.principal.arn.slice(context.principal.arn.lastIndexOf('/') + 1);
}
