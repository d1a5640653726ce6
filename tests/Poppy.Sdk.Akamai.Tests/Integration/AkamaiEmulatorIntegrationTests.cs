using Poppy.Sdk.Emulator.Akamai;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Tests.Integration;

/// <summary>The provider against the emulated Akamai over HTTP, on a shared fake clock (no real waiting).</summary>
public sealed class AkamaiEmulatorIntegrationTests : AkamaiEmulatorTestBase
{
    [Fact]
    public async Task Lifecycle_CreateActivatesStagingThenProduction_GetUpdateWithANewVersion_PurgeEachKind_DeleteDeactivatesFirst()
    {
        var spec = CreateServiceTests.Normalize(TestSpecs.Simple());

        // Create: one property, version 1 activated on staging, and on production only once staging is ACTIVE.
        var create = await Provider.CreateServiceAsync("life-1", spec);
        Assert.Equal(ProviderStatus.CreateInProgress, (await Provider.GetServiceAsync(new ServiceReference("life-1")))!.Details.Status);
        var seen = await PollRecordingAsync(create);
        Assert.Equal([(1, (int?)null), (1, 1)], seen.Distinct().Where(s => s.Staging is not null));
        Assert.Equal(2, Emulator.Akamai.Calls.Count("POST", "/activations"));
        var property = Assert.Single(Emulator.Akamai.Properties);
        Assert.Equal((1, 1, 1), (property.LatestVersion, property.StagingVersion, property.ProductionVersion));

        // Get: the spec reads back from the rule tree, no drift.
        var reference = new ServiceReference("life-1", create.Value.VendorServiceId);
        var read = await Provider.GetServiceAsync(reference);
        Assert.Equal(spec, read!.Spec);
        Assert.Empty(read.Drift);
        Assert.Equal(ProviderStatus.Deployed, read.Details.Status);

        // Update: a new version from the active one (createFromVersion + its etag), edited with If-Match, activated.
        var changed = spec with { Domains = [.. spec.Domains, new DomainSpec("static.example.com")] };
        var update = await Provider.UpdateServiceAsync(reference, changed);
        Assert.Equal(ProviderStatus.UpdateInProgress, (await Provider.GetServiceAsync(reference))!.Details.Status);
        await CompleteAsync(update);
        property = Assert.Single(Emulator.Akamai.Properties);
        Assert.Equal((2, 2, 2), (property.LatestVersion, property.StagingVersion, property.ProductionVersion));
        Assert.Equal(1, Emulator.Akamai.Calls.Count("POST", "/versions"));
        read = await Provider.GetServiceAsync(reference);
        Assert.Equal(changed, read!.Spec);
        Assert.Empty(read.Drift);

        // Purge: URLs (a path once per domain), tags, everything (the service's CP code); soft is invalidate.
        await Provider.PurgeAsync(reference, PurgeRequest.ForUrls("/a.css", "https://www.example.com/b.js"));
        await Provider.PurgeAsync(reference, PurgeRequest.ForTags("product-42") with { Mode = PurgeMode.Soft });
        var all = await Provider.PurgeAsync(reference, PurgeRequest.ForEverything());
        Assert.Equal("everything as the service's CP code", all.Emulation);
        var purges = Emulator.Akamai.Purges;
        Assert.Equal(
            [("delete", "url", "production"), ("invalidate", "tag", "production"), ("delete", "cpcode", "production")],
            purges.Select(p => (p.Action, p.Type, p.Network)));
        Assert.Equal(["https://www.example.com/a.css", "https://static.example.com/a.css", "https://www.example.com/b.js"], purges[0].Objects);
        Assert.Equal(["product-42"], purges[1].Objects);
        Assert.Equal(all.VendorPurgeIds, [purges[2].PurgeId]);

        // Delete: PAPI refuses to delete an active property, so both networks are deactivated first.
        var delete = await Provider.DeleteServiceAsync(reference);
        await CompleteAsync(delete);
        Assert.Empty(Emulator.Akamai.Properties);
        var calls = Emulator.Akamai.Calls.Calls;
        var lastActivation = calls.Select((c, i) => (c, i)).Last(x => x.c.Method == "POST" && x.c.Path.EndsWith("/activations", StringComparison.Ordinal)).i;
        var deleted = calls.Select((c, i) => (c, i)).Single(x => x.c.Method == "DELETE").i;
        Assert.True(lastActivation < deleted);
        Assert.Null(await Provider.GetServiceAsync(reference));
    }

