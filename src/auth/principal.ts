// Who a request acts as: an account root, an IAM user, an assumed-role session or a federated-user session, with
// what IAM and policy evaluation need to know of it. Pure data: iam/ resolves credentials into a Principal, the
// planes carry it, auth/ decides with it.

export type PrincipalKind = 'root' | 'user' | 'assumed-role' | 'federated-user';

export interface Principal {
  kind: PrincipalKind;
  /**
   * `arn:aws:iam::<a>:root`, `arn:aws:iam::<a>:user/<path><name>`, `arn:aws:sts::<a>:assumed-role/<role>/<session>`,
   * `arn:aws:sts::<a>:federated-user/<name>`.
   */
  arn: string;
  accountId: string;
  /** What GetCallerIdentity calls UserId: the account id for a root, `AIDA…` for a user, `AROA…:<session>` for a role session. */
  userId: string;
  /** The access key id the request was signed with; undefined for an unsigned request or a registry token's holder. */
  accessKeyId?: string;
  /** Principal tags (`aws:PrincipalTag/<key>`): a user's tags, or a role's tags overlaid with the session's tags. */
  tags: Record<string, string>;
  /**
   * The IAM identity whose policies apply: the user's ARN for a user and a federated user (GetSessionToken and
   * GetFederationToken sessions act with their user's policies), the role's ARN (`arn:aws:iam::<a>:role/<path><name>`)
   * for an assumed-role session; undefined for a root, which no identity policy limits.
   */
  identityArn?: string;
  /** The inline session policy an assumed-role or federated session was created with, as given. */
  sessionPolicy?: string;
  /** Managed session policies (PolicyArns) the session was created with. */
  sessionPolicyArns?: string[];
  /** When the credentials stop working: sessions only. */
  expiresAt?: Date;
}

export function accountRoot(accountId: string, accessKeyId?: string): Principal {
  return { kind: 'root', arn: `arn:aws:iam::${accountId}:root`, accountId, userId: accountId, tags: {}, ...(accessKeyId !== undefined ? { accessKeyId } : {}) };
}

/** The ARNs that name the principal in ECR's lists of principals: its own, and its role's for a role session. */
export function callerArns(principal: Principal): string[] {
  return principal.identityArn !== undefined && principal.identityArn !== principal.arn ? [principal.arn, principal.identityArn] : [principal.arn];
}
