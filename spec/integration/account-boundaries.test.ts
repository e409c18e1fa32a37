// One account cannot reach into another's registry: without a resource-based policy that allows it (none is
// evaluated yet), every cross-account request is AccessDeniedException on the control plane and DENIED on the
// data plane, and a token asked for another registry still opens only its own.
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { getWithHost, registryClient } from '../helpers/registry-client';
import { useTestEmulator } from '../helpers/test-emulator';

const A = '111111111111';
const B = '222222222222';
let a: ECRClient;
let b: ECRClient;

const env = useTestEmulator();
beforeEach(async () => {
  a = env.ecrClient({ accountId: A });
  b = env.ecrClient({ accountId: B });
  await b.send(new CreateRepositoryCommand({ repositoryName: 'secret' }));
});

function denial(action: string, resource: string): Record<string, unknown> {
  return {
    name: 'AccessDeniedException',
    message: `User: arn:aws:iam::${A}:root is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
    $metadata: expect.objectContaining({ httpStatusCode: 400 }),
  };
}

const getAtHost = (path: string, host: string, authorization: string) => getWithHost(env.emulator.endpoint, path, host, authorization);

describe('control plane', () => {
  it('refuses DeleteRepository in another account with AccessDeniedException, and the repository stays', async () => {
    await expect(a.send(new DeleteRepositoryCommand({ registryId: B, repositoryName: 'secret', force: true }))).rejects.toMatchObject(
      denial('ecr:DeleteRepository', `arn:aws:ecr:us-east-1:${B}:repository/secret`),
    );
    expect((await b.send(new DescribeRepositoriesCommand({}))).repositories!.map((repository) => repository.repositoryName)).toEqual(['secret']);
  });

  it('refuses to list another account\'s repositories', async () => {
    await expect(a.send(new DescribeRepositoriesCommand({ registryId: B }))).rejects.toMatchObject(
      denial('ecr:DescribeRepositories', `arn:aws:ecr:us-east-1:${B}:repository/*`),
    );
  });

  it('refuses to read another account\'s images', async () => {
    await expect(a.send(new DescribeImagesCommand({ registryId: B, repositoryName: 'secret' }))).rejects.toMatchObject(
      denial('ecr:DescribeImages', `arn:aws:ecr:us-east-1:${B}:repository/secret`),
    );
  });

  it('serves a registryId that is the caller\'s own account', async () => {
    await a.send(new CreateRepositoryCommand({ repositoryName: 'mine' }));
    const { repositories } = await a.send(new DescribeRepositoriesCommand({ registryId: A }));
    expect(repositories!.map((repository) => repository.repositoryName)).toEqual(['mine']);
  });
});

describe('tokens', () => {
  it('issues the caller\'s own token for every registry asked for, each with its proxyEndpoint', async () => {
    const { authorizationData } = await a.send(new GetAuthorizationTokenCommand({ registryIds: [A, B] }));
    expect(authorizationData).toHaveLength(2);
    expect(authorizationData![0]!.authorizationToken).toBe(authorizationData![1]!.authorizationToken);
    const own = await a.send(new GetAuthorizationTokenCommand({}));
    const decode = (token: string | undefined): string => Buffer.from(token!, 'base64').toString().split('.')[0]!;
    expect(decode(authorizationData![1]!.authorizationToken)).toBe(decode(own.authorizationData![0]!.authorizationToken));
  });

  it('does not open another account\'s repositories with a token asked for that registry', async () => {
    const pushed = await (await env.loginRegistry(b)).pushImage('secret', 'v1');
    const { authorizationData } = await a.send(new GetAuthorizationTokenCommand({ registryIds: [B] }));
    const authorization = `Basic ${authorizationData![0]!.authorizationToken!}`;
    const atB = await getAtHost('/v2/secret/manifests/v1', `${B}.dkr.ecr.us-east-1.localhost`, authorization);
    expect(atB.status).toBe(403);
    expect(JSON.parse(atB.body).errors[0]).toMatchObject({ code: 'DENIED', message: expect.stringContaining(`arn:aws:iam::${A}:root is not authorized to perform: ecr:BatchGetImage`) });
    expect(atB.body).not.toContain(pushed.digest);
    // At the plain host the token acts in its own registry, where there is no such repository.
    const atOwn = await registryClient(env.emulator.endpoint, authorization).fetch('/v2/secret/manifests/v1');
    expect(atOwn.status).toBe(404);
  });
});
