// What every ECR operation acts on, as the Service Authorization Reference lists ECR's resources: the repository an
// input names (one target per name of a list), the repository a resourceArn names, or `*` for operations that name
// none; and the registry: registryId, the account of a resourceArn, else the caller's.
import { ecrModel, shapeNamed } from '../../../src/aws/model';
import { requestTargets } from '../../../src/ecr/request-target';

const CALLER = { accountId: '111111111111', region: 'eu-west-1' };
const OTHER = '222222222222';
const REPOSITORY_ARN = `arn:aws:ecr:eu-west-1:${OTHER}:repository/team/app`;

function members(operation: string): string[] {
  const input = ecrModel.operations[operation]!.input;
  return input === undefined ? [] : Object.keys(shapeNamed(input.shape).members ?? {});
}

/** The input each operation names its resources with, by the members its model input has. */
function inputFor(operation: string): Record<string, unknown> {
  const names = members(operation);
  if (names.includes('repositoryName')) return { repositoryName: 'team/app' };
  if (names.includes('repositoryNames')) return { repositoryNames: ['team/app', 'team/web'] };
  if (names.includes('resourceArn')) return { resourceArn: REPOSITORY_ARN };
  return {};
}

const OPERATIONS = Object.keys(ecrModel.operations).sort();

describe('requestTargets', () => {
  test.each(OPERATIONS.filter((operation) => members(operation).includes('repositoryName')))('%s acts on the repository it names', (operation) => {
    expect(requestTargets(inputFor(operation), CALLER)).toEqual([{ scope: CALLER, arn: 'arn:aws:ecr:eu-west-1:111111111111:repository/team/app', repository: 'team/app' }]);
  });

  test.each(OPERATIONS.filter((operation) => members(operation).includes('repositoryNames')))('%s acts on each repository it names', (operation) => {
    expect(requestTargets(inputFor(operation), CALLER).map((target) => target.repository)).toEqual(['team/app', 'team/web']);
  });

  test.each(OPERATIONS.filter((operation) => members(operation).includes('resourceArn')))("%s acts on its resourceArn, in that ARN's account", (operation) => {
    expect(requestTargets(inputFor(operation), CALLER)).toEqual([{ scope: { accountId: OTHER, region: 'eu-west-1' }, arn: REPOSITORY_ARN, repository: 'team/app' }]);
  });

  test.each(OPERATIONS.filter((operation) => !['repositoryName', 'repositoryNames', 'resourceArn'].some((member) => members(operation).includes(member))))(
    '%s names no repository and acts on *',
    (operation) => {
      expect(requestTargets(inputFor(operation), CALLER)).toEqual([{ scope: CALLER, arn: '*' }]);
    },
  );

  test('a registryId names the registry acted in', () => {
    expect(requestTargets({ registryId: OTHER, repositoryName: 'app' }, CALLER)).toEqual([
      { scope: { accountId: OTHER, region: 'eu-west-1' }, arn: `arn:aws:ecr:eu-west-1:${OTHER}:repository/app`, repository: 'app' },
    ]);
  });
});
