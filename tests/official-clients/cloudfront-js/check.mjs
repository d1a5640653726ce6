// Drives the emulator's CloudFront API with AWS's official JavaScript client (@aws-sdk/client-cloudfront), unchanged.
// Usage: node check.mjs <base_url> <access_key_id> <secret_access_key>
//   (the values of the "cloudfront" line the standalone emulator prints), or set CLOUDFRONT_BASE_URL,
//   CLOUDFRONT_ACCESS_KEY_ID and CLOUDFRONT_SECRET_ACCESS_KEY.
// Start the emulator with --deploy-delay 0 so a disabled distribution is Deployed at once and can be deleted.
import {
  CloudFrontClient,
  CreateDistributionCommand,
  CreateFunctionCommand,
  CreateInvalidationCommand,
  DeleteDistributionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetFunctionCommand,
  GetInvalidationCommand,
  ListDistributionsCommand,
  ListFunctionsCommand,
  ListInvalidationsCommand,
  PublishFunctionCommand,
  UpdateDistributionCommand,
  UpdateFunctionCommand,
} from '@aws-sdk/client-cloudfront';

const [baseUrl, accessKeyId, secretAccessKey] = [
  process.argv[2] ?? process.env.CLOUDFRONT_BASE_URL,
  process.argv[3] ?? process.env.CLOUDFRONT_ACCESS_KEY_ID,
  process.argv[4] ?? process.env.CLOUDFRONT_SECRET_ACCESS_KEY,
];
if (!baseUrl || !accessKeyId || !secretAccessKey) {
  console.error('usage: node check.mjs <base_url> <access_key_id> <secret_access_key>');
  process.exit(2);
}

const client = new CloudFrontClient({ region: 'us-east-1', endpoint: baseUrl, credentials: { accessKeyId, secretAccessKey } });
const badClient = new CloudFrontClient({
  region: 'us-east-1',
  endpoint: baseUrl,
  credentials: { accessKeyId, secretAccessKey: secretAccessKey + '-wrong' },
  maxAttempts: 1,
});

const fail = (message) => {
  console.error(`FAIL ${message}`);
  process.exit(1);
};

const expect = (condition, message) => {
  if (!condition) fail(message);
};

const step = async (name, fn) => {
  try {
    const result = await fn();
    console.log(`ok   ${name}`);
    return result;
  } catch (e) {
    fail(`${name}: ${e.$metadata?.httpStatusCode ?? ''} ${e.name}: ${e.message}`);
  }
};

const expectError = async (name, code, status, fn) => {
  try {
    await fn();
  } catch (e) {
    if (e.name === code && e.$metadata?.httpStatusCode === status) {
      console.log(`ok   ${name} -> ${status} ${code}`);
      return e;
    }
    fail(`${name}: expected ${status} ${code}, got ${e.$metadata?.httpStatusCode} ${e.name}: ${e.message}`);
  }
  fail(`${name}: expected ${status} ${code}, but the call succeeded`);
};

const run = Date.now().toString(36);
const functionName = `poppy-check-${run}`;
const code = 'function handler(event) { return event.request; }';

