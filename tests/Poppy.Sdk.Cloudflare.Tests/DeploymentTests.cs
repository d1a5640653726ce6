using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>Create and update complete when hostnames and certificates are active; until then they say what to publish.</summary>
public class DeploymentTests
{
    [Fact]
    public async Task CreateServiceAsync_PendingValidation_ReportsTheRecordsToPublish()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);

        var operation = await h.Provider.CreateServiceAsync("svc-1", TestSpecs.Rich());

        Assert.False(operation.HasCompleted);
        var www = SharedZoneTests.Hostname(h.Zone, "www.example.com");
        var description = operation.StatusDescription!;
        Assert.StartsWith("waiting for validation: ", description, StringComparison.Ordinal);
        Assert.Contains($"TXT _cf-custom-hostname.www.example.com = own-{www["id"]}", description, StringComparison.Ordinal);
        Assert.Contains("TXT _acme-challenge.static.example.com = ca3-", description, StringComparison.Ordinal);
        Assert.Contains($"at http://www.example.com/.well-known/acme-challenge/{www["id"]}", description, StringComparison.Ordinal);
        Assert.Equal($"cloudflare:create:{FakeCloudflare.ZoneId}:{string.Join(',', h.Zone.Hostnames.Keys)}:svc-1", operation.Id);
    }

    [Fact]
    public async Task GetDomainValidationsAsync_ReturnsOwnershipAndCertificateRecordsPerDomain()
    {
        var h = new CloudflareHarness();
        await h.Provider.CreateServiceAsync("svc-1", TestSpecs.Simple() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.San)] });
        var id = (string)SharedZoneTests.Hostname(h.Zone, "www.example.com")["id"]!;

        var validations = await h.Provider.GetDomainValidationsAsync(new ServiceReference("svc-1"));

        var v = Assert.Single(validations);
        Assert.True(v.IsPending);
        Assert.Equal(("www.example.com", "pending", "pending_validation"), (v.Domain, v.HostnameStatus, v.CertificateStatus));
        Assert.Equal(
            [
                new CloudflareValidationRecord(CloudflareValidationPurpose.Ownership, "TXT", "_cf-custom-hostname.www.example.com", "own-" + id),
                new CloudflareValidationRecord(CloudflareValidationPurpose.Certificate, "TXT", "_acme-challenge.www.example.com", "ca3-" + id),
            ],
            v.Records);
    }

    [Fact]
    public async Task WaitForCompletionAsync_PollsOnTheFakeClockUntilValidated()
    {
        var h = new CloudflareHarness(o => o.Plan = CloudflarePlanTier.Business);
        var operation = await h.Provider.CreateServiceAsync("svc-1", TestSpecs.Rich());
        var wait = operation.WaitForCompletionAsync();

        // Still pending after a poll: the operation waits one polling interval and reads again. The zone changes only
        // once the poll has read it and the operation waits on the clock again (never while a poll runs).
        await h.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(30));
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        Assert.False(wait.IsCompleted);
        h.Zone.Activate("www.example.com");
        await h.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(30));
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        Assert.False(wait.IsCompleted);
        h.Zone.Activate("static.example.com");
        await h.Time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(30));

        var details = await wait;
        Assert.Equal(ProviderStatus.Deployed, details.Status);
        Assert.Equal(CertificateStatus.Deployed, details.CertificateStatuses["www.example.com"]);
        Assert.All(details.AccessUrls, u => Assert.Equal("customers.saas.example", u.ProviderUrl));
        Assert.Equal(FakeCloudflare.ZoneId, details.VendorServiceId);
    }

    [Fact]
    public async Task UpdateStatusAsync_HttpDomainActiveWithCertificatePending_IsDeployed()
    {
        var h = new CloudflareHarness();
        var operation = await h.Provider.CreateServiceAsync("svc-1", TestSpecs.Simple());
        h.Zone.Activate("www.example.com", sslStatus: "pending_validation");

        Assert.True(await operation.UpdateStatusAsync());
        Assert.Empty(operation.Value.CertificateStatuses);
    }

    [Fact]
    public async Task UpdateStatusAsync_CertificateValidationTimedOut_FailsWithTheReason()
    {
        var h = new CloudflareHarness();
        var operation = await h.Provider.CreateServiceAsync("svc-1", TestSpecs.Simple() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Sni)] });
        h.Zone.Activate("www.example.com", sslStatus: "validation_timed_out");

        Assert.True(await operation.UpdateStatusAsync());
        var error = Assert.IsType<CdnRequestFailedException>(operation.Error);
        Assert.Contains("the certificate of 'www.example.com' is validation_timed_out", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task ResumeOperationAsync_FromTheIdAlone_ReadsTheHostnamesAndCompletes()
    {
        var h = new CloudflareHarness();
        var created = await h.Provider.CreateServiceAsync("svc-1", TestSpecs.Simple() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Sni)] });
        h.Zone.Activate("www.example.com", sslStatus: "pending_issuance");

        var resumed = (CdnOperation<ProviderServiceDetails>)await h.Another().ResumeOperationAsync(created.Id);
        Assert.False(resumed.HasCompleted);
        Assert.Contains("certificate pending_issuance", resumed.StatusDescription, StringComparison.Ordinal);

        h.Zone.Activate("www.example.com");
        Assert.True(await resumed.UpdateStatusAsync());
        Assert.Equal(ProviderStatus.Deployed, resumed.Value.Status);
    }

    [Theory]
    [InlineData("fastly:create:abc:1")]
    [InlineData("cloudflare:create:otherzone:1:svc-1")]
    [InlineData("cloudflare:delete:023e105f4ecef8ad9ca31a8372d0c353:abc:svc-1")]
    [InlineData("cloudflare:create:023e105f4ecef8ad9ca31a8372d0c353:-:svc-1")]
    [InlineData("cloudflare:create:023e105f4ecef8ad9ca31a8372d0c353")]
    public async Task ResumeOperationAsync_ForeignOrMalformedId_Throws(string id)
    {
        var h = new CloudflareHarness();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Provider.ResumeOperationAsync(id));
        Assert.Empty(h.Zone.Calls);
    }

    [Fact]
    public async Task ResumeOperationAsync_Delete_CompletesWhenNoHostnameIsLeft()
    {
        var h = new CloudflareHarness();
        await h.CreateActiveAsync("svc-1", TestSpecs.Simple());
        var id = $"cloudflare:delete:{FakeCloudflare.ZoneId}:-:svc-1";

        var early = await h.Provider.ResumeOperationAsync(id);
        await h.Provider.DeleteServiceAsync(new ServiceReference("svc-1"));
        var late = await h.Provider.ResumeOperationAsync(id);

        Assert.IsType<CdnRequestFailedException>(early.Error);
        Assert.True(late.HasCompleted);
        Assert.Null(late.Error);
    }
}
