import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  discoverEndpoints,
  endpointId,
  endpointWriteReason,
  parseAwsConfig,
  readAwsProfiles,
} from '../../../src/core/aws/endpoints';

const CONFIG = `
# a comment
[default]
region = eu-west-1

[profile local]
region = us-west-2
endpoint_url = http://localhost:4566/   ; trailing comment

[profile moto]
endpoint_url=http://127.0.0.1:5000
s3 =
  addressing_style = path
  endpoint_url = http://ignored-nested:1

[profile real]
region = eu-central-1

[sso-session corp]
sso_region = us-east-1
endpoint_url = http://should-not-count

[services dev]
sqs =
  endpoint_url = http://localhost:9324
`;

test('parses profiles, endpoint_url and region; skips nested keys and non-profile sections', () => {
  assert.deepEqual(parseAwsConfig(CONFIG), [
    { name: 'default', region: 'eu-west-1' },
    { name: 'local', region: 'us-west-2', endpointUrl: 'http://localhost:4566/' },
    { name: 'moto', endpointUrl: 'http://127.0.0.1:5000' },
    { name: 'real', region: 'eu-central-1' },
  ]);
});

test('discovers settings endpoints plus profiles with endpoint_url from a real config file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drydock-awscfg-'));
  try {
    const file = path.join(dir, 'config');
    await writeFile(file, CONFIG);
    const endpoints = await discoverEndpoints(
      { endpoints: ['http://localhost:4566', 'not a url'], region: 'us-east-1' },
      { configFile: file },
    );
    assert.deepEqual(
      endpoints.map((e) => [e.url, e.region, e.source?.kind === 'profile' ? e.source.profile : 'setting']),
      [
        ['http://localhost:4566', 'us-east-1', 'setting'],
        ['http://localhost:4566', 'us-west-2', 'local'],
        ['http://127.0.0.1:5000', 'us-east-1', 'moto'],
      ],
    );
    assert.equal(new Set(endpoints.map(endpointId)).size, 3, 'ids are distinct');
    assert.deepEqual(await readAwsProfiles(path.join(dir, 'absent')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('only loopback endpoints are writable unless allowed', () => {
  assert.equal(endpointWriteReason({ url: 'http://localhost:4566', region: 'x' }), 'loopback-server');
  assert.equal(endpointWriteReason({ url: 'http://10.0.0.5:4566', region: 'x' }), undefined);
  assert.equal(
    endpointWriteReason({ url: 'http://10.0.0.5:4566', region: 'x' }, ['http://10.0.0.5:4566/']),
    'allowed-by-user',
  );
});
