using System.Net;
using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class DeleteServiceTests
{
    private static readonly ServiceReference Service = new(ServiceId, PropertyId);

    private static MockedRequest ExpectDeactivate(AkamaiMock m, int version, string network, string id) =>
        m.Papi(HttpMethod.Post, "properties/prp_100/activations")
            .WithContent($$"""{"propertyVersion":{{version}},"network":"{{network}}","activationType":"DEACTIVATE","notifyEmails":["ops@example.com"],"note":"Poppy: deleting poppy:service_id=svc-1","acknowledgeAllWarnings":true}""")
            .Respond(_ => Json(Link("activationLink", "properties/prp_100/activations/" + id), HttpStatusCode.Created));

    [Fact]
    public async Task DeleteServiceAsync_ActiveOnBothNetworks_DeactivatesWaitsThenDeletes()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(2, 2, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(2, 2, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations()));
        ExpectDeactivate(m, 2, "STAGING", "atv_7");
        ExpectDeactivate(m, 1, "PRODUCTION", "atv_8");

        var operation = await m.Provider.DeleteServiceAsync(Service);
        m.Verify();
        Assert.False(operation.HasCompleted);
        Assert.Equal("akamai:delete:prp_100:svc-1", operation.Id);

        // Still deactivating: reads only.
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(2, null, 1)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations(("atv_8", 1, "PRODUCTION", "DEACTIVATE", "PENDING"), ("atv_7", 2, "STAGING", "DEACTIVATE", "ACTIVE"))));
        await operation.UpdateStatusAsync();
        m.Verify();
        Assert.False(operation.HasCompleted);

        // Nothing active, nothing pending: the property goes.
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(2, null, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations(("atv_8", 1, "PRODUCTION", "DEACTIVATE", "ACTIVE"))));
        m.Papi(HttpMethod.Delete, "properties/prp_100").Respond(_ => Json("""{"message":"Deletion Successful."}"""));
        await operation.UpdateStatusAsync();

        m.Verify();
        Assert.True(operation.HasCompleted);
        Assert.Null(operation.Error);
    }

    [Fact]
    public async Task DeleteServiceAsync_NoProperty_CompletesAtOnce()
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => Json(FindByValue()));

        var operation = await m.Provider.DeleteServiceAsync(new ServiceReference(ServiceId));

        Assert.True(operation.HasCompleted);
        Assert.Equal("akamai:delete:none:svc-1", operation.Id);
    }

    [Fact]
    public async Task DeleteServiceAsync_DeleteAnswers500_IsNotTransient()
    {
        var m = new AkamaiMock();
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, null, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, null, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations()));
        m.Papi(HttpMethod.Delete, "properties/prp_100").Respond(_ => Problem(HttpStatusCode.InternalServerError, "https://problems.luna.akamaiapis.net/papi/v0/server-error", "Internal Server Error", "Cannot delete an active property."));

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => m.Provider.DeleteServiceAsync(Service));

        Assert.Equal(500, e.Status);
        Assert.False(e.IsTransient);
        Assert.Contains("deactivate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteServiceAsync_WaitForCompletion_PollsOnTheClock()
    {
        var m = new AkamaiMock(o => o.PollingInterval = TimeSpan.FromSeconds(30));
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations()));
        ExpectDeactivate(m, 1, "STAGING", "atv_2");
        var operation = await m.Provider.DeleteServiceAsync(Service);

        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, 1, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations(("atv_2", 1, "STAGING", "DEACTIVATE", "PENDING"))));
        m.Papi(HttpMethod.Get, "properties/prp_100").Respond(_ => Json(Property(1, null, null)));
        m.Papi(HttpMethod.Get, "properties/prp_100/activations").Respond(_ => Json(Activations(("atv_2", 1, "STAGING", "DEACTIVATE", "ACTIVE"))));
        m.Papi(HttpMethod.Delete, "properties/prp_100").Respond(_ => Json("""{"message":"Deletion Successful."}"""));

        var wait = operation.WaitForCompletionAsync();
        await m.Time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        Assert.False(wait.IsCompleted);
        m.Time.Advance(TimeSpan.FromSeconds(30));
        await wait;

        m.Verify();
    }
}
