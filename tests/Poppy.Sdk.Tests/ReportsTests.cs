namespace Poppy.Sdk.Tests;

public sealed class ReportsTests
{
    private static readonly PurgeResult Accepted = new() { Provider = "fastly", Items = ["/a", "/b"] };

    [Fact]
    public void PurgeReportToString_Success_ReadsTheRequestAndEachProviderNotClrTypeNames()
    {
        var report = new PurgeReport
        {
            ServiceId = "shop",
            Request = PurgeRequest.ForUrls("/a", "/b"),
            Providers = [new ProviderPurgeReport { Provider = "fastly", Succeeded = [Accepted] }],
        };

        Assert.Equal("purge of service 'shop' (url, 2 items, hard): succeeded; fastly: 1 batch, 1 accepted", report.ToString());
    }

    [Fact]
    public void ProviderPurgeReportToString_FailedBatch_NamesTheErrorAndItsItems()
    {
        var report = new ProviderPurgeReport
        {
            Provider = "cloudfront",
            Succeeded = [Accepted with { Provider = "cloudfront" }],
            Failed = [new FailedPurgeBatch(["/c"], new ProviderError("rate_limited", "Too many invalidations in progress."))],
        };

        var text = report.ToString();

        Assert.Equal("cloudfront: 2 batches, 1 accepted, 1 failed (rate_limited: Too many invalidations in progress. [1 item])", text);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProviderPurgeReportToString_Unsupported_SaysWhy()
    {
        var report = new ProviderPurgeReport { Provider = "fastly", Unsupported = [new ValidationProblem("/kind", "Fastly has no prefix purge.")] };

        Assert.Equal("fastly: unsupported (/kind: Fastly has no prefix purge.)", report.ToString());
    }

    [Fact]
    public void PurgeReportToString_PurgeAllPartlyFailed_SaysNotComplete()
    {
        var report = new PurgeReport
        {
            ServiceId = "shop",
            Request = PurgeRequest.ForEverything().AsSoft(),
            Providers = [new ProviderPurgeReport { Provider = "a", Failed = [new FailedPurgeBatch([], new ProviderError("server_error", "Down."))] }],
        };

        Assert.Equal("purge of service 'shop' (all, soft): not complete; a: 1 batch, 0 accepted, 1 failed (server_error: Down. [0 items])", report.ToString());
    }

    [Fact]
    public void CatalogRebuildReportToString_WithFailures_NamesProvidersAndMessagesNotClrTypeNames()
    {
        var report = new CatalogRebuildReport(2, [new ProviderAttempt("b", new CdnRequestFailedException("b", "Vendor down.", 503, CdnErrorCode.ServiceUnavailable, isTransient: true))]);

        Assert.Equal("2 services recorded; 1 provider could not be listed: b (Vendor down.)", report.ToString());
        Assert.Equal("1 service recorded; every provider listed", new CatalogRebuildReport(1, []).ToString());
    }
}
