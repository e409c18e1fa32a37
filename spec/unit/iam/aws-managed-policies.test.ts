// The vendored AWS managed policies: the ones the issue names, with AWS's ids and versions, each document one IAM
// itself would accept.
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedPolicyArn } from '../../../src/iam/aws-managed-policies';
import { checkPolicyDocument } from '../../../src/iam/identity-policy';

describe('AWS managed policies', () => {
  it('are the seven the emulator serves, by name', () => {
    expect(awsManagedPolicies().map((policy) => policy.arn)).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
  });

  it.each(awsManagedPolicies().map((policy) => [policy.name, policy] as const))('%s has an ANPA id, a vN version and a document IAM accepts', (_name, policy) => {
    expect(policy.id).toMatch(/^ANPA[A-Z0-9]{17}$/);
    expect(policy.versionId).toMatch(/^v[1-9]\d*$/);
    expect(policy.versionCreatedAt.getTime()).toBeGreaterThanOrEqual(policy.createdAt.getTime());
    expect(() => checkPolicyDocument(policy.document, 'identity')).not.toThrow();
  });

  it('keeps the documents as AWS writes them', () => {
    expect(JSON.parse(awsManagedPolicy('arn:aws:iam::aws:policy/AdministratorAccess')!.document)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly')).toMatchObject({ id: 'ANPAZKAPJZG4ACPA6HO4Q', versionId: 'v1' });
  });

  it('tells AWS managed ARNs from customer ones, known or not', () => {
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/SomethingNew')).toBe(true);
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/SomethingNew')).toBeUndefined();
    expect(isAwsManagedPolicyArn('arn:aws:iam::111111111111:policy/AdministratorAccess')).toBe(false);
  });
});