// CloudFront Functions: create (DEVELOPMENT), describe, publish (LIVE).
const created = await step('CreateFunction', () => client.send(new CreateFunctionCommand({
  Name: functionName,
  FunctionConfig: { Comment: 'official client check', Runtime: 'cloudfront-js-2.0' },
  FunctionCode: new TextEncoder().encode(code),
})));
expect(created.FunctionSummary?.FunctionMetadata?.Stage === 'DEVELOPMENT', `CreateFunction stage ${created.FunctionSummary?.FunctionMetadata?.Stage}`);
expect(!!created.ETag, 'CreateFunction returned no ETag');
const functionArn = created.FunctionSummary.FunctionMetadata.FunctionARN;
expect(/^arn:aws:cloudfront::\d{12}:function\//.test(functionArn), `FunctionARN ${functionArn}`);

const described = await step('DescribeFunction', () => client.send(new DescribeFunctionCommand({ Name: functionName })));
expect(described.ETag === created.ETag, `DescribeFunction ETag ${described.ETag} != ${created.ETag}`);
expect(described.FunctionSummary?.FunctionConfig?.Runtime === 'cloudfront-js-2.0', 'DescribeFunction runtime');

const fetched = await step('GetFunction', () => client.send(new GetFunctionCommand({ Name: functionName })));
expect(new TextDecoder().decode(fetched.FunctionCode) === code, 'GetFunction returned other code');

const published = await step('PublishFunction', () => client.send(new PublishFunctionCommand({ Name: functionName, IfMatch: described.ETag })));
expect(published.FunctionSummary?.FunctionMetadata?.Stage === 'LIVE', `PublishFunction stage ${published.FunctionSummary?.FunctionMetadata?.Stage}`);

// UpdateFunction: its model (UpdateFunctionResult) puts the new ETag in a header named "ETtag"; the client reads only
// that, so an emulator answering "ETag" would leave updatedFunction.ETag undefined and the publish below without If-Match.
const code2 = 'function handler(event) { return event.request; } // v2';
const updatedFunction = await step('UpdateFunction', () => client.send(new UpdateFunctionCommand({
  Name: functionName,
  IfMatch: described.ETag,
  FunctionConfig: { Comment: 'official client check v2', Runtime: 'cloudfront-js-2.0' },
  FunctionCode: new TextEncoder().encode(code2),
})));
expect(!!updatedFunction.ETag, 'UpdateFunction: the client read no ETag (the model\'s header is "ETtag")');
expect(updatedFunction.ETag !== described.ETag, 'UpdateFunction did not issue a new ETag');
const describedAfterUpdate = await step('DescribeFunction (after update)', () => client.send(new DescribeFunctionCommand({ Name: functionName, Stage: 'DEVELOPMENT' })));
expect(describedAfterUpdate.ETag === updatedFunction.ETag, `DescribeFunction ETag ${describedAfterUpdate.ETag} != UpdateFunction's ${updatedFunction.ETag}`);
await expectError('PublishFunction (stale ETag)', 'PreconditionFailed', 412, () => client.send(new PublishFunctionCommand({ Name: functionName, IfMatch: described.ETag })));
await step('PublishFunction (UpdateFunction\'s ETag)', () => client.send(new PublishFunctionCommand({ Name: functionName, IfMatch: updatedFunction.ETag })));
const live = await step('GetFunction (LIVE)', () => client.send(new GetFunctionCommand({ Name: functionName, Stage: 'LIVE' })));
expect(new TextDecoder().decode(live.FunctionCode) === code2, 'LIVE code is not the updated code');

const functions = await step('ListFunctions(LIVE)', () => client.send(new ListFunctionsCommand({ Stage: 'LIVE' })));
expect(functions.FunctionList?.Items?.some((f) => f.Name === functionName), 'ListFunctions misses the published function');

// A distribution: two origins, a cache behaviour, the function on viewer-request, a geo restriction.
const origin = (id, domain) => ({
  Id: id,
  DomainName: domain,
  OriginPath: '',
  CustomHeaders: { Quantity: 0 },
  CustomOriginConfig: {
    HTTPPort: 80,
    HTTPSPort: 443,
    OriginProtocolPolicy: 'https-only',
    OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
    OriginReadTimeout: 30,
    OriginKeepaliveTimeout: 5,
  },
  ConnectionAttempts: 3,
  ConnectionTimeout: 10,
});
const config = {
  CallerReference: `poppy-check-${run}`,
  Aliases: { Quantity: 1, Items: [`www-${run}.official.example`] },
  DefaultRootObject: 'index.html',
  Origins: { Quantity: 2, Items: [origin('web', 'web.official.example'), origin('images', 'images.official.example')] },
  DefaultCacheBehavior: {
    TargetOriginId: 'web',
    ViewerProtocolPolicy: 'redirect-to-https',
    AllowedMethods: { Quantity: 2, Items: ['GET', 'HEAD'], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } },
    Compress: true,
    FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: functionArn, EventType: 'viewer-request' }] },
    ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
    MinTTL: 0,
    DefaultTTL: 300,
    MaxTTL: 3600,
  },
  CacheBehaviors: {
    Quantity: 1,
    Items: [{
      PathPattern: '/images/*',
      TargetOriginId: 'images',
      ViewerProtocolPolicy: 'https-only',
      ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
      MinTTL: 60,
      DefaultTTL: 86400,
      MaxTTL: 604800,
    }],
  },
  Comment: 'official client check',
  PriceClass: 'PriceClass_100',
  Enabled: true,
  ViewerCertificate: {
    ACMCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/official-client-check',
    SSLSupportMethod: 'sni-only',
    MinimumProtocolVersion: 'TLSv1.2_2021',
  },
  Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Quantity: 2, Items: ['US', 'CA'] } },
  HttpVersion: 'http2',
  IsIPV6Enabled: true,
};

