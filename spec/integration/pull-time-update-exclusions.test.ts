// Pull-time update exclusions through the SDK: registering and deregistering principals, listing them in pages, the
// principal ARNs the model accepts, and the modelled errors, per account and Region.
import {
  DeregisterPullTimeUpdateExclusionCommand,
  ListPullTimeUpdateExclusionsCommand,
  RegisterPullTimeUpdateExclusionCommand,
} from '@aws-sdk/client-ecr';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ci-scanner`;
const USER = `arn:aws:iam::${ACCOUNT}:user/auditor`;
const PRINCIPAL_PATTERN = '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\\w+=,.@-]+(/[\\w+=,.@-]+)*$';

const START = new Date('2026-04-02T08:15:30.500Z');
const env = useTestEmulator({ clock: testClock(START) });

function register(principalArn: string) {
  return env.ecr.send(new RegisterPullTimeUpdateExclusionCommand({ principalArn }));
}

async function listed(input: { maxResults?: number; nextToken?: string } = {}) {
  return env.ecr.send(new ListPullTimeUpdateExclusionsCommand(input));
}

describe('RegisterPullTimeUpdateExclusion', () => {
  it('registers a principal and answers it with its creation time', async () => {
    const answer = await register(ROLE);
    expect(answer.principalArn).toBe(ROLE);
    expect(answer.createdAt).toEqual(START);
    expect((await listed()).pullTimeUpdateExclusions).toEqual([ROLE]);
  });

  it.each([USER, `arn:aws:iam::${ACCOUNT}:role/service-role/pipelines/ci`, 'arn:aws-cn:iam::111122223333:role/china'])('accepts the principal %s', async (principalArn) => {
    expect((await register(principalArn)).principalArn).toBe(principalArn);
  });

  it('refuses a principal registered already with ExclusionAlreadyExistsException', async () => {
    await register(ROLE);
    await expect(register(ROLE)).rejects.toMatchObject({
      name: 'ExclusionAlreadyExistsException',
      message: `The pull time update exclusion for the principal '${ROLE}' already exists in the registry with id '${ACCOUNT}'`,
    });
    expect((await listed()).pullTimeUpdateExclusions).toEqual([ROLE]);
  });

  it.each([
    ['a group', `arn:aws:iam::${ACCOUNT}:group/developers`],
    ['an account root', `arn:aws:iam::${ACCOUNT}:root`],
    ['a principal of another service', `arn:aws:sts::${ACCOUNT}:assumed-role/ci/session`],
  ])('refuses %s with InvalidParameterException', async (_label, principalArn) => {
    await expect(register(principalArn)).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `Invalid parameter at 'principalArn' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ${PRINCIPAL_PATTERN}'`,
    });
  });

  it('refuses a request without a principal with ValidationException', async () => {
    await expect(env.ecr.send(new RegisterPullTimeUpdateExclusionCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'principalArn' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('DeregisterPullTimeUpdateExclusion', () => {
  it('removes the principal and answers its ARN', async () => {
    await register(ROLE);
    await register(USER);
    expect((await env.ecr.send(new DeregisterPullTimeUpdateExclusionCommand({ principalArn: ROLE }))).principalArn).toBe(ROLE);
    expect((await listed()).pullTimeUpdateExclusions).toEqual([USER]);
  });

  it('refuses a principal not registered, or no longer, with ExclusionNotFoundException', async () => {
    await register(ROLE);
    await env.ecr.send(new DeregisterPullTimeUpdateExclusionCommand({ principalArn: ROLE }));
    await expect(env.ecr.send(new DeregisterPullTimeUpdateExclusionCommand({ principalArn: ROLE }))).rejects.toMatchObject({
      name: 'ExclusionNotFoundException',
      message: `The pull time update exclusion for the principal '${ROLE}' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('refuses a request without a principal with ValidationException', async () => {
    await expect(env.ecr.send(new DeregisterPullTimeUpdateExclusionCommand({} as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ListPullTimeUpdateExclusions', () => {
  it('answers no principals for a registry without exclusions', async () => {
    const answer = await listed();
    expect(answer.pullTimeUpdateExclusions).toEqual([]);
    expect(answer.nextToken).toBeUndefined();
  });

  it('pages with maxResults and nextToken until the last page, which has no token', async () => {
    const principals = ['e', 'a', 'd', 'b', 'c'].map((name) => `arn:aws:iam::${ACCOUNT}:role/${name}`);
    for (const principal of principals) await register(principal);
    const first = await listed({ maxResults: 2 });
    expect(first.pullTimeUpdateExclusions).toEqual([`arn:aws:iam::${ACCOUNT}:role/a`, `arn:aws:iam::${ACCOUNT}:role/b`]);
    const second = await listed({ maxResults: 2, nextToken: first.nextToken! });
    expect(second.pullTimeUpdateExclusions).toEqual([`arn:aws:iam::${ACCOUNT}:role/c`, `arn:aws:iam::${ACCOUNT}:role/d`]);
    const last = await listed({ maxResults: 2, nextToken: second.nextToken! });
    expect(last.pullTimeUpdateExclusions).toEqual([`arn:aws:iam::${ACCOUNT}:role/e`]);
    expect(last.nextToken).toBeUndefined();
  });

  it.each([
    ['a forged nextToken', { nextToken: 'not-a-token' }, "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token returned by a previous call'"],
    ['maxResults over 1000', { maxResults: 1001 }, "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'"],
  ])('refuses %s with InvalidParameterException', async (_label, input, message) => {
    await expect(listed(input)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('lists the exclusions of one registry only: accounts and regions apart', async () => {
    await register(ROLE);
    for (const other of [env.ecrClient({ accountId: '111122223333' }), env.ecrClient({ region: 'eu-west-1' })]) {
      expect((await other.send(new ListPullTimeUpdateExclusionsCommand({}))).pullTimeUpdateExclusions).toEqual([]);
      await expect(other.send(new DeregisterPullTimeUpdateExclusionCommand({ principalArn: ROLE }))).rejects.toMatchObject({ name: 'ExclusionNotFoundException' });
    }
  });
});
