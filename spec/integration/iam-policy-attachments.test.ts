// Attaching managed policies, embedding inline policies and setting permissions boundaries over HTTP with
// @aws-sdk/client-iam, for users, groups and roles alike (one table of the three), with their modelled errors.
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { iamClient, rootKeys } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '111111111111';
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
// Indented, as people write them: GetXPolicy must answer the text exactly as put.
const DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage'], Resource: '*' }] }, null, 2);

/** The three holder kinds, each with its commands, so every behaviour is checked once for each. */
const HOLDERS = [
  {
    kind: 'user',
    name: 'alice',
    limit: 2048,
    create: (iam: IAMClient) => iam.send(new CreateUserCommand({ UserName: 'alice' })),
    attach: (iam: IAMClient, name: string, arn: string) => iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn })),
    detach: (iam: IAMClient, name: string, arn: string) => iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: arn })),
    listAttached: async (iam: IAMClient, name: string, pathPrefix?: string) => (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: name, ...(pathPrefix ? { PathPrefix: pathPrefix } : {}) }))).AttachedPolicies,
    put: (iam: IAMClient, name: string, policyName: string, document: string) => iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: document })),
    get: async (iam: IAMClient, name: string, policyName: string) => (await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))).PolicyDocument,
    remove: (iam: IAMClient, name: string, policyName: string) => iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName })),
    listInline: async (iam: IAMClient, name: string) => (await iam.send(new ListUserPoliciesCommand({ UserName: name }))).PolicyNames,
  },
  {
    kind: 'group',
    name: 'devs',
    limit: 5120,
    create: (iam: IAMClient) => iam.send(new CreateGroupCommand({ GroupName: 'devs' })),
    attach: (iam: IAMClient, name: string, arn: string) => iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: arn })),
    detach: (iam: IAMClient, name: string, arn: string) => iam.send(new DetachGroupPolicyCommand({ GroupName: name, PolicyArn: arn })),
    listAttached: async (iam: IAMClient, name: string, pathPrefix?: string) => (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: name, ...(pathPrefix ? { PathPrefix: pathPrefix } : {}) }))).AttachedPolicies,
    put: (iam: IAMClient, name: string, policyName: string, document: string) => iam.send(new PutGroupPolicyCommand({ GroupName: name, PolicyName: policyName, PolicyDocument: document })),
    get: async (iam: IAMClient, name: string, policyName: string) => (await iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName }))).PolicyDocument,
    remove: (iam: IAMClient, name: string, policyName: string) => iam.send(new DeleteGroupPolicyCommand({ GroupName: name, PolicyName: policyName })),
    listInline: async (iam: IAMClient, name: string) => (await iam.send(new ListGroupPoliciesCommand({ GroupName: name }))).PolicyNames,
  },
  {
    kind: 'role',
    name: 'task',
    limit: 10240,
    create: (iam: IAMClient) => iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST })),
    attach: (iam: IAMClient, name: string, arn: string) => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn })),
    detach: (iam: IAMClient, name: string, arn: string) => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })),
    listAttached: async (iam: IAMClient, name: string, pathPrefix?: string) => (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, ...(pathPrefix ? { PathPrefix: pathPrefix } : {}) }))).AttachedPolicies,
    put: (iam: IAMClient, name: string, policyName: string, document: string) => iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: document })),
    get: async (iam: IAMClient, name: string, policyName: string) => (await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }))).PolicyDocument,
    remove: (iam: IAMClient, name: string, policyName: string) => iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
    listInline: async (iam: IAMClient, name: string) => (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames,
  },
] as const;

function actionsDocument(count: number): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: count }, (_, index) => `ecr:Action${index}`), Resource: '*' }] });
}

