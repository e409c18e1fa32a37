// IAM policy documents the e2e journeys attach, written as AWS documents them (Version 2012-10-17), as objects to
// compare with what a client prints and as the JSON text the APIs take.

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/** A role trust policy that lets exactly `principalArn` call sts:AssumeRole. */
export function trustPolicy(principalArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principalArn }, Action: 'sts:AssumeRole' }] };
}

/** An identity policy that allows `actions` on `resource`. */
export function allowPolicy(actions: string[], resource: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] };
}
