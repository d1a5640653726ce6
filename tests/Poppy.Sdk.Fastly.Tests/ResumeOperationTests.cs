using RichardSzalay.MockHttp;
namespace Poppy.Sdk.Fastly.Tests;

public class ResumeOperationTests
{
    private const string Id = FastlyMock.VendorId;

    [Fact]
    public async Task ResumeOperationAsync_Create_RereadsAndCompletesWithDetails()
    {
        var mock = new FastlyMock();
        var config = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, true, true, config.VersionComment))));
        mock.ExpectReadVersion(1, config);

        var operation = (CdnOperation<ProviderServiceDetails>)await mock.Provider.ResumeOperationAsync($"fastly:create:{Id}:1");

        mock.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Equal($"fastly:create:{Id}:1", operation.Id);
        Assert.Equal("svc-1", operation.Value.ServiceId);
        Assert.Equal(ProviderStatus.Deployed, operation.Value.Status);
    }

    [Fact]
    public async Task ResumeOperationAsync_UpdateOfVanishedService_CompletesWithNotFound()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(null);

        var operation = await mock.Provider.ResumeOperationAsync($"fastly:update:{Id}:3");

        Assert.True(operation.HasCompleted);
        Assert.Equal(CdnErrorCode.NotFound, Assert.IsType<CdnRequestFailedException>(operation.Error).ErrorCode);
    }

    [Fact]
    public async Task ResumeOperationAsync_DeleteOfGoneService_Completes()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(null);

        var operation = await mock.Provider.ResumeOperationAsync($"fastly:delete:{Id}:svc-1");

        Assert.True(operation.HasCompleted);
        Assert.Null(operation.Error);
        Assert.Equal(new ServiceReference("svc-1", Id), Assert.IsAssignableFrom<CdnOperation<ServiceReference>>(operation).Value);
    }

    [Fact]
    public async Task ResumeOperationAsync_DeleteOfServiceStillThere_CompletesWithTransientError()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, true, true))));

        var operation = await mock.Provider.ResumeOperationAsync($"fastly:delete:{Id}:svc-1");

        Assert.True(Assert.IsType<CdnRequestFailedException>(operation.Error).IsTransient);
    }

    [Theory]
    [InlineData("cloudfront:create:E1:1")]
    [InlineData("fastly:purge:X:1")]
    [InlineData("fastly:create:X")]
    [InlineData("fastly:create:X:one")]
    [InlineData("fastly:delete:X")]
    [InlineData("fastly-eu:create:X:1")]
    [InlineData("fastly:")]
    public async Task ResumeOperationAsync_ForeignId_ThrowsArgumentException(string id)
    {
        var mock = new FastlyMock();

        await Assert.ThrowsAsync<ArgumentException>(() => mock.Provider.ResumeOperationAsync(id));
    }
}