describe('IAM policy attachments, inline policies and permissions boundaries', () => {
  const env = useTestEmulator();
  let iam: IAMClient;

  beforeEach(() => {
    iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  });

  describe.each(HOLDERS)('for a $kind', (holder) => {
    beforeEach(async () => {
      await holder.create(iam);
    });

    it('attaches a managed policy once, lists it, counts it on the policy, and detaches it', async () => {
      await holder.attach(iam, holder.name, POWER_USER);
      await holder.attach(iam, holder.name, POWER_USER);
      expect(await holder.listAttached(iam, holder.name)).toEqual([{ PolicyName: 'AmazonEC2ContainerRegistryPowerUser', PolicyArn: POWER_USER }]);
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: POWER_USER }))).Policy?.AttachmentCount).toBe(1);
      await holder.detach(iam, holder.name, POWER_USER);
      expect(await holder.listAttached(iam, holder.name)).toEqual([]);
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: POWER_USER }))).Policy?.AttachmentCount).toBe(0);
    });

    it('lists attached policies by the path prefix of the policies', async () => {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'push', Path: '/ci/', PolicyDocument: actionsDocument(1) }));
      await holder.attach(iam, holder.name, POWER_USER);
      await holder.attach(iam, holder.name, Policy!.Arn!);
      expect(await holder.listAttached(iam, holder.name, '/ci/')).toEqual([{ PolicyName: 'push', PolicyArn: Policy!.Arn! }]);
    });

    it('refuses to attach a policy that is not there with NoSuchEntity, and no ARN with InvalidInput', async () => {
      const missing = `arn:aws:iam::${ACCOUNT}:policy/missing`;
      expect(await rejection(holder.attach(iam, holder.name, missing))).toEqual({ name: 'NoSuchEntityException', message: `Policy ${missing} does not exist or is not attachable.` });
      expect((await rejection(holder.attach(iam, holder.name, 'arn:aws:iam::aws:role/x'))).name).toBe('InvalidInputException');
    });

    it('refuses an eleventh attached policy with LimitExceeded', async () => {
      for (let index = 0; index < 10; index += 1) {
        const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `p${index}`, PolicyDocument: actionsDocument(1) }));
        await holder.attach(iam, holder.name, Policy!.Arn!);
      }
      expect((await rejection(holder.attach(iam, holder.name, POWER_USER))).name).toBe('LimitExceededException');
    });

    it('refuses to detach a policy that is not attached with NoSuchEntity', async () => {
      expect(await rejection(holder.detach(iam, holder.name, POWER_USER))).toEqual({ name: 'NoSuchEntityException', message: `Policy ${POWER_USER} was not found.` });
    });

    it(`answers NoSuchEntity for a ${holder.kind} that is not there, in IAM's words`, async () => {
      const message = `The ${holder.kind} with name nobody cannot be found.`;
      expect(await rejection(holder.attach(iam, 'nobody', POWER_USER))).toEqual({ name: 'NoSuchEntityException', message });
      expect(await rejection(holder.put(iam, 'nobody', 'p', DOCUMENT))).toEqual({ name: 'NoSuchEntityException', message });
      expect(await rejection(holder.listInline(iam, 'nobody'))).toEqual({ name: 'NoSuchEntityException', message });
      expect(await rejection(holder.listAttached(iam, 'nobody'))).toEqual({ name: 'NoSuchEntityException', message });
    });

    it('puts an inline policy, answers it URL-encoded exactly as put, lists and deletes it', async () => {
      await holder.put(iam, holder.name, 'pull', DOCUMENT);
      const answered = await holder.get(iam, holder.name, 'pull');
      expect(answered).toMatch(/^%7B%0A%20%20%22Version%22/);
      expect(decodeURIComponent(answered!)).toBe(DOCUMENT);
      expect(await holder.listInline(iam, holder.name)).toEqual(['pull']);
      await holder.remove(iam, holder.name, 'pull');
      expect(await rejection(holder.get(iam, holder.name, 'pull'))).toEqual({ name: 'NoSuchEntityException', message: `The ${holder.kind} policy with name pull cannot be found.` });
      expect((await rejection(holder.remove(iam, holder.name, 'pull'))).name).toBe('NoSuchEntityException');
    });

    it('refuses an inline document IAM refuses with MalformedPolicyDocument', async () => {
      expect(await rejection(holder.put(iam, holder.name, 'bad', TRUST))).toEqual({ name: 'MalformedPolicyDocumentException', message: 'Policy document should not specify a principal.' });
    });

    it(`refuses inline policies past ${holder.limit} characters in all with LimitExceeded`, async () => {
      const count = Math.ceil(holder.limit / 12);
      expect(await rejection(holder.put(iam, holder.name, 'large', actionsDocument(count)))).toEqual({ name: 'LimitExceededException', message: `Maximum policy size of ${holder.limit} bytes exceeded for ${holder.kind} ${holder.name}` });
    });
  });

  describe('permissions boundaries', () => {
    beforeEach(async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    });

    it('GetUser and GetRole show the boundary until it is deleted', async () => {
      const boundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: POWER_USER };
      await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: POWER_USER }));
      await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'task', PermissionsBoundary: POWER_USER }));
      expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.PermissionsBoundary).toEqual(boundary);
      expect((await iam.send(new GetRoleCommand({ RoleName: 'task' }))).Role?.PermissionsBoundary).toEqual(boundary);
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: POWER_USER }))).Policy?.PermissionsBoundaryUsageCount).toBe(2);
      await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'alice' }));
      await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'task' }));
      expect((await iam.send(new GetUserCommand({ UserName: 'alice' }))).User?.PermissionsBoundary).toBeUndefined();
      expect((await iam.send(new GetRoleCommand({ RoleName: 'task' }))).Role?.PermissionsBoundary).toBeUndefined();
    });

    it('refuses a boundary that is no policy with NoSuchEntity, and no ARN with InvalidInput', async () => {
      const missing = `arn:aws:iam::${ACCOUNT}:policy/missing`;
      expect((await rejection(iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: missing })))).name).toBe('NoSuchEntityException');
      expect((await rejection(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'task', PermissionsBoundary: 'arn:aws:s3:::bucket-name' })))).name).toBe('InvalidInputException');
    });

    it('answers NoSuchEntity for a user or role that is not there', async () => {
      expect((await rejection(iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'nobody', PermissionsBoundary: POWER_USER })))).name).toBe('NoSuchEntityException');
      expect((await rejection(iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'nobody' })))).name).toBe('NoSuchEntityException');
      expect((await rejection(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'nobody', PermissionsBoundary: POWER_USER })))).name).toBe('NoSuchEntityException');
      expect((await rejection(iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'nobody' })))).name).toBe('NoSuchEntityException');
    });
  });
});