const distribution = await step('CreateDistribution', () => client.send(new CreateDistributionCommand({ DistributionConfig: config })));
const id = distribution.Distribution?.Id;
expect(/^E[A-Z0-9]{13}$/.test(id ?? ''), `distribution id ${id}`);
expect(/^d[a-z0-9]{13}\.cloudfront\.net$/.test(distribution.Distribution.DomainName), `domain ${distribution.Distribution.DomainName}`);
expect(distribution.Location?.endsWith(`/2020-05-31/distribution/${id}`), `Location ${distribution.Location}`);
expect(!!distribution.ETag, 'CreateDistribution returned no ETag');
expect(distribution.Distribution.LastModifiedTime instanceof Date, 'LastModifiedTime is not a date');
expect(distribution.Distribution.DistributionConfig?.Origins?.Items?.length === 2, 'the config does not echo both origins');

await expectError('CreateDistribution (same CallerReference)', 'DistributionAlreadyExists', 409,
  () => client.send(new CreateDistributionCommand({ DistributionConfig: config })));

const got = await step('GetDistribution', () => client.send(new GetDistributionCommand({ Id: id })));
expect(got.ETag === distribution.ETag, `GetDistribution ETag ${got.ETag} != ${distribution.ETag}`);
const geo = got.Distribution?.DistributionConfig?.Restrictions?.GeoRestriction;
expect(geo?.RestrictionType === 'whitelist' && geo.Items?.join() === 'US,CA', `geo restriction ${JSON.stringify(geo)}`);
expect(got.Distribution.DistributionConfig.DefaultCacheBehavior.FunctionAssociations.Items[0].FunctionARN === functionArn, 'function association');

const current = await step('GetDistributionConfig', () => client.send(new GetDistributionConfigCommand({ Id: id })));
expect(current.ETag === distribution.ETag, 'GetDistributionConfig ETag');
expect(current.DistributionConfig?.CacheBehaviors?.Items?.[0]?.PathPattern === '/images/*', 'cache behaviour path pattern');

const updated = await step('UpdateDistribution (If-Match)', () => client.send(new UpdateDistributionCommand({
  Id: id,
  IfMatch: current.ETag,
  DistributionConfig: { ...current.DistributionConfig, Comment: 'official client check, updated' },
})));
expect(updated.ETag && updated.ETag !== current.ETag, 'UpdateDistribution did not issue a new ETag');
expect(updated.Distribution?.DistributionConfig?.Comment === 'official client check, updated', 'the update was not applied');

await expectError('UpdateDistribution (stale If-Match)', 'PreconditionFailed', 412, () => client.send(new UpdateDistributionCommand({
  Id: id,
  IfMatch: current.ETag,
  DistributionConfig: current.DistributionConfig,
})));

