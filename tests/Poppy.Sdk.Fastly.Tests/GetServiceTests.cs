using Poppy.Sdk.Fastly.Internal;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

public class GetServiceTests
{
    private const string Id = FastlyMock.VendorId;

    [Fact]
    public async Task GetServiceAsync_ByVendorId_ReadsTheActiveVersionBackIntoTheSpec()
    {
        var mock = new FastlyMock();
        var normalized = TestSpecs.Normalize(TestSpecs.Rich());
        var config = mock.Translator.ToFastly(normalized);
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(
            FastlyJson.Version(1, active: false, locked: true, "an old version"),
            FastlyJson.Version(2, active: true, locked: true, config.VersionComment),
            FastlyJson.Version(3, active: false, locked: false, "a draft someone is editing"))));
        mock.ExpectReadVersion(2, config);

        var service = await mock.Provider.GetServiceAsync(new ServiceReference("svc-1", Id));

        mock.Verify();
        Assert.NotNull(service);
        Assert.Equal(normalized, service.Spec);
        Assert.Equal(ProviderStatus.Deployed, service.Details.Status);
        Assert.Equal(Id, service.Details.VendorServiceId);
        Assert.Equal(2, service.Details.AccessUrls.Count);
        Assert.DoesNotContain(mock.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3010);
    }

    [Fact]
    public async Task GetServiceAsync_WithoutVendorId_SearchesByTheStampedName()
    {
        var mock = new FastlyMock();
        var normalized = TestSpecs.Normalize(TestSpecs.Minimal());
        var config = mock.Translator.ToFastly(normalized);
        mock.ExpectSearch(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, config.VersionComment))));
        mock.ExpectReadVersion(1, config);

        var service = await mock.Provider.GetServiceAsync(new ServiceReference("svc-1"));

        mock.Verify();
        Assert.Equal(normalized, service!.Spec);
        Assert.Equal("Minimal site", service.Spec.Name);
        Assert.Equal("cdn", service.Spec.FlavorId);
    }

    [Fact]
    public async Task GetServiceAsync_ServiceMissing_ReturnsNull()
    {
        var mock = new FastlyMock();
        mock.ExpectSearch(null);

        var service = await mock.Provider.GetServiceAsync(new ServiceReference("svc-1"));

        mock.Verify();
        Assert.Null(service);
    }

    [Fact]
    public async Task GetServiceAsync_NoActiveVersion_ReportsCreateInProgressFromTheLatestVersion()
    {
        var mock = new FastlyMock();
        var config = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: false, locked: false, config.VersionComment))));
        mock.ExpectReadVersion(1, config);

        var service = await mock.Provider.GetServiceAsync(new ServiceReference("svc-1", Id));

        Assert.Equal(ProviderStatus.CreateInProgress, service!.Details.Status);
    }

    [Fact]
    public async Task GetServiceAsync_BackendEditedOutsidePoppy_ReportsTheVendorValueAndLogsDrift()
    {
        var mock = new FastlyMock();
        var config = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        var edited = config with { Backends = [config.Backends[0] with { Address = "moved.example.net", Port = 8443 }] };
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, config.VersionComment))));
        mock.ExpectReadVersion(1, edited);

        var service = await mock.Provider.GetServiceAsync(new ServiceReference("svc-1", Id));

        var origin = Assert.Single(service!.Spec.Origins);
        Assert.Equal("moved.example.net", origin.Origin);
        Assert.Equal(8443, origin.Port);
        Assert.Equal("default", Assert.Single(origin.Rules).Name);
        Assert.Contains(mock.Logger.Collector.GetSnapshot(), r => r.Id.Id == 3010 && r.Message.Contains("poppy-origin-0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetServiceAsync_ServiceStampedForAnotherPoppyService_ThrowsConflict()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, true, true)), comment: "poppy:service_id=someone-else"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.GetServiceAsync(new ServiceReference("svc-1", Id)));

        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
    }
}
