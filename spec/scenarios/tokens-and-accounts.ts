// Token and account scenarios: the registry token (its form, expiry and proxy endpoint), the login password the
// data plane accepts, and the account a 12-digit access key selects, kept apart from other accounts and regions.
import { expectSuccess, type ClientOutput } from '../helpers/ecr-client-drivers';
import type { ScenarioGroup } from '../helpers/ecr-scenario-runner';
import { expectWithin, OTHER_ACCOUNT, repositoryArn } from './scenario-expectations';

const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000;

function namesOf(output: ClientOutput): unknown[] {
  return (output.repositories as ClientOutput[]).map((repository) => repository.repositoryName);
}

export const TOKEN_SCENARIOS: ScenarioGroup = {
  title: 'tokens',
  scenarios: [
    {
      name: 'issues one authorization token that decodes to AWS:<password>, expires in 12 hours and names the registry',
      async run({ client, registryHost, during }) {
        const { result, window } = await during(async () => expectSuccess(await client.call('GetAuthorizationToken', {})));
        expect(result.authorizationData).toHaveLength(1);
        const [data] = result.authorizationData as ClientOutput[];
        expect(Buffer.from(data!.authorizationToken as string, 'base64').toString()).toMatch(/^AWS:\S{16,}$/);
        expectWithin(client.timestamp(data!.expiresAt), window, TWELVE_HOURS_MS);
        expect(data!.proxyEndpoint).toBe(`http://${registryHost}`);
      },
    },
    {
      name: 'gives a login password with which GET /v2/ answers 200, while a wrong one answers 401',
      needs: ['dataPlane'],
      async run({ client, registryEndpoint }) {
        const password = await client.loginPassword();
        expect(password).toMatch(/^\S{16,}$/);
        const basic = (secret: string): string => `Basic ${Buffer.from(`AWS:${secret}`).toString('base64')}`;
        const good = await fetch(`${registryEndpoint!}/v2/`, { headers: { authorization: basic(password) } });
        expect(good.status).toBe(200);
        expect(good.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
        const bad = await fetch(`${registryEndpoint!}/v2/`, { headers: { authorization: basic(`${password}x`) } });
        expect(bad.status).toBe(401);
      },
    },
  ],
};

export const ACCOUNT_SCENARIOS: ScenarioGroup = {
  title: 'accounts',
  scenarios: [
    {
      name: 'takes the account of the caller identity from a 12-digit access key',
      needs: ['sts'],
      async run({ client }) {
        const identity = expectSuccess(await client.call('GetCallerIdentity', {}, { accessKeyId: OTHER_ACCOUNT, service: 'sts' }));
        expect(identity.Account).toBe(OTHER_ACCOUNT);
      },
    },
    {
      name: 'takes the account from a 12-digit access key for repositories and tokens',
      async run({ client, registryHost }) {
        const asOther = { accessKeyId: OTHER_ACCOUNT };
        const { repository } = expectSuccess(await client.call('CreateRepository', { repositoryName: 'elsewhere' }, asOther));
        expect(repository).toMatchObject({ registryId: OTHER_ACCOUNT, repositoryArn: repositoryArn('elsewhere', OTHER_ACCOUNT) });
        const { authorizationData } = expectSuccess(await client.call('GetAuthorizationToken', {}, asOther));
        expect((authorizationData as ClientOutput[])[0]!.proxyEndpoint).toBe(`http://${registryHost}`);
        expect(namesOf(expectSuccess(await client.call('DescribeRepositories', {}, asOther)))).toEqual(['elsewhere']);
        expect(expectSuccess(await client.call('DescribeRepositories', {})).repositories).toEqual([]);
      },
    },
    {
      name: 'keeps repositories apart by account (12-digit access key) and by region',
      async run({ client }) {
        const mine = { accessKeyId: '111111111111' };
        expectSuccess(await client.call('CreateRepository', { repositoryName: 'mine' }, mine));
        expect(expectSuccess(await client.call('DescribeRepositories', {}, mine)).repositories).toMatchObject([{ repositoryName: 'mine', registryId: '111111111111' }]);
        expect(expectSuccess(await client.call('DescribeRepositories', {}, { accessKeyId: '222222222222' })).repositories).toEqual([]);
        expect(expectSuccess(await client.call('DescribeRepositories', {}, { ...mine, region: 'eu-west-1' })).repositories).toEqual([]);
      },
    },
  ],
};
