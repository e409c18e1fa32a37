// Who is calling: account and region from the SigV4 Authorization header, as the emulator's identity rule says.
// The account is the access key id when it is 12 digits, else the default; the region is the credential scope's.

export interface CallerIdentity {
  accountId: string;
  region: string;
  accessKeyId: string | undefined;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function callerIdentity(authorization: string | undefined, defaults: { accountId: string; region: string }): CallerIdentity {
  const match = authorization === undefined ? null : CREDENTIAL.exec(authorization);
  if (match === null) return { accountId: defaults.accountId, region: defaults.region, accessKeyId: undefined };
  const accessKeyId = match[1]!;
  return {
    accountId: /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaults.accountId,
    region: match[3]!,
    accessKeyId,
  };
}
