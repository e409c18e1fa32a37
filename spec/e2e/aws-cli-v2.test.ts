// Every ECR scenario (spec/scenarios/) with the aws CLI v2 that Debian packages (`apt-get install awscli`).
import { awsCliV2Driver } from '../helpers/ecr-client-drivers';
import { describeEcrScenarios } from '../helpers/ecr-scenario-runner';
import { emulatorProcessTarget } from '../helpers/scenario-targets';
import { ECR_SCENARIOS } from '../scenarios/ecr-scenarios';

describe('aws CLI v2', () => {
  describeEcrScenarios(ECR_SCENARIOS, emulatorProcessTarget(awsCliV2Driver()), { expectedVersion: /^aws-cli\/2\./ });
});
