using RichardSzalay.MockHttp;
namespace Poppy.Sdk.Fastly.Tests;

public class DeleteServiceTests
{
    private const string Id = FastlyMock.VendorId;

    [Fact]
    public async Task DeleteServiceAsync_ActiveService_DeactivatesThenDeletes()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, false, true), FastlyJson.Version(2, active: true, locked: true))));
        mock.Expect(HttpMethod.Put, FastlyMock.V(2) + "/deactivate").RespondJson(FastlyJson.Version(2, active: false, locked: true));
        mock.Expect(HttpMethod.Delete, "service/" + Id).RespondJson("""{"status":"ok"}""");

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1", Id));

        mock.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Null(operation.Error);
        Assert.Equal($"fastly:delete:{Id}:svc-1", operation.Id);
        Assert.Equal(new ServiceReference("svc-1", Id), Assert.IsAssignableFrom<CdnOperation<ServiceReference>>(operation).Value);
    }

    [Fact]
    public async Task DeleteServiceAsync_FoundBySearchWithoutVersions_ReadsVersionsBeforeDeactivating()
    {
        var mock = new FastlyMock();
        mock.ExpectSearch("""{"id":"SU1Z0isxPaozGVKXdv0eY","name":"poppy-svc-1","comment":"poppy:service_id=svc-1"}""");
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(3, active: true, locked: true))));
        mock.Expect(HttpMethod.Put, FastlyMock.V(3) + "/deactivate").RespondJson(FastlyJson.Version(3, false, true));
        mock.Expect(HttpMethod.Delete, "service/" + Id).RespondJson("""{"status":"ok"}""");

        await mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1"));

        mock.Verify();
    }

    [Fact]
    public async Task DeleteServiceAsync_NeverActivated_DeletesWithoutDeactivating()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: false, locked: false))));
        mock.Expect(HttpMethod.Delete, "service/" + Id).RespondJson("""{"status":"ok"}""");

        await mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1", Id));

        mock.Verify();
    }

    [Fact]
    public async Task DeleteServiceAsync_ServiceMissing_CompletesWithoutCalls()
    {
        var mock = new FastlyMock();
        mock.ExpectSearch(null);

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1"));

        mock.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Null(operation.Error);
    }

    [Fact]
    public async Task DeleteServiceAsync_ServiceVanishesBeforeTheDelete_Completes()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true))));
        mock.Expect(HttpMethod.Put, FastlyMock.V(1) + "/deactivate").RespondJson(null, System.Net.HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Delete, "service/" + Id).RespondJson(null, System.Net.HttpStatusCode.NotFound);

        var operation = await mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1", Id));

        mock.Verify();
        Assert.Null(operation.Error);
    }

    [Fact]
    public async Task DeleteServiceAsync_ServiceNotStampedByPoppy_RefusesToDelete()
    {
        var mock = new FastlyMock();
        mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, true, true)), comment: "production site, hands off"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.DeleteServiceAsync(new ServiceReference("svc-1", Id)));

        mock.Verify();
        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
    }
}
