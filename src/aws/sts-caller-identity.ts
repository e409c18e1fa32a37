// STS GetCallerIdentity (query protocol, XML answer) on the ECR endpoint, so Terraform and the CDK find their
// account without a second emulator. Only this one STS action is served.
import { invalidRegionMessage, isKnownRegion } from './regions';

/** The content type is looked at first, so a JSON body (a 27 MB layer part) is never turned into a string here. */
export function isStsQuery(contentType: string | undefined, body: Buffer): boolean {
  return (contentType ?? '').startsWith('application/x-www-form-urlencoded') && /(^|&)Action=/.test(body.toString());
}

function errorDocument(code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export function stsResponse(
  body: string,
  identity: { accountId: string; region: string; accessKeyId: string | undefined },
  requestId: string,
): { statusCode: number; body: string } {
  // STS words a credential scoped to a region that does not exist as a signature failure.
  if (!isKnownRegion(identity.region)) return { statusCode: 403, body: errorDocument('SignatureDoesNotMatch', invalidRegionMessage(identity.region), requestId) };
  const action = new URLSearchParams(body).get('Action');
  if (action !== 'GetCallerIdentity') {
    return { statusCode: 400, body: errorDocument('InvalidAction', `Could not find operation ${action ?? ''} for version 2011-06-15`, requestId) };
  }
  const userId = identity.accessKeyId ?? 'AKIAIOSFODNN7EXAMPLE';
  return {
    statusCode: 200,
    body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${identity.accountId}:root</Arn><UserId>${escapeXml(userId)}</UserId><Account>${identity.accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