    [Fact]
    public async Task Create_RetriedAfterTheProcessDied_ConvergesOnOneProperty()
    {
        var spec = CreateServiceTests.Normalize(TestSpecs.Simple());
        _ = await Provider.CreateServiceAsync("retry-1", spec);

        // The process dies before polling; a new one runs the same create again.
        var again = await NewProvider().CreateServiceAsync("retry-1", spec);
        await CompleteAsync(again);

        var property = Assert.Single(Emulator.Akamai.Properties);
        Assert.Equal(property.LatestVersion, property.ProductionVersion);
        Assert.Single(Emulator.Akamai.Calls.Calls, c => c is { Method: "POST", Path: "/papi/v1/properties" });
        Assert.Single(await Provider.ListServicesAsync().ToListAsync());
        Assert.Equal(spec, (await Provider.GetServiceAsync(new ServiceReference("retry-1")))!.Spec);
    }

    [Fact]
    public async Task EdgeGrid_SignedRequestsAccepted_AWrongSecretRefusedAsUnauthorized()
    {
        Assert.Empty(await Provider.ListServicesAsync().ToListAsync());
        Assert.All(Emulator.Akamai.Calls.Calls, c => Assert.Equal(200, c.Status));

        var wrong = NewProvider(o => o.ClientSecret = Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => wrong.CreateServiceAsync("auth-1", CreateServiceTests.Normalize(TestSpecs.Simple())));

        Assert.Equal(CdnErrorCode.Unauthorized, ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.Equal(401, ex.Status);
        Assert.Empty(Emulator.Akamai.Properties);
    }

    [Fact]
    public async Task Purge_EmulatorBucketSpent_RateLimitedWithoutRecordingThePurge()
    {
        var created = await CreateDeployedAsync("bucket-1", TestSpecs.Simple());
        var reference = new ServiceReference("bucket-1", created.VendorServiceId);
        Emulator.Akamai.Options.UrlBucket = new PurgeBucket(2, 1);

        await Provider.PurgeAsync(reference, PurgeRequest.ForUrls("/a.css"));
        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Provider.PurgeAsync(reference, PurgeRequest.ForUrls("/b.css", "/c.css")));

        Assert.True(ex.IsTransient);
        Assert.Equal(429, ex.Status);
        Assert.Single(Emulator.Akamai.Purges);

        // The bucket refills at one URL a second.
        Time.Advance(TimeSpan.FromSeconds(2));
        await Provider.PurgeAsync(reference, PurgeRequest.ForUrls("/b.css", "/c.css"));
        Assert.Equal(2, Emulator.Akamai.Purges.Count);
    }

    /// <summary>Polls to completion, recording the active staging and production versions after each poll.</summary>
    private async Task<List<(int? Staging, int? Production)>> PollRecordingAsync(CdnOperation operation)
    {
        var seen = new List<(int? Staging, int? Production)>();
        for (var i = 0; i < 200 && !await operation.UpdateStatusAsync(); i++)
        {
            var p = Assert.Single(Emulator.Akamai.Properties);
            seen.Add((p.StagingVersion, p.ProductionVersion));
            Time.Advance(operation.SuggestedPollingDelay ?? PollingInterval);
        }

        Assert.True(operation.HasCompleted, operation.StatusDescription);
        Assert.Null(operation.Error);
        var last = Assert.Single(Emulator.Akamai.Properties);
        seen.Add((last.StagingVersion, last.ProductionVersion));
        return seen;
    }
}