const list = await step('ListDistributions', () => client.send(new ListDistributionsCommand({ MaxItems: 100 })));
const summary = list.DistributionList?.Items?.find((d) => d.Id === id);
expect(summary?.Comment === 'official client check, updated' && summary.Enabled === true, `ListDistributions summary ${JSON.stringify(summary)}`);

// Invalidations: create, a retry with the same CallerReference returns the same one, get, list.
const batch = { CallerReference: `inv-${run}`, Paths: { Quantity: 2, Items: ['/index.html', '/images/*'] } };
const invalidation = await step('CreateInvalidation', () => client.send(new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: batch })));
const invalidationId = invalidation.Invalidation?.Id;
expect(/^I[A-Z0-9]{13,}$/.test(invalidationId ?? ''), `invalidation id ${invalidationId}`);
expect(invalidation.Location?.endsWith(`/distribution/${id}/invalidation/${invalidationId}`), `invalidation Location ${invalidation.Location}`);

const retried = await step('CreateInvalidation (same CallerReference)', () => client.send(new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: batch })));
expect(retried.Invalidation?.Id === invalidationId, `retry made another invalidation ${retried.Invalidation?.Id}`);

const fetchedInvalidation = await step('GetInvalidation', () => client.send(new GetInvalidationCommand({ DistributionId: id, Id: invalidationId })));
expect(fetchedInvalidation.Invalidation?.InvalidationBatch?.Paths?.Items?.join() === '/index.html,/images/*', 'GetInvalidation paths');
expect(['InProgress', 'Completed'].includes(fetchedInvalidation.Invalidation.Status), `invalidation status ${fetchedInvalidation.Invalidation.Status}`);

const invalidations = await step('ListInvalidations', () => client.send(new ListInvalidationsCommand({ DistributionId: id })));
expect(invalidations.InvalidationList?.Items?.length === 1 && invalidations.InvalidationList.Items[0].Id === invalidationId, 'ListInvalidations');

// A client with the wrong secret is refused.
await expectError('GetDistribution (wrong secret)', 'SignatureDoesNotMatch', 403, () => badClient.send(new GetDistributionCommand({ Id: id })));

// Delete: refused while enabled; disable, then (deploy delay 0: Deployed at once) delete with a fresh ETag.
const enabled = await step('GetDistribution (fresh ETag)', () => client.send(new GetDistributionCommand({ Id: id })));
await expectError('DeleteDistribution (enabled)', 'DistributionNotDisabled', 409, () => client.send(new DeleteDistributionCommand({ Id: id, IfMatch: enabled.ETag })));
const toDisable = await step('GetDistributionConfig', () => client.send(new GetDistributionConfigCommand({ Id: id })));
await step('UpdateDistribution (disable)', () => client.send(new UpdateDistributionCommand({
  Id: id,
  IfMatch: toDisable.ETag,
  DistributionConfig: { ...toDisable.DistributionConfig, Enabled: false },
})));
const disabled = await step('GetDistribution (disabled)', () => client.send(new GetDistributionCommand({ Id: id })));
expect(disabled.Distribution?.Status === 'Deployed', `status ${disabled.Distribution?.Status}: start the emulator with --deploy-delay 0`);
expect(disabled.Distribution.DistributionConfig.Enabled === false, 'the distribution is not disabled');
await step('DeleteDistribution', () => client.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag })));
await expectError('GetDistribution (deleted)', 'NoSuchDistribution', 404, () => client.send(new GetDistributionCommand({ Id: id })));

// The function is free again: delete it with its ETag.
const toDelete = await step('DescribeFunction', () => client.send(new DescribeFunctionCommand({ Name: functionName })));
await step('DeleteFunction', () => client.send(new DeleteFunctionCommand({ Name: functionName, IfMatch: toDelete.ETag })));
await expectError('DescribeFunction (deleted)', 'NoSuchFunctionExists', 404, () => client.send(new DescribeFunctionCommand({ Name: functionName })));

console.log('official CloudFront client: all calls succeeded against the emulator');
